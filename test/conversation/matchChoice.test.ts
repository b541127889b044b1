import { matchChoice } from '../../src/conversation/matchChoice';
import { normalizeForMatch, sanitizeUserText } from '../../src/conversation/normalizeText';

const options = [['Health', 'Salud'], ['Legal help'], ['Housing'], ['Work'], ['Emergency']];
const pick = (input: string, opts: string[][] = options) => {
  const m = matchChoice(input, opts);
  return m.ok ? m.index + 1 : 'none';
};

describe('matching a reply to the options on screen', () => {
  it.each([
    ['2', 2], [' 2 ', 2], ['2.', 2], ['٢', 2], ['۳', 3], ['२', 2], ['6', 'none'], ['0', 'none'],
    ['housing', 3], ['HOUSING', 3], ['  Housing  ', 3], ['Hous', 3], ['housnig', 3], ['i need housing please', 3],
    ['emergancy', 5], ['legal   help', 2], ['salud', 1], ['banana', 'none'], ['', 'none'],
  ])('"%s" → %s', (input, expected) => {
    expect(pick(input)).toBe(expected);
  });

  it('ignores accents and Arabic letter variants', () => {
    expect(pick('sante', [['Santé'], ['Logement']])).toBe(1);
    expect(pick('الصحه', [['الصحة'], ['السكن']])).toBe(1);
    expect(pick('إسكان', [['الصحة'], ['اسكان']])).toBe(2);
  });

  it('refuses to guess between two options that match equally', () => {
    expect(pick('leg', [['Legal aid'], ['Legal help']])).toBe('none');
  });
});

describe('cleaning user text', () => {
  it('removes control and bidirectional override characters but keeps the words', () => {
    expect(sanitizeUserText('he\u0000llo\u202E world\u200B')).toBe('hello world');
  });

  it('folds case, accents, digits and punctuation for comparison', () => {
    expect(normalizeForMatch('  ¡Menú!  ')).toBe('menu');
    expect(normalizeForMatch('?')).toBe('?');
  });
});
