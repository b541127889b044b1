import { randomUUID } from 'node:crypto';
import type { ServiceEntry } from '../../directory/directoryDataset';
import { DirectoryImportError } from '../../directory/directoryRepository';
import type { SqliteDatabase } from './openSqliteDatabase';

/**
 * One service's rows across the HSDS-shaped tables, written and removed in one place so that replacing the
 * directory, importing a file and saving one listing in the editor store a listing the same way. Callers run
 * these inside their own transaction.
 */

/** Inserts the organisation, or updates its texts when it exists (several services share one). */
export function writeOrganization(db: SqliteDatabase, o: ServiceEntry['organization']): void {
  db.prepare(`
    INSERT INTO organization (id, name, description, website, x_translations) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description, website = excluded.website, x_translations = excluded.x_translations`,
  ).run(o.id, o.name, o.description.en, o.website ?? null, JSON.stringify({ description: o.description }));
}

/**
 * Inserts a service with its categories, languages, phones, locations, addresses, hours and closures. The
 * organisation must exist. `version` is the write count the editor's optimistic concurrency compares.
 */
export function insertServiceRows(
  db: SqliteDatabase,
  s: ServiceEntry,
  options: { readonly now: string; readonly termIds: ReadonlyMap<string, string>; readonly version?: number },
): void {
  const run = (sql: string, ...params: unknown[]) => db.prepare(sql).run(...params);
  run(
    `INSERT INTO service (id, organization_id, name, description, status, x_documents_required, assured_date, last_modified, x_translations,
       x_source_name, x_source_id, x_review_interval_days, minimum_age, maximum_age, x_facets, x_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    s.id, s.organization.id, s.name.en, s.description.en, s.status, s.documents_required, s.assured_date, options.now, JSON.stringify({ name: s.name, description: s.description }),
    s.source?.name ?? null, s.source?.id ?? null, s.review_interval_days, s.minimum_age ?? null, s.maximum_age ?? null, JSON.stringify(s.facets), options.version ?? 1,
  );
  for (const code of s.categories) {
    const termId = options.termIds.get(code);
    if (!termId) throw new DirectoryImportError(`service ${s.id}: unknown category "${code}"`);
    run("INSERT INTO attribute (id, link_id, link_type, link_entity, taxonomy_term_id) VALUES (?, ?, 'category', 'service', ?)", randomUUID(), s.id, termId);
  }
  for (const code of s.languages) run('INSERT INTO language (id, service_id, code) VALUES (?, ?, ?)', randomUUID(), s.id, code);
  for (const p of s.phones) {
    run('INSERT INTO phone (id, service_id, number, type, description, x_translations) VALUES (?, ?, ?, ?, ?, ?)',
      p.id, s.id, p.number, p.type, p.description?.en ?? null, JSON.stringify(p.description ? { description: p.description } : {}));
  }
  for (const l of s.locations) {
    run('INSERT INTO location (id, organization_id, location_type, name, latitude, longitude, x_timezone, x_confidential, x_translations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      l.id, s.organization.id, l.location_type ?? 'physical', l.name?.en ?? null, l.latitude, l.longitude, l.timezone, l.confidential ? 1 : 0, JSON.stringify(l.name ? { name: l.name } : {}));
    const a = l.address;
    // A helpline's office (or a refuge behind a domestic abuse line) is not a place to send people.
    if (a && l.location_type !== 'virtual') {
      run("INSERT INTO address (id, location_id, address_1, address_2, city, region, state_province, postal_code, country, address_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'physical')",
        a.id, l.id, a.address_1, a.address_2 ?? null, a.city, a.region ?? null, a.state_province ?? null, a.postal_code ?? null, a.country);
    }
    run('INSERT INTO service_at_location (id, service_id, location_id) VALUES (?, ?, ?)', l.service_at_location_id, s.id, l.id);
    for (const h of l.schedules) {
      run("INSERT INTO schedule (id, service_at_location_id, freq, byday, opens_at, closes_at, description, x_translations) VALUES (?, ?, 'WEEKLY', ?, ?, ?, ?, ?)",
        h.id, l.service_at_location_id, h.byday, h.opens_at, h.closes_at, h.description?.en ?? null, JSON.stringify(h.description ? { description: h.description } : {}));
    }
    for (const c of l.closures) {
      run("INSERT INTO schedule (id, service_at_location_id, freq, valid_from, valid_to, x_closed, description, x_translations) VALUES (?, ?, 'WEEKLY', ?, ?, 1, ?, ?)",
        c.id, l.service_at_location_id, c.valid_from, c.valid_to, c.message?.en ?? null, JSON.stringify(c.message ? { description: c.message } : {}));
    }
  }
}

/**
 * Removes a service and everything that belongs only to it (its locations go too: in this directory a
 * location belongs to one service). Returns its version, or undefined when there was no such service.
 */
export function deleteServiceRows(db: SqliteDatabase, serviceId: string): number | undefined {
  const row = db.prepare('SELECT x_version FROM service WHERE id = ?').get(serviceId) as { x_version: number } | undefined;
  if (!row) return undefined;
  const locations = (db.prepare('SELECT location_id FROM service_at_location WHERE service_id = ?').all(serviceId) as { location_id: string }[]).map((r) => r.location_id);
  db.prepare("DELETE FROM attribute WHERE link_id = ? AND link_type = 'category'").run(serviceId);
  // Deleting the service cascades to its languages, phones, service_at_locations and their schedules.
  db.prepare('DELETE FROM service WHERE id = ?').run(serviceId);
  const orphan = db.prepare('DELETE FROM location WHERE id = ? AND NOT EXISTS (SELECT 1 FROM service_at_location WHERE location_id = ?)');
  for (const id of locations) orphan.run(id, id);
  return row.x_version;
}

/**
 * Writes a service over its stored self (or inserts it), bumping its version: the one path by which an import
 * or an edit changes a listing. Throws a DirectoryImportError when `expectedVersion` is given and the stored
 * version differs (someone else saved it meanwhile).
 */
export function replaceServiceRows(
  db: SqliteDatabase,
  s: ServiceEntry,
  options: { readonly now: string; readonly termIds: ReadonlyMap<string, string>; readonly expectedVersion?: number },
): number {
  writeOrganization(db, s.organization);
  const previous = deleteServiceRows(db, s.id);
  if (options.expectedVersion !== undefined && previous !== options.expectedVersion) {
    throw new DirectoryImportError(`service ${s.id} is at version ${previous ?? 'none'}, not ${options.expectedVersion}`);
  }
  const version = (previous ?? 0) + 1;
  insertServiceRows(db, s, { now: options.now, termIds: options.termIds, version });
  return version;
}
