import type { ServiceEntry, TaxonomyTermEntry } from '../directoryDataset';
import { DirectoryImportError, type DirectoryRepository, type StoredService } from '../directoryRepository';
import { hasErrors, type ImportProblem } from './importProblem';
import type { ReadImport, ServiceOrigin } from './importReaders';

/*
 * The import use case, after a reader has made services of a file: a dry run (`planImport`) that adds the checks
 * only the stored directory can answer and counts what would change, then an all-or-nothing apply
 * (`applyImport`) through the repository's one transaction. Pure apart from the repository.
 */

/** What the stored directory holds, as the plan needs it. */
export interface DirectorySnapshot {
  readonly services: readonly StoredService[];
  readonly categoryCodes: ReadonlySet<string>;
  /** The stored categories, for readers that map a file's categories onto ours. */
  readonly taxonomy: readonly TaxonomyTermEntry[];
}

export interface ImportOptions {
  /** The name problems found by the plan itself (not in one service) are reported against. */
  readonly file: string;
  /** Today (YYYY-MM-DD) where the directory is kept: what "not verified within its interval" is measured against. */
  readonly today: string;
  /** Languages every listing should be in (the area's main languages); missing ones are warnings. */
  readonly mainLanguages: readonly string[];
  /** The source the file's listings belong to: services without their own source get `{ name, id: their id }`. */
  readonly sourceName?: string;
  /** The file is the source's whole list: its stored listings absent from the file are marked inactive. */
  readonly fullSource: boolean;
  /**
   * A directory_editor's import: only listings of these HSDS organizations may be created, updated or marked
   * inactive. Absent: any (an admin, the command line).
   */
  readonly allowedOrganizations?: ReadonlySet<string>;
}

export interface ImportCounts {
  readonly read: number;
  readonly create: number;
  readonly update: number;
  readonly unchanged: number;
  readonly markInactive: number;
}

export interface ImportPlan {
  readonly format: string;
  readonly file: string;
  readonly problems: readonly ImportProblem[];
  readonly counts: ImportCounts;
  /** Services to write, each with the stored id it updates (or its own, new) and where it came from. */
  readonly writes: readonly { readonly entry: ServiceEntry; readonly origin: ServiceOrigin; readonly kind: 'create' | 'update' }[];
  /** Stored ids of listings in the file that need no write (they count as present for a full import). */
  readonly unchangedIds: readonly string[];
  readonly sourceName?: string;
  readonly fullSource: boolean;
}

export type ApplyOutcome =
  | { readonly ok: true; readonly created: number; readonly updated: number; readonly markedInactive: number; readonly unchanged: number }
  | { readonly ok: false; readonly problems: readonly ImportProblem[] };

/** Reads every stored service a page at a time, and the category codes. */
export async function loadDirectorySnapshot(directory: DirectoryRepository): Promise<DirectorySnapshot> {
  const services: StoredService[] = [];
  let taxonomy: readonly TaxonomyTermEntry[] = [];
  const PAGE = 1000;
  for (let offset = 0; ; offset += PAGE) {
    const page = await directory.servicePage({ offset, limit: PAGE });
    services.push(...page.services);
    taxonomy = page.taxonomy;
    if (page.services.length < PAGE) break;
  }
  return { services, categoryCodes: await directory.categoryCodes(), taxonomy };
}

/** Names and addresses compared the way people misspell them: no accents, case or punctuation. */
export const fold = (text: string): string =>
  text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

function duplicateKey(s: ServiceEntry): string | undefined {
  const address = s.locations.find((l) => l.address)?.address;
  if (!address) return undefined;
  return `${fold(s.name.en ?? '')}|${fold(address.address_1)}|${fold(address.city)}`;
}

const sourceKey = (source: { name: string; id: string }) => `${source.name}\u0000${source.id}`;

/** Every id a service's rows carry besides its own: two services must not share one. */
function nestedIds(s: ServiceEntry): string[] {
  return [
    ...s.phones.map((p) => p.id),
    ...s.locations.flatMap((l) => [l.id, l.service_at_location_id, ...(l.address ? [l.address.id] : []), ...l.schedules.map((h) => h.id), ...l.closures.map((c) => c.id)]),
  ];
}

/**
 * A service as it would be stored, without what a file cannot be expected to keep stable (the ids of its rows, the
 * verification date, the store's bookkeeping), with keys sorted: equal fingerprints need no write.
 */
export function fingerprint(s: ServiceEntry): string {
  const { assured_date: _a, ...rest } = s;
  const strip = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => strip(v, key ?? 'item'));
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    const object = value as Record<string, unknown>;
    for (const k of Object.keys(object).sort()) {
      if (['lastModified', 'version', 'categoryLinks', 'languageLinks', 'service_at_location_id'].includes(k)) continue;
      if (k === 'id' && key !== 'organization' && key !== undefined) continue;
      if (k === 'location_type' && object[k] === 'physical') continue;
      if (k === 'address' && object.location_type === 'virtual') continue;
      if (object[k] === undefined) continue;
      out[k] = strip(object[k], k);
    }
    return out;
  };
  // Nested objects lose their ids; the service keeps its own and the organisation's (a move is a change).
  return JSON.stringify(strip(rest));
}

