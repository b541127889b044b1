import fs from 'node:fs';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import type { Waymark } from '../../src/bootstrap';
import type { DirectoryDataset, ServiceEntry } from '../../src/directory/directoryDataset';
import { createTranslator } from '../../src/language/createTranslator';
import { loadSupportedLanguages } from '../../src/language/supportedLanguages';
import { PATHS } from '../../src/paths';
import { startTestBot } from '../support/startTestBot';

/**
 * "Open now" and "No papers needed" on a results page, end to end with a fake clock: Monday 7 December 2026,
 * 12:00 in London (14:00 in Kyiv). The reply must be true: "open now" lists only services whose status is
 * open at that moment on their own clock, never one whose hours are unknown.
 */
const NOW = Date.parse('2026-12-07T12:00:00Z');
const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = (locale: string, key: string, vars?: Record<string, string>) => translator.t(locale, key, vars);
const SALFORD = { latitude: 53.4875, longitude: -2.2901 };

let n = 0;
const id = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
function service(name: string, documents: ServiceEntry['documents_required'], hours: { byday: string; opens_at: string; closes_at: string }[], extra: { timezone?: string; closures?: { valid_from: string; valid_to: string }[]; km?: number } = {}): ServiceEntry {
  return {
    id: id(),
    organization: { id: id(), name: `${name} org`, description: { en: 'DEMO' } },
    name: { en: name },
    description: { en: `DEMO DATA — ${name}` },
    status: 'active',
    categories: ['mental-health'],
    languages: ['en'],
    documents_required: documents,
    assured_date: '2026-11-01',
    review_interval_days: 180,
    facets: [],
    phones: [{ id: id(), number: '+441614960001', type: 'voice' }],
    locations: [{
      id: id(),
      service_at_location_id: id(),
      latitude: SALFORD.latitude + (extra.km ?? 1) / 111.2,
      longitude: SALFORD.longitude,
      timezone: extra.timezone ?? 'Europe/London',
      confidential: false,
      address: { id: id(), address_1: '1 Test Street', city: 'Salford', country: 'GB' },
      schedules: hours.map((h) => ({ id: id(), ...h })),
      closures: (extra.closures ?? []).map((c) => ({ id: id(), ...c })),
    }],
  };
}
const WEEKDAYS = [{ byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '17:00' }];
const EVERY_DAY = 'MO,TU,WE,TH,FR,SA,SU';

function directory(): DirectoryDataset {
  const { taxonomy } = JSON.parse(fs.readFileSync(path.join(PATHS.demo, 'taxonomy.json'), 'utf8')) as { taxonomy: DirectoryDataset['taxonomy'] };
  return {
    version: 1,
    taxonomy,
    services: [
      service('Always-open listening line', 'none', [{ byday: EVERY_DAY, opens_at: '00:00', closes_at: '24:00' }], { km: 1 }),
      service('Weekday counselling', 'some', WEEKDAYS, { km: 1.5 }),
      service('Hours-unknown drop-in', 'none', [], { km: 2 }),
      // Its hours are Kyiv's: 09:00–13:00 there is over by 12:00 in London.
      service('Kyiv-hours clinic', 'none', [{ byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '13:00' }], { timezone: 'Europe/Kyiv', km: 2.5 }),
      service('Night sanctuary', 'none', [{ byday: EVERY_DAY, opens_at: '20:00', closes_at: '08:00' }], { km: 3 }),
      service('Closed-this-week centre', 'none', WEEKDAYS, { closures: [{ valid_from: '2026-12-07', valid_to: '2026-12-11' }], km: 3.5 }),
    ],
  };
}
const NAMES = directory().services.map((s) => s.name.en as string);

let bot: Awaited<ReturnType<typeof startTestBot>>;
let waymark: Waymark;
beforeAll(async () => {
  bot = await startTestBot({}, { clock: () => NOW });
  waymark = bot.waymark;
  await waymark.storage.directory.replaceAll(directory());
});
afterAll(() => waymark.close());

const textOf = (a: Partial<Activity>) => (a.text ?? '').replace(/[\u2066-\u2069]/g, '');
const buttons = (a: Partial<Activity>) => (a.suggestedActions?.actions ?? []).map((x) => x.title);
const listed = (a: Partial<Activity>) => NAMES.filter((name) => textOf(a).includes(name));

