import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DETECTABLE_LANGUAGES } from '../../src/language/detection/detectableLanguages';

const Message = z.strictObject({
  lang: z.enum(DETECTABLE_LANGUAGES),
  /** A regional variety filed under its locale: `prs` (Dari) sentences count as Persian. */
  variant: z.string().optional(),
  text: z.string().min(1),
});

const HardCase = z.strictObject({
  kind: z.enum(['romanised', 'short', 'mixed-script', 'emoji', 'numbers', 'empty', 'punctuation', 'garbage']),
  text: z.string(),
  /** Always null: no language should be claimed with high confidence. */
  expected: z.null(),
  /** What a reader would guess, for reporting only ("ur/hi" when either is fair). */
  plausible: z.string().optional(),
});

const Corpus = z.strictObject({
  version: z.literal(1),
  about: z.string(),
  messages: z.array(Message).min(300),
  hard: z.array(HardCase).min(1),
});

export type CorpusMessage = z.infer<typeof Message>;
export type HardCase = z.infer<typeof HardCase>;
export type DetectionCorpus = z.infer<typeof Corpus>;

export const CORPUS_FILE = path.join(__dirname, '..', 'fixtures', 'language-detection', 'corpus.json');

/** Reads and validates the detection corpus; a malformed entry fails with its index and field. */
export function loadDetectionCorpus(file = CORPUS_FILE): DetectionCorpus {
  const parsed = Corpus.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}
