import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ImportDirectoryError, parseImportArgs } from '../../src/cli/importDirectory';
import { seedDemoDirectory } from '../../src/directory/seedDemoDirectory';
import { PATHS } from '../../src/paths';
import { createStorageBackend } from '../../src/storage/createStorageBackend';
import { makeDataDir, testConfig, TEST_DATA_KEY } from '../support/testConfig';

/**
 * `npm run directory:import` as a real process (the TypeScript sources through swc, as `npm run` runs the build)
 * on the demo directory in a real database file: a dry run of the demo itself finds every listing unchanged, a
 * changed file updates one listing, and a file with an error prints it at its line and changes nothing.
 */

const ENV = { NODE_ENV: 'test', LOG_LEVEL: 'silent', PSEUDONYM_KEY: 'test-pseudonym-key-0123456789abcdef0123', DATA_KEY: TEST_DATA_KEY, SEED_DEMO_ORGANISATION: 'false' };

function run(dataDir: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['-r', path.join(__dirname, '../support/swcRegister.js'), path.join(PATHS.root, 'src/cli/importDirectory.ts'), ...args], {
    cwd: PATHS.root,
    env: { PATH: process.env.PATH ?? '', ...ENV, DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

async function seeded(): Promise<string> {
  const dataDir = makeDataDir();
  const storage = await createStorageBackend(testConfig({ DATA_DIR: dataDir }));
  await seedDemoDirectory(storage.directory, PATHS.demo);
  await storage.close();
  return dataDir;
}

async function storedNames(dataDir: string): Promise<string[]> {
  const storage = await createStorageBackend(testConfig({ DATA_DIR: dataDir }));
  try {
    return (await storage.directory.servicePage({ offset: 0, limit: 1000 })).services.map((s) => `${s.name.en}@${s.version}`);
  } finally {
    await storage.close();
  }
}

describe('npm run directory:import', () => {
  it('reads a target, --format, --source, --full and --dry-run, and refuses anything else', () => {
    expect(parseImportArgs(['demo', '--dry-run'])).toEqual({ target: 'demo', full: false, dryRun: true });
    expect(parseImportArgs(['x.csv', '--format', 'council-csv', '--source', 'salford', '--full'])).toEqual({ target: 'x.csv', format: 'council-csv', source: 'salford', full: true, dryRun: false });
    expect(() => parseImportArgs([])).toThrow(ImportDirectoryError);
    expect(() => parseImportArgs(['x', '--format', 'pdf'])).toThrow(/unknown format/);
    expect(() => parseImportArgs(['x', 'y'])).toThrow(/unexpected/);
  });

  it('dry-runs the demo folder (every listing unchanged), imports a changed copy, and refuses a file with an error at its line', async () => {
    const dataDir = await seeded();
    const before = await storedNames(dataDir);

    const dry = await run(dataDir, ['demo', '--dry-run']);
    expect(dry.stderr).toBe('');
    expect(dry.stdout).toContain('61 listings read (waymark-json): 0 to create, 0 to update, 61 unchanged, 0 to mark inactive');
    expect(dry.stdout).toContain('Dry run: nothing was changed.');
    expect(dry.code).toBe(0);

    const services = JSON.parse(fs.readFileSync(path.join(PATHS.demo, 'services.json'), 'utf8')) as { services: { name: { en: string }; categories: string[] }[] };
    const first = services.services[0] as { name: { en: string }; categories: string[] };
    first.name.en = 'Renamed by the council';
    const changedDir = makeDataDir('waymark-import-');
    fs.writeFileSync(path.join(changedDir, 'services.json'), JSON.stringify(services, null, 2));
    fs.copyFileSync(path.join(PATHS.demo, 'taxonomy.json'), path.join(changedDir, 'taxonomy.json'));
    const applied = await run(dataDir, [changedDir]);
    expect(applied.stdout).toContain('0 to create, 1 to update, 60 unchanged');
    expect(applied.stdout).toContain('Imported: 0 created, 1 updated, 60 unchanged, 0 marked inactive.');
    expect(applied.code).toBe(0);
    const after = await storedNames(dataDir);
    expect(after).toContain('Renamed by the council@2');
    expect(after).toHaveLength(before.length);

    (services.services[2] as { categories: string[] }).categories = ['fish-and-chips'];
    const badFile = path.join(changedDir, 'bad.json');
    fs.writeFileSync(badFile, JSON.stringify({ version: 1, services: services.services }, null, 2));
    const text = fs.readFileSync(badFile, 'utf8');
    const badId = (services.services[2] as unknown as { id: string }).id;
    const line = text.slice(0, text.indexOf(JSON.stringify(badId))).split('\n').length;
    const refused = await run(dataDir, [badFile, '--format', 'waymark-json']);
    expect(refused.stdout).toContain(`error   ${path.relative(PATHS.root, badFile)}:${line} /services/2 — unknown category "fish-and-chips"`);
    expect(refused.stdout).toContain('Nothing imported');
    expect(refused.code).toBe(1);
    expect(await storedNames(dataDir)).toEqual(after);

    // A large file: a progress line on standard error while writing, the report on standard output.
    const template = services.services[5] as unknown as Record<string, unknown>;
    const many = Array.from({ length: 1500 }, (_, i) => {
      const copy = JSON.parse(JSON.stringify(template)) as { id: string; name: { en: string }; source?: unknown; phones: { id: string }[]; locations: { id: string; service_at_location_id: string; address?: { id: string }; schedules?: { id: string }[]; closures?: { id: string }[] }[] };
      copy.id = randomUUID();
      copy.name = { ...copy.name, en: `Bulk listing ${i}` };
      (copy.phones ?? []).forEach((p) => (p.id = randomUUID()));
      for (const l of copy.locations) {
        l.id = randomUUID();
        l.service_at_location_id = randomUUID();
        if (l.address) l.address.id = randomUUID();
        (l.schedules ?? []).forEach((h) => (h.id = randomUUID()));
        (l.closures ?? []).forEach((c) => (c.id = randomUUID()));
      }
      return copy;
    });
    const bulkFile = path.join(changedDir, 'bulk.json');
    fs.writeFileSync(bulkFile, JSON.stringify({ version: 1, services: many }));
    const bulk = await run(dataDir, [bulkFile, '--source', 'bulk-test']);
    expect(bulk.stderr).toContain('directory:import: written 1500 of 1500 listings');
    expect(bulk.stdout).toContain('Imported: 1500 created, 0 updated, 0 unchanged, 0 marked inactive.');
    expect(bulk.code).toBe(0);

    const missing = await run(dataDir, ['no-such-file.json']);
    expect(missing.stderr).toContain('no-such-file.json: no such file or folder');
    expect(missing.code).toBe(2);
  }, 120_000);
});