describe.each(['en', 'ar', 'uk'])('refining results in %s', (locale) => {
  it('narrows to open now, then to no papers needed, says so, and shows everything again', async () => {
    const adapter = bot.adapterFor(`refine-${locale}`);
    const label = (key: string) => t(locale, key);
    const endonym = languages.get(locale)?.endonym as string;
    await adapter
      .send('hi')
      .assertReply(() => undefined)
      .send(endonym)
      .assertReply(() => undefined)
      .send(label('dialogs:menu.choice.health'))
      .assertReply(() => undefined)
      .send(label('dialogs:health.choice.mental'))
      .assertReply(() => undefined)
      .send('salford')
      .assertReply((reply) => {
        // Everything within 5 km, three to a page, nearest first.
        expect(listed(reply)).toEqual(NAMES.slice(0, 3));
        expect(buttons(reply)).toEqual(expect.arrayContaining([label('directory:refine.openNow'), label('directory:refine.noDocuments')]));
        expect(buttons(reply)).not.toContain(label('directory:refine.showAll'));
      })
      .send(label('directory:refine.openNow'))
      .assertReply((reply) => {
        const text = textOf(reply);
        expect(text).toContain(label('directory:refine.onlyOpenNow'));
        // Open at 12:00 on their own clocks: not unknown hours, not Kyiv's afternoon, not the night shelter, not the closure.
        expect(listed(reply)).toEqual(['Always-open listening line', 'Weekday counselling']);
        expect(buttons(reply)).not.toContain(label('directory:refine.openNow'));
        expect(buttons(reply)).toEqual(expect.arrayContaining([label('directory:refine.noDocuments'), label('directory:refine.showAll')]));
      })
      .send(label('directory:refine.noDocuments'))
      .assertReply((reply) => {
        expect(textOf(reply)).toContain(label('directory:refine.onlyBoth'));
        // The weekday counselling asks for documents.
        expect(listed(reply)).toEqual(['Always-open listening line']);
      })
      .send(label('directory:refine.showAll'))
      .assertReply((reply) => {
        expect(textOf(reply)).not.toContain(label('directory:refine.onlyOpenNow'));
        expect(listed(reply)).toEqual(NAMES.slice(0, 3));
        expect(textOf(reply)).toContain(t(locale, 'directory:results.range', { from: nf(locale, 1), to: nf(locale, 3), total: nf(locale, 6) }));
      })
      .send(label('directory:refine.noDocuments'))
      .assertReply((reply) => {
        expect(textOf(reply)).toContain(label('directory:refine.onlyNoDocuments'));
        // "unknown" documents would not count; these all say none. Unknown hours are fine here.
        expect(listed(reply)).toEqual(['Always-open listening line', 'Hours-unknown drop-in', 'Kyiv-hours clinic']);
      })
      .startTest();
  });
});

function nf(locale: string, v: number): string {
  return new Intl.NumberFormat(locale).format(v);
}

describe('a narrowed search that finds nothing', () => {
  it('says no service like that is near, and offers to show everything again', async () => {
    await waymark.storage.directory.replaceAll({ ...directory(), services: directory().services.filter((s) => s.name.en === 'Hours-unknown drop-in') });
    const adapter = bot.adapterFor('refine-none');
    await adapter
      .send('hi').assertReply(() => undefined)
      .send('English').assertReply(() => undefined)
      .send(t('en', 'dialogs:menu.choice.health')).assertReply(() => undefined)
      .send(t('en', 'dialogs:health.choice.mental')).assertReply(() => undefined)
      .send('salford')
      .assertReply((reply) => expect(listed(reply)).toEqual(['Hours-unknown drop-in']))
      .send(t('en', 'directory:refine.openNow'))
      .assertReply((reply) => {
        // Hours not known are never called open.
        expect(textOf(reply)).toContain(t('en', 'directory:refine.none', { area: 'Salford' }));
        expect(listed(reply)).toEqual([]);
        expect(buttons(reply)).toContain(t('en', 'directory:refine.showAll'));
      })
      .startTest();
    await waymark.storage.directory.replaceAll(directory());
  });
});
