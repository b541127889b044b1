import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../config';
import type { ServiceFilter } from '../directory/directoryRepository';
import { exportAllHsdsServices, parseServiceFilter } from '../directory/hsds/hsdsServicePage';
import { createStorageBackend } from '../storage/createStorageBackend';

/**
 * `npm run directory:export -- [--out file]` writes the whole directory as an HSDS 3.0 JSON list of fully
 * nested services (the same objects as GET /api/v1/hsds/services): to the file, or to standard output.
 * It is the public export: a confidential location's address, coordinates and name are not in it.
 */

export class ExportDirectoryError extends Error {
  override readonly name = 'ExportDirectoryError';
}

const USAGE = 'usage: npm run directory:export -- [--out file.json] [--organization-id UUID] [--modified-after 2026-12-01]';

export function parseExportArgs(argv: readonly string[]): { readonly out?: string; readonly filter?: ServiceFilter } {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i] as string, argv[i + 1]];
    if (!['--out', '--organization-id', '--modified-after'].includes(name) || !value || value.startsWith('--') || name in values) throw new ExportDirectoryError(USAGE);
    values[name] = value;
  }
  const filter = parseServiceFilter(values['--organization-id'], values['--modified-after']);
  if (!filter.ok) throw new ExportDirectoryError(`${filter.reason.replace('organization_id', '--organization-id').replace('modified_after', '--modified-after')}\n${USAGE}`);
  return { ...(values['--out'] ? { out: values['--out'] } : {}), ...(Object.keys(filter.filter).length ? { filter: filter.filter } : {}) };
}

/** Writes the export; returns how many services it holds. The file appears whole or not at all (written beside, then renamed). */
export async function exportDirectory(config: Config, options: { readonly out?: string; readonly filter?: ServiceFilter }, stdout: NodeJS.WritableStream = process.stdout): Promise<number> {
  const storage = await createStorageBackend(config);
  try {
    const services = await exportAllHsdsServices(storage.directory, options.filter);
    const json = `${JSON.stringify(services, null, 2)}\n`;
    if (options.out === undefined) {
      stdout.write(json);
    } else {
      const target = path.resolve(options.out);
      const partial = `${target}.partial`;
      fs.writeFileSync(partial, json);
      fs.renameSync(partial, target);
    }
    return services.length;
  } finally {
    await storage.close();
  }
}

async function main(): Promise<void> {
  const options = parseExportArgs(process.argv.slice(2));
  const count = await exportDirectory(loadConfig(), options);
  // The count goes to standard error so that standard output stays valid JSON when no file is named.
  process.stderr.write(`directory:export: ${count} services${options.out ? ` written to ${options.out}` : ''} (HSDS 3.0 JSON).\n`);
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`directory:export: ${err.message}\n`);
    process.exit(1);
  });
}
