import { compileCrisisMatcher } from '../../src/crisis/compileCrisisMatcher';
import type { CrisisTerms } from '../../src/crisis/loadCrisisTerms';

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
});
