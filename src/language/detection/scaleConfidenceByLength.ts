/**
 * At or above this confidence the bot may answer in the detected language without asking; below it, it asks
 * "It looks like you write in X — continue in X?". With the length scaling below, reaching it takes about
 * 20 letter-equivalents of single-language text (a short sentence, or seven Chinese characters); one- or
 * two-word messages never reach it, whatever the detector says. Shared by every adapter, so it means the
 * same thing offline and with Azure. See docs/language-detection.md for the measurement behind it.
 */
export const HIGH_CONFIDENCE = 0.8;

/** Detections weaker than this (about ten letters or fewer) are ignored: "hi", "ok", "salam" say little. */
export const ASK_CONFIDENCE = 0.3;

/** Messages with fewer letter-equivalents than this are "very short": their confidence stays below 0.5. */
export const SHORT_MESSAGE_LETTERS = 12;

/** Letter-equivalents at which length stops limiting confidence. */
export const FULL_CONFIDENCE_LETTERS = 24;

/**
 * Scales a detector's own score (0..1) by how much text it had: linearly from 0 at no letters to 1 at
 * FULL_CONFIDENCE_LETTERS. Detectors, CLD2 and Azure alike, report near-certainty for "hola" or "ok"; a
 * word or two is not enough evidence to switch someone's conversation language, so length caps the score.
 * Rounded to two decimals so logs and tests read cleanly.
 */
export function scaleConfidenceByLength(score: number, letters: number): number {
  if (!Number.isFinite(score) || !Number.isFinite(letters) || letters <= 0 || score <= 0) return 0;
  const lengthFactor = Math.min(1, letters / FULL_CONFIDENCE_LETTERS);
  return Math.round(Math.min(1, score) * lengthFactor * 100) / 100;
}
