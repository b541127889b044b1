import fs from 'node:fs';
import path from 'node:path';
import { DirectoryDataset } from './directoryDataset';

export type DatasetResult = { ok: true; dataset: DirectoryDataset } | { ok: false; errors: string[] };

/**
 * Validates a dataset beyond its shape: unique ids, categories that exist, parents that exist.
 * Returns every problem (not just the first), each naming the service or term, so a maintainer can fix a
 * file in one pass.
 */
export function validateDirectoryDataset(raw: unknown, source = 'dataset'): DatasetResult {
  const parsed = DirectoryDataset.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.slice(0, 20).map((i) => `${source}: ${i.path.join('.')}: ${i.message}`),
    };
  }
  const dataset = parsed.data;
  const errors: string[] = [];
  const original = dataset.translations?.source;
  if (original) {
    // The source language is every text's original: a text missing in it would be a translation of nothing.
    for (const service of dataset.services) {
      if (!service.name[original] || !service.description[original]) errors.push(`${source}: service ${service.id}: no text in the source language "${original}"`);
    }
  }
  const codes = new Set(dataset.taxonomy.map((t) => t.code));
  for (const term of dataset.taxonomy) {
    if (term.parent && !codes.has(term.parent)) errors.push(`${source}: taxonomy ${term.code}: unknown parent "${term.parent}"`);
  }
  const seen = new Set<string>();
  const claim = (id: string, where: string) => {
    if (seen.has(id)) errors.push(`${source}: ${where}: duplicate id ${id}`);
    seen.add(id);
  };
  dataset.taxonomy.forEach((t) => claim(t.id, `taxonomy ${t.code}`));
  const organizations = new Map<string, string>();
  for (const service of dataset.services) {
    const where = `service ${service.id} (${service.name.en})`;
    claim(service.id, where);
    const orgName = organizations.get(service.organization.id);
    if (orgName === undefined) {
      claim(service.organization.id, `${where} organization`);
      organizations.set(service.organization.id, service.organization.name);
    } else if (orgName !== service.organization.name) {
      errors.push(`${source}: ${where}: organization ${service.organization.id} has two names`);
    }
    for (const code of service.categories) if (!codes.has(code)) errors.push(`${source}: ${where}: unknown category "${code}"`);
    service.phones.forEach((p) => claim(p.id, `${where} phone`));
    for (const location of service.locations) {
      claim(location.id, `${where} location`);
      claim(location.service_at_location_id, `${where} service_at_location`);
      if (location.address) claim(location.address.id, `${where} address`);
      location.schedules.forEach((s) => claim(s.id, `${where} schedule`));
      if (location.latitude === 0 && location.longitude === 0) errors.push(`${source}: ${where}: location at (0, 0)`);
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, dataset };
}

/** Reads the demo directory bundled in `demo/` (taxonomy and services are kept in two files). */
export function loadDemoDataset(demoDir: string): DatasetResult {
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(demoDir, file), 'utf8')) as Record<string, unknown>;
  const taxonomy = read('taxonomy.json');
  const services = read('services.json');
  return validateDirectoryDataset(
    { version: 1, translations: services.translations, taxonomy: taxonomy.taxonomy, services: services.services },
    path.join(demoDir, 'services.json'),
  );
}
