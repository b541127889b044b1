import path from 'node:path';
import fs from 'node:fs';
import { loadDemoDataset, validateDirectoryDataset } from '../../src/directory/loadDirectoryDataset';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { PATHS } from '../../src/paths';

const languages = loadSupportedLanguages(PATHS.locales);

const demoDir = path.join(__dirname, '../../demo');

describe('the bundled demo directory', () => {
  const result = loadDemoDataset(demoDir);

  it('is valid', () => {
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('has at least 40 active services', () => {
    if (!result.ok) throw new Error('invalid dataset');
    expect(result.dataset.services.filter((s) => s.status === 'active').length).toBeGreaterThanOrEqual(40);
  });

  it('names and describes every service (and describes its organisation) in every language the bot speaks, each marked as demo data', () => {
    if (!result.ok) throw new Error('invalid dataset');
    const missing: string[] = [];
    for (const code of languages.codes) {
      // One "DEMO DATA —" per language, the same at the start of every description in it.
      const prefixes = new Set(result.dataset.services.map((s) => s.description[code]?.split('—')[0]));
      expect({ code, prefixes: prefixes.size }).toEqual({ code, prefixes: 1 });
      for (const service of result.dataset.services) {
        if (!service.name[code]) missing.push(`${service.id} name ${code}`);
        if (!service.description[code]?.includes('—')) missing.push(`${service.id} description ${code}`);
        if (!service.organization.description[code]?.includes('—')) missing.push(`${service.organization.id} organisation description ${code}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('says its translations are machine-written, as the locales do, from English', () => {
    if (!result.ok) throw new Error('invalid dataset');
    expect(result.dataset.translations).toMatchObject({ source: 'en', review: { status: 'machine' } });
  });

  it('refuses a translations note it cannot read, and a source language a service has no text in', () => {
    const raw = (translations: unknown) => ({
      version: 1,
      translations,
      taxonomy: [{ id: '0b0f8c4e-6f0e-4b8e-9a36-1d1f0f6c1c11', code: 'food', name: { en: 'Food' } }],
      services: [] as unknown[],
    });
    expect(validateDirectoryDataset(raw({ source: 'en', review: { status: 'machine' } })).ok).toBe(true);
    expect(validateDirectoryDataset(raw({ source: 'en', review: { status: 'unchecked' } })).ok).toBe(false);
    expect(validateDirectoryDataset(raw({ review: { status: 'machine' } })).ok).toBe(false);
    if (!result.ok) throw new Error('invalid dataset');
    const unknownSource = validateDirectoryDataset({ ...raw({ source: 'xx', review: { status: 'machine' } }), taxonomy: result.dataset.taxonomy, services: result.dataset.services.slice(0, 1) });
    expect(unknownSource.ok ? [] : unknownSource.errors).toEqual([expect.stringContaining('no text in the source language "xx"')]);
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
