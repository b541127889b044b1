import path from 'node:path';
import corpusFile from './corpus.json';
import { PATHS } from '../../src/paths';
import { loadCrisisCorpus } from '../../src/crisis/evaluateCrisisDetection';
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

/**
 * Two messages per locale from the crisis evaluation corpus (`eval/crisis/`), for the firewall proof: a
 * message that says someone is in danger takes another path (the emergency screen, an urgent escalation),
 * and that path must keep no more than any other. Nothing in them is a fragment to redact, so only the whole
 * message is checked.
 */
export const crisisSamples: readonly CorpusEntry[] = loadCrisisCorpus(path.join(PATHS.root, 'eval', 'crisis')).flatMap((file) =>
  file.crisis.slice(0, 2).map((message) => ({ locale: file.locale, text: message.text, mustNotKeep: [] })),
);
