import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { PATHS } from '../../src/paths';
import { StartupError } from '../../src/StartupError';
import { parseConfig } from '../../src/config';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { createTranslator } from '../../src/language/createTranslator';
import { loadCrisisTerms } from '../../src/crisis/loadCrisisTerms';
import { compileCrisisMatcher } from '../../src/crisis/compileCrisisMatcher';
import { createCrisisDetector } from '../../src/crisis/createCrisisDetector';
import { loadCrisisDetector } from '../../src/crisis/loadCrisisSetup';
import { CRISIS_MODEL_FILE, loadCrisisModel, modelCategoryFolded, modelFromFile, quantiseModel, scoreWithModel, type FeatureSpec } from '../../src/crisis/crisisModel';
import { trainCrisisModel } from '../../src/crisis/trainCrisisModel';
import { startTestBot } from '../support/startTestBot';
import samples from '../fixtures/crisis/samples.json';

/**
 * The offline crisis model (locales/crisis-model.json, written by `npm run crisis:train`): a second opinion
 * after the term lists that can only add a detection, only when CRISIS_MODEL=on. The sentences the terms
 * miss and the model catches are written here, not taken from any evaluation corpus.
 */
const languages = loadSupportedLanguages(PATHS.locales);
const matcher = compileCrisisMatcher(loadCrisisTerms(PATHS.locales, languages.codes));
const model = loadCrisisModel(path.join(PATHS.locales, CRISIS_MODEL_FILE));
const sample = samples as Record<string, { crisis: string; nearMiss: string }>;

/** Danger no term names: caught by the model alone. */
const MODEL_ONLY = [
  { text: 'my neighbour locks her daughter in the cupboard for days', category: 'child' },
  { text: 'my flatmate has been shaking on the floor and foaming', category: 'medical' },
] as const;
const ORDINARY = ['A bed tonight', 'I need a doctor appointment next week', 'where can I find a job', 'my landlord wants more rent from next month', 'can I get free English classes near here'];

describe('the model file', () => {
  it('loads as shipped, with a threshold chosen by training', () => {
    expect(model.bytes.length).toBe(6 * model.spec.buckets);
    expect(model.threshold).toBeGreaterThan(0);
    expect(model.threshold).toBeLessThan(1);
  });

  it('scores the same message the same way every time', () => {
    const first = scoreWithModel(model, MODEL_ONLY[0].text);
    for (let i = 0; i < 3; i++) expect(scoreWithModel(model, MODEL_ONLY[0].text)).toEqual(first);
    expect(scoreWithModel(loadCrisisModel(path.join(PATHS.locales, CRISIS_MODEL_FILE)), MODEL_ONLY[0].text)).toEqual(first);
  });

  it('trains to the same bytes from the same data and seed', () => {
    const spec: FeatureSpec = { buckets: 1 << 10, minChars: 2, maxChars: 4, wordPairs: true };
    const examples = [
      { text: 'he hits me every night', label: 1, weight: 1 },
      { text: 'my boss keeps my passport', label: 2, weight: 1 },
      { text: 'where is the library', label: 0, weight: 1 },
      { text: 'my phone was stolen', label: 0, weight: 1 },
    ];
    const train = () => quantiseModel(trainCrisisModel(examples, { spec, epochs: 3, learningRate: 0.5, l2: 1e-3, seed: 7 }), 0.5, '', {});
    expect(train().weights).toBe(train().weights);
    expect(train().weights).not.toBe(quantiseModel(trainCrisisModel(examples, { spec, epochs: 3, learningRate: 0.5, l2: 1e-3, seed: 8 }), 0.5, '', {}).weights);
  });

  it('refuses a file whose weights do not fit its size, and the start says which file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waymark-crisis-model-'));
    fs.cpSync(PATHS.locales, dir, { recursive: true });
    const file = JSON.parse(fs.readFileSync(path.join(dir, CRISIS_MODEL_FILE), 'utf8')) as { weights: string };
    fs.writeFileSync(path.join(dir, CRISIS_MODEL_FILE), JSON.stringify({ ...file, weights: file.weights.slice(0, 1000) }));
    expect(() => loadCrisisDetector(dir, languages.codes, true)).toThrow(StartupError);
    expect(() => loadCrisisDetector(dir, languages.codes, true)).toThrow(/crisis-model\.json: |weights: expected/);
    // Off, the file is not read at all.
    expect(loadCrisisDetector(dir, languages.codes, false)(sample.en?.crisis as string)).toBeDefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads a written model back the way it was trained', () => {
    const again = modelFromFile(quantiseModel({ spec: model.spec, weights: new Float32Array(6 * model.spec.buckets), bias: new Float32Array(6) }, 0.5, '', {}));
    // An all-zero model says the six classes are equally likely: 5/6 for "some danger".
    expect(scoreWithModel(again, 'one two three')?.score).toBeCloseTo(5 / 6, 6);
  });
});

