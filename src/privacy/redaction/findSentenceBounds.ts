// Sentence ends in our scripts: Latin/Cyrillic, Arabic (؟ ؛ and Urdu ۔), Devanagari danda, Ethiopic ። ፧ ፨,
// Burmese ။, CJK 。！？；. Commas are not ends: "I crossed illegally, in 2019, from Honduras" is one disclosure.
const SENTENCE_END = /[!?;\n\r…؟؛۔।॥።፧፨။。！？；]/u;

function isSentenceEnd(text: string, i: number): boolean {
  const c = text[i] as string;
  if (SENTENCE_END.test(c)) return true;
  // A full stop ends a sentence when followed by a space or the end, not inside "12.03.1990" or "p.m.x".
  return c === '.' && (i + 1 === text.length || /\s/.test(text[i + 1] as string));
}

/** The sentence around `[start, end)`: from after the previous sentence end to before the next one, trimmed. */
export function findSentenceBounds(text: string, start: number, end: number): [number, number] {
  let from = start;
  while (from > 0 && !isSentenceEnd(text, from - 1)) from--;
  let to = end;
  while (to < text.length && !isSentenceEnd(text, to)) to++;
  while (from < start && /\s/.test(text[from] as string)) from++;
  while (to > end && /\s/.test(text[to - 1] as string)) to--;
  return [from, to];
}
