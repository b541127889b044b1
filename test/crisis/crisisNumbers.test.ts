import fs from 'node:fs';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { bootstrap } from '../../src/bootstrap';
import { StartupError } from '../../src/StartupError';
import { PATHS } from '../../src/paths';
import { createStorageBackend } from '../../src/storage/createStorageBackend';
import { createCrisisContactsFinder } from '../../src/crisis/findCrisisContacts';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { createTranslator } from '../../src/language/createTranslator';
import type { WaymarkReplyData } from '../../src/channels/replyContract';
import { makeDataDir, testConfig } from '../support/testConfig';
import { startTestBot } from '../support/startTestBot';

/**
 * Where the emergency screen's numbers come from: the validated file for the region's country; without
 * one, the region's emergency number and the directory's crisis helplines; with neither, 112 and a note.
 * A file that is wrong, or for another country, stops the start with its name and the problem.
 */
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const plain = (a: Partial<Activity>) => (a.text ?? '').replace(/[\u2066-\u2069]/g, '');
const calls = (a: Partial<Activity>) => ((a.channelData as { waymark?: WaymarkReplyData } | undefined)?.waymark?.calls ?? []).map((c) => c.tel);
const demoNumbers = JSON.parse(fs.readFileSync(path.join(PATHS.demo, 'crisis-numbers.json'), 'utf8')) as Record<string, unknown>;

function numbersFile(content: unknown): string {
  const file = path.join(makeDataDir(), 'crisis-numbers.json');
  fs.writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('the crisis numbers file', () => {
  it.each([
    ['a file for another country than the region', { ...demoNumbers, country: 'FR' }, /numbers for FR, but the region is in GB/],
    ['a file with a number that is not dialable', { ...demoNumbers, emergency: { number: '9-9-9' } }, /emergency\.number: digits, spaces and an optional leading \+/],
    ['a file with an unknown kind of line', { ...demoNumbers, lines: [{ kind: 'taxi', name: 'X', number: '123', categories: ['medical'] }] }, /lines\.0\.kind/],
    ['a file that is not JSON', '{', /crisis-numbers\.json/],
  ])('stops the start on %s, naming the problem', async (_what, content, message) => {
    const file = typeof content === 'string' ? (() => {
      const f = path.join(makeDataDir(), 'crisis-numbers.json');
      fs.writeFileSync(f, content);
      return f;
    })() : numbersFile(content);
    const failure = bootstrap(testConfig({ CRISIS_NUMBERS_FILE: file }));
    await expect(failure).rejects.toBeInstanceOf(StartupError);
    await expect(bootstrap(testConfig({ CRISIS_NUMBERS_FILE: file }))).rejects.toThrow(message);
  });
});

describe('without a numbers file', () => {
  it("shows the region's emergency number and the directory's crisis helplines", async () => {
    const bot = await startTestBot({ CRISIS_NUMBERS_FILE: 'none' });
    try {
      await bot
        .adapterFor('no-file')
        .send('hi')
        .assertReply(() => undefined)
        .send('English')
        .assertReply(() => undefined)
        .send('i want to kill myself')
        .assertReply((reply) => {
          expect(calls(reply)[0]).toBe('999');
          // Every other number is a helpline listed in the demo directory's crisis-helpline category.
          expect(calls(reply).length).toBeGreaterThan(1);
          expect(plain(reply)).toContain(translator.t('en', 'common:crisis.kind.other'));
          expect(plain(reply)).not.toContain('Samaritans');
          // Only the numbers file says what a call costs: without it, the screen does not claim it is free.
          expect(plain(reply)).toContain(translator.t('en', 'common:crisis.callEmergency', { emergencyNumber: '999' }));
          expect(plain(reply)).not.toContain(translator.t('en', 'common:crisis.callIsFree'));
        })
        .startTest();
    } finally {
      await bot.waymark.close();
    }
  });

  it('with no emergency number and no helplines either: 112, and a note that no helplines are set up', async () => {
    const storage = await createStorageBackend(testConfig({ DATA_DIR: makeDataDir() }));
    try {
      const contacts = await createCrisisContactsFinder({ directory: storage.directory })(['violence']);
      expect(contacts).toEqual({ source: 'none', emergency: { number: '112', alternatives: [] }, lines: [] });
    } finally {
      await storage.close();
    }
  });
});
