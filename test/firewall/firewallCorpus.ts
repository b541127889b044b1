import corpusFile from './corpus.json';
import ordinaryFile from './ordinaryRequests.json';

/** One message of the proof corpus and the exact fragments that must never be stored. */
export interface CorpusEntry {
  readonly locale: string;
  readonly text: string;
  readonly mustNotKeep: readonly string[];
}

export const corpus: readonly CorpusEntry[] = corpusFile;

/** Ordinary service requests, which redaction must leave readable. */
export const ordinaryRequests: ReadonlyArray<{ readonly locale: string; readonly text: string }> = ordinaryFile;
