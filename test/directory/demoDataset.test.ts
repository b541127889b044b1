import path from 'node:path';
import { loadDemoDataset } from '../../src/directory/loadDirectoryDataset';
import fs from 'node:fs';

const demoDir = path.join(__dirname, '../../demo');

describe('the bundled demo directory', () => {
  const result = loadDemoDataset(demoDir);

  it('is valid', () => {
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('has at least 40 active services, every one marked as demo data in every language', () => {
    if (!result.ok) throw new Error('invalid dataset');
    const active = result.dataset.services.filter((s) => s.status === 'active');
    expect(active.length).toBeGreaterThanOrEqual(40);
    for (const service of result.dataset.services) {
      expect([service.id, Object.keys(service.description).length > 0]).toEqual([service.id, true]);
      for (const text of Object.values(service.description)) expect(text).toMatch(/DEMO|DÉMO|تجريبي|DEMOSTRACIÓN|demostración|démonstration/i);
    }
  });

  it('offers at least two services for every category a dialog searches', () => {
    if (!result.ok) throw new Error('invalid dataset');
    const dialogDir = path.join(__dirname, '../../dialogs');
    const searched = new Set<string>();
    for (const file of fs.readdirSync(dialogDir).filter((f) => f.endsWith('.json'))) {
      const tree = JSON.parse(fs.readFileSync(path.join(dialogDir, file), 'utf8')) as { nodes: { action?: { type: string; category?: string } }[] };
      for (const node of tree.nodes) if (node.action?.type === 'search' && node.action.category) searched.add(node.action.category);
    }
    const active = result.dataset.services.filter((s) => s.status === 'active');
    expect(searched.size).toBeGreaterThan(0);
    for (const category of searched) {
      const count = active.filter((s) => s.categories.includes(category)).length;
      expect({ category, enough: count >= 2 }).toEqual({ category, enough: true });
    }
  });
});
