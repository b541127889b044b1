import fs from 'node:fs';
import path from 'node:path';
import { loadDemoDataset } from '../../../src/directory/loadDirectoryDataset';
import { readImport } from '../../../src/directory/import/importReaders';
import { PATHS } from '../../../src/paths';

// Every format the import offers goes through one registry: a reader left unconnected would answer
// "not available" on the command line, the staff page and the API alike.
const demo = loadDemoDataset(PATHS.demo);
if (!demo.ok) throw new Error(demo.errors.join('\n'));
const taxonomy = demo.dataset.taxonomy;
const options = { defaultCountry: 'GB', defaultTimezone: 'Europe/London', taxonomy };
const errors = <P extends { severity: string }>(problems: readonly P[]) => problems.filter((p) => p.severity === 'error');

describe('import readers are connected for every format', () => {
  it('reads the council spreadsheet template as council-csv, its refs under the file name as source', async () => {
    const file = 'salford-weekly.csv';
    const parsed = await readImport(new Map([[file, fs.readFileSync(path.join(PATHS.root, 'docs', 'templates', 'council-spreadsheet.csv'))]]), { file, ...options });
    expect(parsed.format).toBe('council-csv');
    expect(errors(parsed.problems)).toEqual([]);
    expect(parsed.services.length).toBeGreaterThan(0);
    expect(parsed.services.every((s) => s.source?.name === 'salford-weekly')).toBe(true);
  });

  it('reads an HSDS service list as hsds-json, and names a fault at its path', async () => {
    const service = JSON.parse(fs.readFileSync(path.join(PATHS.root, '..', 'shared', 'hsds', 'examples', 'service_full.json'), 'utf8')) as unknown;
    const file = 'services.hsds.json';
    const parsed = await readImport(new Map([[file, Buffer.from(JSON.stringify([service], null, 2))]]), { file, ...options });
    expect(parsed.format).toBe('hsds-json');
    expect(errors(parsed.problems).map((p) => p.path)).toContain('/0/service_at_locations/0/location/latitude');
  });
});
