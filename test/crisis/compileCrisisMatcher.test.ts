import { compileCrisisMatcher } from '../../src/crisis/compileCrisisMatcher';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCrisisTerms, type CrisisTerms } from '../../src/crisis/loadCrisisTerms';

const list = (locale: string, categories: Partial<CrisisTerms['categories']>): CrisisTerms => ({
  locale,
  review: { status: 'machine' },
  categories: { violence: [], exploitation: [], medical: [], suicide: [], child: [], ...categories },
});

const matcher = compileCrisisMatcher([
  list('en', { violence: ['hit* me', 'going to kill me'], exploitation: ['took … passport', 'cant leave'], suicide: ['kill myself'] }),
  list('es', { violence: ['me peg*', 'amenaz* … matar'], exploitation: ['quit* … pasaporte'] }),
  list('ar', { suicide: ['اريد ان اموت', 'bidi mout'] }),
  list('zh', { violence: ['打我', '要杀…我'] }),
]);
/** Writes a real term file with `terms` as its medical list and loads it as the app does. */
function loadCrisisTermsFrom(terms: string[]): CrisisTerms[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-terms-'));
  try {
    fs.mkdirSync(path.join(dir, 'en'));
    const categories = { violence: ['hit* me'], exploitation: ['cant leave'], medical: terms, suicide: ['kill myself'], child: ['child alone'] };
    fs.writeFileSync(path.join(dir, 'en', 'crisis-terms.json'), JSON.stringify({ version: 1, locale: 'en', review: { status: 'machine' }, categories }));
    return loadCrisisTerms(dir, ['en']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const found = (text: string) => matcher.find(text).map((h) => `${h.locale}:${h.category}:${h.term}`);

describe('the crisis matcher', () => {
  it('matches whole words in order, after the same folding as menus (case, accents, punctuation)', () => {
    expect(found('He HITS me every night!!')).toEqual(['en:violence:hit* me']);
    expect(found('he is going to KILL me')).toEqual(['en:violence:going to kill me']);
    expect(found('mi marido me pegó ayer')).toEqual(['es:violence:me peg*']);
    expect(found('mi marido me pego')).toEqual(['es:violence:me peg*']);
  });

  it('never matches inside a word, or a stem that is not at the start of a word', () => {
    expect(found('whit me')).toEqual([]);
    expect(found('he is going to kill mercy')).toEqual([]);
    expect(found('skill myself up')).toEqual([]);
  });

  it('lets up to three words stand in a gap (…), in order only', () => {
    expect(found('they took away my passport')).toEqual(['en:exploitation:took … passport']);
    expect(found('they took my old red passport')).toEqual(['en:exploitation:took … passport']);
    expect(found('they took my very old red passport')).toEqual([]);
    expect(found('passport took')).toEqual([]);
    expect(found('me quitaron el pasaporte')).toEqual(['es:exploitation:quit* … pasaporte']);
    expect(found('me amenazó con matarme')).toEqual([]);
    expect(found('me amenazaron con matar')).toEqual(['es:violence:amenaz* … matar']);
  });

  it('folds Arabic letter variants and reads transliterations', () => {
    expect(found('أريد أن أموت')).toEqual(['ar:suicide:اريد ان اموت']);
    expect(found('wallah bidi mout')).toEqual(['ar:suicide:bidi mout']);
  });

  it('matches terms of scripts without spaces anywhere in the text, even typed with spaces', () => {
    expect(found('他每天打我')).toEqual(['zh:violence:打我']);
    expect(found('他说要杀了我')).toEqual(['zh:violence:要杀…我']);
    expect(found('他 每天 打 我')).toEqual(['zh:violence:打我']);
  });

  it('reads Arabic "and" joined to the next word as a word of its own', () => {
    expect(found('وأريد أن أموت')).toEqual(['ar:suicide:اريد ان اموت']);
    expect(found('وريد')).toEqual([]);
  });

  it('reads a message mixing languages, and reports every list that matched', () => {
    expect(found('help me pegan y me quitaron el pasaporte i cant leave')).toEqual([
      'en:exploitation:cant leave',
      'es:violence:me peg*',
      'es:exploitation:quit* … pasaporte',
    ]);
  });

  it('finds nothing in ordinary requests', () => {
    for (const text of ['my phone was stolen', 'I am dying to find a job', 'the shelter closed', '', '???']) expect(found(text)).toEqual([]);
  });

  describe('parts joined with + (all somewhere in the same message)', () => {
    const joined = compileCrisisMatcher([
      list('en', { medical: ['chest + pain*', 'cant … breath* + help'], exploitation: ['boss + passport'], child: ['child* + alone … days'] }),
      list('zh', { medical: ['胸 + 疼'] }),
    ]);
    const joinedFound = (text: string) => joined.find(text).map((h) => `${h.locale}:${h.term}`);

    it('matches the parts in either order and at any distance', () => {
      expect(joinedFound('pain in my chest since an hour')).toEqual(['en:chest + pain*']);
      expect(joinedFound('my chest is hurting, terrible pains')).toEqual(['en:chest + pain*']);
      expect(joinedFound('the boss has kept my passport')).toEqual(['en:boss + passport']);
      expect(joinedFound('my passport is with the boss')).toEqual(['en:boss + passport']);
      expect(joinedFound('我胸口很疼')).toEqual(['zh:胸 + 疼']);
    });

    it('needs every part, each matched by the rules of its own (whole words, stems, gaps)', () => {
      expect(joinedFound('my chest x-ray is tomorrow')).toEqual([]);
      expect(joinedFound('I have back pain')).toEqual([]);
      expect(joinedFound('my bossy sister has my passport')).toEqual([]);
      expect(joinedFound('help I cant breathe')).toEqual(['en:cant … breath* + help']);
      expect(joinedFound('help I cant really properly ever at all breathe')).toEqual([]);
      expect(joinedFound('the children are alone for 3 days')).toEqual(['en:child* + alone … days']);
      expect(joinedFound('alone for days, the children')).toEqual(['en:child* + alone … days']);
      expect(joinedFound('the children are alone')).toEqual([]);
    });

    it('refuses a + that does not stand between two parts', () => {
      expect(() => loadCrisisTermsFrom(['+ pain'])).toThrow(/between two parts/);
      expect(() => loadCrisisTermsFrom(['chest +'])).toThrow(/between two parts/);
    });
  });
});
