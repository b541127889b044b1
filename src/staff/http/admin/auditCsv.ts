import type { AuditEvent } from '../../staffModel';
import type { AuditLabels } from '../../useCases/auditLabels';

const HEADER = ['id', 'at', 'actor', 'actor_label', 'action', 'target_type', 'target_id', 'target_label', 'organisation_id', 'organisation_name', 'ip', 'details'];

/** Cells that a spreadsheet would run as a formula get a leading quote; then RFC 4180 quoting. */
export function csvCell(value: string): string {
  const neutral = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(neutral) ? `"${neutral.replace(/"/g, '""')}"` : neutral;
}

/** The audit export: a header line, then one line per event with names beside the ids; CRLF line ends. */
export function auditCsv(events: readonly AuditEvent[], labels: AuditLabels): string {
  const lines = [HEADER.join(',')];
  for (const e of events) {
    const cells = [
      String(e.id),
      new Date(e.at).toISOString(),
      e.actor ?? '',
      labels.actorLabel(e.actor),
      e.action,
      e.targetType ?? '',
      e.targetId ?? '',
      labels.targetLabel(e),
      e.organisationId ?? '',
      labels.organisationLabel(e.organisationId),
      e.ip ?? '',
      e.details ? JSON.stringify(e.details) : '',
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** `waymark-audit-20250131-142500.csv`: the export's time in UTC, safe in any file system. */
export function auditCsvFileName(ms: number): string {
  const stamp = new Date(ms).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `waymark-audit-${stamp}.csv`;
}
