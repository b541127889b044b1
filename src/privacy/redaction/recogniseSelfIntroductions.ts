import { toOriginalRange } from './MappedText';
import { foldTerm, type DetectionText } from './normaliseForDetection';
import type { RedactionSpan } from './RedactionSpan';
import { SELF_INTRODUCTIONS } from './selfIntroductionWords';
import { termsPattern } from './wordPatterns';

// Name particles: part of a name ("María de la Cruz", "Ahmed bin Ali") but not counted as one of its words.
const PARTICLES = new Set(['de', 'da', 'do', 'dos', 'das', 'del', 'della', 'di', 'du', 'des', 'la', 'le', 'el', 'al', 'van', 'von', 'der', 'den', 'ter', 'bin', 'ibn', 'ben', 'bint', 'binti', 'abu', 'ould', 'ag', 'بن', 'ابن', 'بنت', 'ابو']);
// Words between the phrase and the name that belong to neither ("my name: is Ali", "magacaygu waa Cali").
const CONNECTORS = new Set(['is', 'es', 'est', 'e', 'este', 'waa', 'ni', 'ay', 'po', 'se', 'adalah', 'هو', 'هي']);
const WORD = /[\p{L}\p{M}][\p{L}\p{M}'-]*\.?/gu;

type Script = 'spaced' | 'han' | 'burmese';

interface Language {
  readonly group: string;
  readonly script: Script;
  /** Sticky: from the end of the phrase, the candidate name. */
  readonly tail: RegExp;
  readonly stop: ReadonlySet<string>;
  readonly maxWords: number;
}

const NAME: Record<Script, string> = {
  spaced: "[\\p{L}\\p{M}][\\p{L}\\p{M}'\\-]*\\.?(?:[ \\t]+[\\p{L}\\p{M}][\\p{L}\\p{M}'\\-]*\\.?){0,7}",
  han: '\\p{Script=Han}{1,4}|\\p{Script=Latin}+(?:[ \\t]+\\p{Script=Latin}+){0,2}',
  burmese: '[\\u1000-\\u109F]+(?:[ \\t]+[\\u1000-\\u109F]+)?',
};

const LANGUAGES: readonly Language[] = Object.entries(SELF_INTRODUCTIONS).map(([code, lang]) => {
  const script: Script = code === 'zh' ? 'han' : code === 'my' ? 'burmese' : 'spaced';
  return {
    group: `l_${code}`,
    script,
    tail: new RegExp(`[\\s:：,\\-–—]*(?:က|ဟာ|မှာ)?\\s*(${NAME[script]})`, 'uy'),
    stop: new Set(lang.stop.map(foldTerm)),
    maxWords: lang.maxWords ?? 3,
  };
});

// All languages' phrases in one regex, one named group per language, so a message is scanned once. Ethiopic
// phrases must end at a word edge ("ስሜ", my name, is also the start of "ስሜት", feeling).
const PHRASES = new RegExp(
  Object.entries(SELF_INTRODUCTIONS)
    .map(([code, lang]) => {
      const phraseEnd = code === 'zh' || code === 'my' ? '' : "(?![\\p{L}\\p{M}'])";
      return `(?<l_${code}>${termsPattern(lang.before, { openEnd: true, arabicClitics: ['ar', 'fa', 'ps', 'ur'].includes(code) })}${phraseEnd})`;
    })
    .join('|'),
  'gu',
);

// Postposed introductions: one or two words, then "I am called" ("Abebe እባላለሁ", "Cali baa la i yiraahdaa").
const AFTER_NAME = Object.entries(SELF_INTRODUCTIONS)
  .filter(([, lang]) => lang.after?.length)
  .map(([code, lang]) => ({
    lang: LANGUAGES.find((l) => l.group === `l_${code}`) as Language,
    pattern: new RegExp(
      `(?<![\\p{L}\\p{M}])([\\p{L}\\p{M}][\\p{L}\\p{M}'\\-]*(?:[ \\t]+[\\p{L}\\p{M}][\\p{L}\\p{M}'\\-]*)?)[ \\t]+${termsPattern(lang.after ?? [], { openEnd: true })}`,
      'gu',
    ),
  }));

/** The part of `candidate` (the text after the phrase) that is the name, as `[start, end)` within it. */
function nameWithin(candidate: string, lang: Language): [number, number] | undefined {
  if (lang.script === 'han') {
    // A Chinese name is one to three characters; cut at the first character that starts the next clause.
    if (lang.stop.has(candidate[0] as string)) return undefined;
    let end = 1;
    while (end < candidate.length && !lang.stop.has(candidate[end] as string)) end++;
    return [0, end];
  }
  if (lang.script === 'burmese') {
    const [first = '', second] = candidate.split(/[ \t]+/);
    let text = second && !lang.stop.has(second) ? `${first} ${second}` : first;
    // Polite endings are often typed glued to the name ("မောင်မောင်ပါ").
    const ending = [...lang.stop].sort((a, b) => b.length - a.length).find((e) => text.endsWith(e) && text.length > e.length);
    if (ending) text = text.slice(0, -ending.length).trimEnd();
    return text && !lang.stop.has(text) ? [0, text.length] : undefined;
  }
  let start: number | undefined;
  let end = 0;
  let counted = 0;
  for (const match of candidate.matchAll(WORD)) {
    const word = match[0].replace(/\.$/, '');
    if (start === undefined && CONNECTORS.has(word)) continue;
    if (lang.stop.has(word)) break;
    const particle = PARTICLES.has(word);
    if (!particle && counted === lang.maxWords) break;
    start ??= match.index;
    // "J." is an initial; in "Ali." the full stop ends the sentence and stays.
    const endsSentence = match[0].endsWith('.') && match[0].length > 2;
    if (!particle) {
      counted++;
      end = match.index + match[0].length - (endsSentence ? 1 : 0);
    }
    if (endsSentence) break;
  }
  return start === undefined || counted === 0 ? undefined : [start, end];
}

/** For postposed introductions: the one or two words before the marker, minus leading ordinary words. */
function nameBeforeMarker(candidate: string, lang: Language): [number, number] | undefined {
  const words = [...candidate.matchAll(WORD)];
  const first = words.find((w) => !lang.stop.has(w[0]));
  const last = words[words.length - 1];
  return first && last ? [first.index, last.index + last[0].length] : undefined;
}

/**
 * Names after a self-introduction ("my name is …", "me llamo …", "اسمي …", "我叫 …", "ስሜ … ነው") in the 25 locales,
 * and before the few postposed forms ("Abebe እባላለሁ"). No offline named-entity recogniser handles these
 * languages, so the phrase is the evidence; a phrase followed by an ordinary word ("my name is on the list") is
 * not an introduction.
 */
export function recogniseSelfIntroductions(input: DetectionText): RedactionSpan[] {
  const text = input.folded.text;
  const found: Array<[number, number]> = [];
  for (const phrase of text.matchAll(PHRASES)) {
    const lang = LANGUAGES.find((l) => phrase.groups?.[l.group] !== undefined);
    if (!lang) continue;
    lang.tail.lastIndex = phrase.index + phrase[0].length;
    const tail = lang.tail.exec(text);
    const candidate = tail?.[1];
    if (!tail || !candidate) continue;
    const candidateStart = tail.index + tail[0].length - candidate.length;
    const within = nameWithin(candidate, lang);
    if (within) found.push([candidateStart + within[0], candidateStart + within[1]]);
  }
  for (const { lang, pattern } of AFTER_NAME) {
    for (const match of text.matchAll(pattern)) {
      const within = nameBeforeMarker(match[1] ?? '', lang);
      if (within) found.push([match.index + within[0], match.index + within[1]]);
    }
  }
  return found.flatMap(([start, end]) => {
    const range = toOriginalRange(input.folded, start, end);
    return range ? [{ kind: 'name' as const, ...range }] : [];
  });
}
