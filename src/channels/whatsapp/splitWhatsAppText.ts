/**
 * Splits text into chunks of at most `max` UTF-16 code units for WhatsApp's message limits, cutting where a
 * reader expects a break: between paragraphs, else between lines, else between words, and only as a last
 * resort between graphemes (never inside one). Chunks are packed greedily, so the count is minimal for
 * that order of preference.
 */
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function splitWhatsAppText(text: string, max: number): string[] {
  const trimmed = text.trim();
  if (trimmed.length <= max) return trimmed ? [trimmed] : [];
  return pack(trimmed.split(/\n{2,}/), '\n\n', max, (paragraph) =>
    pack(paragraph.split('\n'), '\n', max, (line) => pack(line.split(/(?<=\s)/), '', max, (word) => byGraphemes(word, max))),
  );
}

/** Joins consecutive pieces with `separator` while they fit; a piece too long alone is split by `finer`. */
function pack(pieces: readonly string[], separator: string, max: number, finer: (piece: string) => string[]): string[] {
  const chunks: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim()) chunks.push(current.trim());
    current = '';
  };
  for (const piece of pieces) {
    if (!piece.trim()) continue;
    if (piece.length > max) {
      flush();
      chunks.push(...finer(piece));
      continue;
    }
    const joined = current ? current + separator + piece : piece;
    if (joined.length <= max) current = joined;
    else {
      flush();
      current = piece;
    }
  }
  flush();
  return chunks;
}

function byGraphemes(text: string, max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const { segment } of graphemes.segment(text)) {
    if (current.length + segment.length > max && current) {
      chunks.push(current);
      current = '';
    }
    current += segment;
  }
  if (current) chunks.push(current);
  return chunks;
}
