import type { Logger } from '../logging/createLogger';
import type { Clock } from '../shared/clock';
import type { AuditEvent, NewAuditEvent } from './staffModel';
import type { StaffStores } from './staffStores';

/**
 * Writes the audit log. Recording is part of the action: if the event cannot be written the request fails,
 * so there is never an unrecorded sign-in, role change or export.
 */
export class AuditTrail {
  private readonly clock: Clock;

  constructor(
    private readonly stores: StaffStores,
    private readonly logger: Logger,
    clock?: Clock,
  ) {
    this.clock = clock ?? Date.now;
  }

  async record(event: Omit<NewAuditEvent, 'at'>): Promise<AuditEvent> {
    const stored = await this.stores.audit.append({ ...event, at: this.clock() });
    // Mirrored to the process log for operators' log pipelines: ids and action only.
    this.logger.info({ audit: stored.action, actor: stored.actor, target: stored.targetType, auditId: stored.id }, 'audit');
    return stored;
  }
}