const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The dry run: the reader's problems plus the cross-checks against the stored directory, and what applying would
 * do. Nothing is written. The plan can be applied only when it has no errors.
 */
export function planImport(parsed: ReadImport, current: DirectorySnapshot, options: ImportOptions): ImportPlan {
  const problems: ImportProblem[] = [...parsed.problems];
  const at = (o: ServiceOrigin) => ({ file: o.file, ...(o.line === undefined ? {} : { line: o.line }), path: o.path });
  const error = (o: ServiceOrigin, code: string, message: string, params?: Record<string, string | number>) =>
    problems.push({ severity: 'error', ...at(o), code, message, ...(params ? { params } : {}) });
  const warning = (o: ServiceOrigin, code: string, message: string, params?: Record<string, string | number>) =>
    problems.push({ severity: 'warning', ...at(o), code, message, ...(params ? { params } : {}) });
  const whole: ServiceOrigin = { file: options.file, path: '' };

  const byId = new Map(current.services.map((s) => [s.id, s] as const));
  const bySource = new Map(current.services.filter((s) => s.source).map((s) => [sourceKey(s.source as { name: string; id: string }), s] as const));
  const byDuplicateKey = new Map<string, StoredService>();
  const nestedOwner = new Map<string, string>();
  for (const s of current.services) {
    const key = duplicateKey(s);
    if (key && !byDuplicateKey.has(key)) byDuplicateKey.set(key, s);
    for (const id of nestedIds(s)) nestedOwner.set(id, s.id);
  }
  const allowed = options.allowedOrganizations;

  const sourceNames = new Set(parsed.services.map((s) => s.source?.name).filter((n): n is string => n !== undefined));
  const sourceName = options.sourceName ?? (sourceNames.size === 1 && parsed.services.every((s) => s.source) ? [...sourceNames][0] : undefined);
  if (options.fullSource && !sourceName) {
    error(whole, 'fullNeedsSource', 'a full import needs the source it replaces: name it (--source) or give every listing the same source');
  }
  if (options.fullSource && parsed.services.length === 0 && !hasErrors(parsed.problems)) {
    error(whole, 'emptyFullImport', 'a full import of an empty file would mark every listing of the source inactive: refused');
  }

  const seenIds = new Map<string, number>();
  const seenSources = new Map<string, number>();
  const seenNested = new Set<string>();
  const writes: { entry: ServiceEntry; origin: ServiceOrigin; kind: 'create' | 'update' }[] = [];
  const unchangedIds: string[] = [];
  const present = new Set<string>();

  parsed.services.forEach((incoming, index) => {
    const origin: ServiceOrigin = parsed.origins?.[index] ?? { file: options.file, path: incoming.source ? `ref ${incoming.source.id}` : `/services/${index}` };
    const name = incoming.name.en ?? incoming.id;
    let source = incoming.source;
    if (options.sourceName) {
      if (source && source.name !== options.sourceName) {
        error(origin, 'sourceMismatch', `the listing says it comes from "${source.name}", not from "${options.sourceName}"`, { source: source.name, expected: options.sourceName });
      }
      source = source ?? { name: options.sourceName, id: incoming.id };
    }
    if (seenIds.has(incoming.id)) error(origin, 'duplicate', `id ${incoming.id} is also used by listing ${(seenIds.get(incoming.id) as number) + 1} of this file`, { id: incoming.id });
    seenIds.set(incoming.id, index);
    if (source) {
      const key = sourceKey(source);
      if (seenSources.has(key)) error(origin, 'duplicate', `source reference "${source.id}" is also used by listing ${(seenSources.get(key) as number) + 1} of this file`, { id: source.id });
      seenSources.set(key, index);
    }

    const matchedById = byId.get(incoming.id);
    const matchedBySource = source ? bySource.get(sourceKey(source)) : undefined;
    if (matchedById && matchedBySource && matchedById.id !== matchedBySource.id) {
      error(origin, 'conflictingMatch', `the id matches listing "${matchedById.name.en}" but the source reference matches listing "${matchedBySource.name.en}"`, { id: matchedById.id, other: matchedBySource.id });
    }
    const target = matchedById ?? matchedBySource;

    for (const id of nestedIds(incoming)) {
      if (seenNested.has(id)) error(origin, 'duplicate', `id ${id} is used twice in this file`, { id });
      seenNested.add(id);
      const owner = nestedOwner.get(id);
      if (owner !== undefined && owner !== target?.id) error(origin, 'duplicate', `id ${id} already belongs to another stored listing`, { id });
    }
    for (const code of incoming.categories) {
      if (!current.categoryCodes.has(code)) error(origin, 'unknownCategory', `unknown category "${code}"`, { code });
    }
    if (allowed && (!allowed.has(incoming.organization.id) || (target && !allowed.has(target.organization.id)))) {
      error(origin, 'forbiddenOrganization', `"${incoming.organization.name}" is not an organisation whose listings you keep`, { organization: incoming.organization.name });
    }

    // Importing a file is not checking a listing: the stored verification date stays, a new listing has none.
    const { assured_date: _fromFile, ...rest } = incoming;
    const entry: ServiceEntry = {
      ...rest,
      id: target?.id ?? incoming.id,
      ...(source ? { source } : {}),
      ...(target?.assured_date ? { assured_date: target.assured_date } : {}),
    };
    present.add(entry.id);

    if (!target) {
      const key = duplicateKey(entry);
      const existing = key === undefined ? undefined : byDuplicateKey.get(key);
      if (existing) warning(origin, 'likelyDuplicate', `"${name}" at the same address as the stored listing "${existing.name.en}" (${existing.id}): the same service under another id?`, { name: existing.name.en ?? existing.id, id: existing.id });
    }
    if (!entry.assured_date) warning(origin, 'neverVerified', `"${name}" has never been checked by a person`, { name });
    else {
      const due = addDays(entry.assured_date, entry.review_interval_days);
      if (due < options.today) warning(origin, 'stale', `"${name}" was last checked on ${entry.assured_date}; a check was due by ${due}`, { name, date: entry.assured_date, due });
    }
    const missing = options.mainLanguages.filter((l) => !entry.name[l] || !entry.description[l]);
    if (missing.length) warning(origin, 'untranslated', `"${name}" has no name or description in ${missing.join(', ')}`, { name, languages: missing.join(', ') });

    if (target && fingerprint(entry) === fingerprint(target)) unchangedIds.push(entry.id);
    else writes.push({ entry, origin, kind: target ? 'update' : 'create' });
  });

  let markInactive = 0;
  if (options.fullSource && sourceName) {
    for (const s of current.services) {
      if (s.source?.name !== sourceName || present.has(s.id) || (s.status !== 'active' && s.status !== 'temporarily closed')) continue;
      markInactive++;
      if (allowed && !allowed.has(s.organization.id)) {
        error(whole, 'forbiddenOrganization', `the full import would mark "${s.name.en}" of "${s.organization.name}" inactive, and you do not keep that organisation's listings`, { organization: s.organization.name });
      }
    }
  }

  return {
    format: parsed.format,
    file: options.file,
    problems,
    counts: {
      read: parsed.services.length,
      create: writes.filter((w) => w.kind === 'create').length,
      update: writes.filter((w) => w.kind === 'update').length,
      unchanged: unchangedIds.length,
      markInactive,
    },
    writes,
    unchangedIds,
    ...(sourceName ? { sourceName } : {}),
    fullSource: options.fullSource,
  };
}

