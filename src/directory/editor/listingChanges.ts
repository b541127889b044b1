import type { ServiceEntry } from '../directoryDataset';

/*
 * A listing as a flat list of named fields with comparable text values: what the audit log records before and
 * after a change, and what a second editor is shown when someone saved the listing while they were editing.
 * Field names are stable keys (`name.ar`, `hours.1`), not translated text: the pages translate them.
 */

export type ListingFields = Readonly<Record<string, string>>;

export interface FieldChange {
  readonly field: string;
  readonly before: string;
  readonly after: string;
}

const DAY_ORDER = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** `MO,TU 09:00-17:00; SA 10:00-13:00`: a location's weekly hours in one comparable line. */
export function hoursLine(schedules: readonly { readonly byday: string; readonly opens_at: string; readonly closes_at: string }[]): string {
  return schedules
    .map((h) => `${h.byday.split(',').sort((a, b) => DAY_ORDER.indexOf(a) - DAY_ORDER.indexOf(b)).join(',')} ${h.opens_at}-${h.closes_at}`)
    .join('; ');
}

/** Every field the editor can change (and the verification date), as text. Absent values are empty strings. */
export function listingFields(s: ServiceEntry): ListingFields {
  const out: Record<string, string> = {};
  for (const [lang, text] of Object.entries(s.name)) out[`name.${lang}`] = text;
  for (const [lang, text] of Object.entries(s.description)) out[`description.${lang}`] = text;
  out.status = s.status;
  out.phones = s.phones.map((p) => p.number).join(', ');
  out.website = s.organization.website ?? '';
  out.documents_required = s.documents_required;
  out.facets = [...s.facets].sort().join(', ');
  out.minimum_age = s.minimum_age === undefined ? '' : String(s.minimum_age);
  out.maximum_age = s.maximum_age === undefined ? '' : String(s.maximum_age);
  out.review_interval_days = String(s.review_interval_days);
  out.assured_date = s.assured_date ?? '';
  s.locations.forEach((l, i) => {
    const n = i + 1;
    out[`hours.${n}`] = hoursLine(l.schedules);
    out[`confidential.${n}`] = l.confidential ? 'yes' : 'no';
    out[`closures.${n}`] = l.closures
      .map((c) => `${c.valid_from}..${c.valid_to}${c.message ? ` ${Object.entries(c.message).map(([lang, text]) => `[${lang}] ${text}`).join(' ')}` : ''}`)
      .join('; ');
  });
  return out;
}

/** The fields whose values differ, in a stable order (names and descriptions first, by language). */
export function changedFields(before: ListingFields, after: ListingFields): FieldChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys
    .filter((k) => (before[k] ?? '') !== (after[k] ?? ''))
    .sort((a, b) => fieldRank(a) - fieldRank(b) || a.localeCompare(b))
    .map((field) => ({ field, before: before[field] ?? '', after: after[field] ?? '' }));
}

const RANK = ['name', 'description', 'status', 'phones', 'website', 'hours', 'closures', 'documents_required', 'facets', 'minimum_age', 'maximum_age', 'review_interval_days', 'confidential', 'assured_date'];
const fieldRank = (field: string) => {
  const i = RANK.indexOf(field.split('.')[0] ?? '');
  return i < 0 ? RANK.length : i;
};

/** Longest text kept per value in the audit log (a description can be long; the log keeps what changed, bounded). */
const AUDIT_VALUE_MAX = 2_000;

/**
 * The audit log's details for a change: which fields, and each one's value before and after. Listing texts are
 * the organisation's own public words, never anything a migrant wrote.
 */
export function auditDetails(change: string, version: number, changes: readonly FieldChange[]): Record<string, string | number | string[]> {
  const details: Record<string, string | number | string[]> = { change, version, fields: changes.map((c) => c.field) };
  for (const c of changes) {
    details[`before.${c.field}`] = c.before.slice(0, AUDIT_VALUE_MAX);
    details[`after.${c.field}`] = c.after.slice(0, AUDIT_VALUE_MAX);
  }
  return details;
}

/** Reads back a `listingFields` snapshot carried in a form; anything else reads as undefined (never throws). */
export function parseFields(json: string): ListingFields | undefined {
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length > 500 || !entries.every(([, v]) => typeof v === 'string')) return undefined;
    return Object.fromEntries(entries) as Record<string, string>;
  } catch {
    return undefined;
  }
}