describe('the detector with the model', () => {
  const withModel = createCrisisDetector(matcher, (folded) => modelCategoryFolded(model, folded));
  const termsOnly = createCrisisDetector(matcher);

  it.each(MODEL_ONLY)('adds what the terms miss: "$text"', ({ text, category }) => {
    expect(termsOnly(text)).toBeUndefined();
    expect(withModel(text)).toEqual({ categories: [category], locales: [] });
  });

  it('never removes or changes what the terms find', () => {
    for (const locale of languages.codes) {
      const crisis = sample[locale]?.crisis as string;
      expect(withModel(crisis)).toEqual(termsOnly(crisis));
      expect(withModel(crisis)).toBeDefined();
    }
  });

  it('stays quiet on every near-miss sample and on ordinary requests', () => {
    for (const locale of languages.codes) expect(withModel(sample[locale]?.nearMiss as string)).toBeUndefined();
    for (const text of ORDINARY) expect(withModel(text)).toBeUndefined();
  });

  it('does not read menu options, commands or numbers', () => {
    for (const text of ['help', 'Housing', 'forget me', '0 7 9 1 1 1 2 3 4 5 6', '00000000-0000-0000-0000-000000000001']) {
      expect(scoreWithModel(model, text)).toBeUndefined();
    }
  });
});

describe('CRISIS_MODEL', () => {
  const base = { NODE_ENV: 'test', DATA_DIR: os.tmpdir(), PSEUDONYM_KEY: 'test-pseudonym-key-0123456789abcdef0123', DATA_KEY: Buffer.alloc(32, 7).toString('base64') };
  it('is off unless set to on, and refuses anything else with a reason', () => {
    const config = (value?: string) => parseConfig({ ...base, ...(value === undefined ? {} : { CRISIS_MODEL: value }) });
    expect(config()).toMatchObject({ ok: true, config: { crisisModel: false } });
    expect(config('')).toMatchObject({ ok: true, config: { crisisModel: false } });
    expect(config('off')).toMatchObject({ ok: true, config: { crisisModel: false } });
    expect(config('on')).toMatchObject({ ok: true, config: { crisisModel: true } });
    const bad = config('yes');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/CRISIS_MODEL/);
  });

  it('turns the model on and off in the bot', async () => {
    const translator = createTranslator(PATHS.locales, languages.codes);
    const intro = translator.t('en', 'common:crisis.intro');
    const plain = (a: Partial<Activity>) => (a.text ?? '').replace(/[\u2066-\u2069]/g, '');
    const on = await startTestBot({ CRISIS_MODEL: 'on' });
    const off = await startTestBot({ CRISIS_MODEL: 'off' });
    try {
      await on.adapterFor('model-on').send(MODEL_ONLY[0].text).assertReply((reply) => expect(plain(reply)).toContain(intro)).startTest();
      await off.adapterFor('model-off').send(MODEL_ONLY[0].text).assertReply((reply) => expect(plain(reply)).not.toContain(intro)).startTest();
      // A near-miss stays quiet with the model on.
      await on.adapterFor('model-on-near-miss').send(sample.en?.nearMiss as string).assertReply((reply) => expect(plain(reply)).not.toContain(intro)).startTest();
    } finally {
      await on.waymark.close();
      await off.waymark.close();
    }
  });
});