/**
 * Applies a plan with no errors in one transaction: all of it lands or none. A write that fails (a constraint the
 * plan could not foresee, the disk) is reported at the listing it failed on, and nothing has changed.
 */
export async function applyImport(
  directory: DirectoryRepository,
  plan: ImportPlan,
  options: { readonly now: string; readonly onProgress?: (written: number, total: number) => void },
): Promise<ApplyOutcome> {
  if (hasErrors(plan.problems)) throw new Error('applyImport: the plan has errors; show them instead');
  try {
    const result = await directory.importServices(
      plan.writes.map((w) => w.entry),
      {
        ...(plan.sourceName ? { sourceName: plan.sourceName } : {}),
        fullSource: plan.fullSource,
        now: options.now,
        presentIds: plan.unchangedIds,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      },
    );
    return { ok: true, ...result, unchanged: plan.unchangedIds.length };
  } catch (err) {
    if (!(err instanceof DirectoryImportError)) throw err;
    const index = err.serviceIndex;
    const origin = index === undefined ? { file: plan.file, path: '' } : (plan.writes[index]?.origin ?? { file: plan.file, path: '' });
    return {
      ok: false,
      problems: [{ severity: 'error', file: origin.file, ...(origin.line === undefined ? {} : { line: origin.line }), path: origin.path, code: 'writeFailed', message: `nothing was imported: ${err.message}`, params: { reason: err.message } }],
    };
  }
}

/** The plan as the command line, the API and the audit log report it. */
export function importReport(plan: ImportPlan) {
  return {
    format: plan.format,
    file: plan.file,
    counts: plan.counts,
    errors: plan.problems.filter((p) => p.severity === 'error').length,
    warnings: plan.problems.filter((p) => p.severity === 'warning').length,
    problems: plan.problems,
  };
}
