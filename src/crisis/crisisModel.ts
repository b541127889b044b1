import { z } from 'zod';
import { normalizeForMatch } from '../conversation/normalizeText';
import { CRISIS_CATEGORIES, type CrisisCategory } from './crisisCategories';
import { readDataFile } from './readDataFile';

/**
 * A small statistical second opinion on danger: multinomial logistic regression over hashed features of the
 * text folded as the term matcher folds it (character 2–5-grams, words and word pairs). Term lists remember
 * phrasings; the character n-grams also see a stem with an unknown ending, a misspelling, a word in a script
 * the lists did not spell out. The model is small, offline and synchronous; it only ever adds a detection.
 */

/** The classes the model tells apart: no danger, then the five kinds of danger in their usual order. */
export const MODEL_CLASSES = ['none', ...CRISIS_CATEGORIES] as const;
const CLASS_COUNT = MODEL_CLASSES.length;

/** How text becomes features; stored with the model, so a model is always read the way it was trained. */
export interface FeatureSpec {
  /** Number of hash buckets: a power of two. */
  readonly buckets: number;
  readonly minChars: number;
  readonly maxChars: number;
  /** Word pairs as well as words. */
  readonly wordPairs: boolean;
}

/** The model as the detector reads it: one signed byte per bucket and class, bucket by bucket. */
export interface CrisisModel {
  readonly spec: FeatureSpec;
  /** The weight of bucket b for class c is bytes[b * classes + c] × unit[c]: a feature's six weights share a cache line. */
  readonly bytes: Int8Array;
  readonly unit: Float64Array;
  readonly bias: Float64Array;
  /** A message is a crisis from this score (1 − P(none)) on. */
  readonly threshold: number;
}

/** A model being trained: plain floats, class by class (weights[c * buckets + b]). */
export interface TrainedWeights {
  readonly spec: FeatureSpec;
  readonly weights: Float32Array;
  readonly bias: Float32Array;
}

export interface ModelOpinion {
  /** 1 − P(none): how sure the model is that the message says someone is in danger. */
  readonly score: number;
  /** The most likely kind of danger, whatever the score. */
  readonly category: CrisisCategory;
}

// FNV-1a, 32 bits: a fixed, fast hash with no dependency; each feature kind starts from its own seed.
const FNV_PRIME = 0x01000193;
const SEED_CHARS = 0x811c9dc5;
const SEED_WORD = 0x050c5d1f;
const SEED_PAIR = 0x2a4b6c8d;

function hashString(seed: number, text: string): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/**
 * The buckets of a folded text's features (`normalizeForMatch`), with repeats, unsorted. Character
 * n-grams run over the whole folded message with a space at each end, so word starts and ends are features.
 */
export function featureBuckets(folded: string, spec: FeatureSpec): Int32Array {
  const padded = ` ${folded} `;
  const words = folded.split(' ').filter((w) => w.length > 0);
  const mask = spec.buckets - 1;
  const span = spec.maxChars - spec.minChars + 1;
  const out = new Int32Array(Math.max(0, padded.length - spec.minChars + 1) * span + words.length * 2);
  let n = 0;
  for (let start = 0; start + spec.minChars <= padded.length; start++) {
    // Hash each start's longer n-grams on from its shorter ones: one pass per start, no substrings.
    let h = SEED_CHARS;
    for (let len = 1; len <= spec.maxChars && start + len <= padded.length; len++) {
      h = Math.imul(h ^ padded.charCodeAt(start + len - 1), FNV_PRIME);
      if (len >= spec.minChars) out[n++] = ((h >>> 0) ^ (len * 0x9e3779b1)) & mask;
    }
  }
  for (let i = 0; i < words.length; i++) {
    out[n++] = hashString(SEED_WORD, words[i] as string) & mask;
    if (spec.wordPairs && i + 1 < words.length) out[n++] = hashString(SEED_PAIR, `${words[i] as string} ${words[i + 1] as string}`) & mask;
  }
  return out.subarray(0, n);
}

/**
 * A text's features as distinct buckets, each with its count divided by the square root of the number of
 * features: long and short messages weigh alike. (Scoring adds the weights of every occurrence and scales
 * once, which is the same sum.)
 */
export function featureVector(text: string, spec: FeatureSpec): { readonly index: Int32Array; readonly value: Float32Array } {
  const raw = featureBuckets(normalizeForMatch(text), spec).sort();
  const index = new Int32Array(raw.length);
  const value = new Float32Array(raw.length);
  let k = -1;
  for (let i = 0; i < raw.length; i++) {
    if (k >= 0 && index[k] === raw[i]) value[k] = (value[k] as number) + 1;
    else {
      k++;
      index[k] = raw[i] as number;
      value[k] = 1;
    }
  }
  const size = k + 1;
  const scale = raw.length > 0 ? 1 / Math.sqrt(raw.length) : 0;
  for (let i = 0; i < size; i++) value[i] = (value[i] as number) * scale;
  return { index: index.subarray(0, size), value: value.subarray(0, size) };
}

const HAS_LETTER = /\p{L}/u;
const NO_SPACES = /[\p{Script=Han}\p{Script=Myanmar}\p{Script=Thai}\p{Script=Khmer}\p{Script=Lao}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * Whether the model has a say: a message of at least three words with letters (four characters in scripts
 * written without spaces). Numbers, codes and dates are not words here. A menu option, a command or a one-word answer ("help", "Housing", "forget me") is not a
 * description of danger, and on such short texts the model's score says more about length than meaning.
 * The term lists still read every message.
 */
function longEnough(folded: string): boolean {
  if (NO_SPACES.test(folded)) return folded.replace(/[\s\d]+/g, '').length >= 4;
  let words = 0;
  for (const word of folded.split(' ')) if (HAS_LETTER.test(word) && ++words >= 3) return true;
  return false;
}

export function modelReads(text: string): boolean {
  return longEnough(normalizeForMatch(text));
}

/**
 * The model's opinion of a message: its danger score and the most likely kind of danger; undefined when the
 * message is too short for the model to read. Pure; allocates one small array.
 */
export function scoreWithModel(model: CrisisModel, text: string): ModelOpinion | undefined {
  return scoreFolded(model, normalizeForMatch(text));
}

/** The same for text already folded with `normalizeForMatch` (the detector folds once for terms and model). */
export function scoreFolded(model: CrisisModel, folded: string): ModelOpinion | undefined {
  if (!longEnough(folded)) return undefined;
  const buckets = featureBuckets(folded, model.spec);
  const { bytes } = model;
  // Six running sums in locals: this loop is the model's whole cost.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let s5 = 0;
  for (let i = 0; i < buckets.length; i++) {
    const at = (buckets[i] as number) * CLASS_COUNT;
    s0 += bytes[at] as number;
    s1 += bytes[at + 1] as number;
    s2 += bytes[at + 2] as number;
    s3 += bytes[at + 3] as number;
    s4 += bytes[at + 4] as number;
    s5 += bytes[at + 5] as number;
  }
  const sums = [s0, s1, s2, s3, s4, s5];
  const scale = buckets.length > 0 ? 1 / Math.sqrt(buckets.length) : 0;
  let max = -Infinity;
  for (let c = 0; c < CLASS_COUNT; c++) {
    sums[c] = (model.bias[c] as number) + (sums[c] as number) * (model.unit[c] as number) * scale;
    max = Math.max(max, sums[c] as number);
  }
  let total = 0;
  let best = 1;
  for (let c = 0; c < CLASS_COUNT; c++) {
    sums[c] = Math.exp((sums[c] as number) - max);
    total += sums[c] as number;
    if (c > 1 && (sums[c] as number) > (sums[best] as number)) best = c;
  }
  return { score: 1 - (sums[0] as number) / total, category: MODEL_CLASSES[best] as CrisisCategory };
}

/** The model as the detector uses it: a kind of danger when the message is long enough and the score reaches the threshold. */
export function modelCategory(model: CrisisModel, text: string, threshold = model.threshold): CrisisCategory | undefined {
  return categoryOf(scoreWithModel(model, text), threshold);
}

/** The same for text already folded with `normalizeForMatch`. */
export function modelCategoryFolded(model: CrisisModel, folded: string): CrisisCategory | undefined {
  return categoryOf(scoreFolded(model, folded), model.threshold);
}

function categoryOf(opinion: ModelOpinion | undefined, threshold: number): CrisisCategory | undefined {
  return opinion && opinion.score >= threshold ? opinion.category : undefined;
}

// ---- The file: weights quantised to one signed byte each, per-class scale, base64. ----

export const CRISIS_MODEL_FILE = 'crisis-model.json';

const ModelFile = z.object({
  version: z.literal(1),
  note: z.string(),
  classes: z.array(z.string()),
  spec: z.object({
    buckets: z.number().int().refine((n) => n >= 16 && (n & (n - 1)) === 0, 'a power of two'),
    minChars: z.number().int().min(1).max(8),
    maxChars: z.number().int().min(1).max(8),
    wordPairs: z.boolean(),
  }),
  threshold: z.number().gt(0).lt(1),
  bias: z.array(z.number()).length(CLASS_COUNT),
  /** Per class: the weight a byte of 127 stands for. */
  scale: z.array(z.number().positive()).length(CLASS_COUNT),
  /** buckets × classes signed bytes (bucket by bucket), base64. */
  weights: z.string(),
  training: z.record(z.string(), z.unknown()),
});
export type CrisisModelFile = z.infer<typeof ModelFile>;

export class CrisisModelError extends Error {}

/** A model file's contents as a model; throws CrisisModelError with the reason when it is not one. */
export function modelFromFile(file: CrisisModelFile): CrisisModel {
  if (file.classes.join(',') !== MODEL_CLASSES.join(',')) throw new CrisisModelError(`classes must be ${MODEL_CLASSES.join(', ')}`);
  if (file.spec.maxChars < file.spec.minChars) throw new CrisisModelError('spec: maxChars is below minChars');
  const raw = Buffer.from(file.weights, 'base64');
  if (raw.length !== CLASS_COUNT * file.spec.buckets) throw new CrisisModelError(`weights: expected ${CLASS_COUNT * file.spec.buckets} bytes, found ${raw.length}`);
  const bytes = new Int8Array(raw.length);
  bytes.set(new Int8Array(raw.buffer, raw.byteOffset, raw.length));
  return { spec: file.spec, bytes, unit: Float64Array.from(file.scale, (s) => s / 127), bias: Float64Array.from(file.bias), threshold: file.threshold };
}

/** Reads and checks `locales/crisis-model.json` (or another path). */
export function loadCrisisModel(file: string): CrisisModel {
  const parsed = readDataFile(file, ModelFile);
  if (!parsed.ok) throw new CrisisModelError(parsed.problem);
  return modelFromFile(parsed.data);
}

/**
 * A trained model as its file: each weight rounded to one of 255 steps of its class's largest weight, stored
 * bucket by bucket. The model that is evaluated and shipped is the rounded one (`modelFromFile(…)`).
 */
export function quantiseModel(model: TrainedWeights, threshold: number, note: string, training: Record<string, unknown>): CrisisModelFile {
  const { buckets } = model.spec;
  const bytes = new Int8Array(CLASS_COUNT * buckets);
  const scale: number[] = [];
  for (let c = 0; c < CLASS_COUNT; c++) {
    let max = 0;
    for (let b = 0; b < buckets; b++) max = Math.max(max, Math.abs(model.weights[c * buckets + b] as number));
    const s = Number((max > 0 ? max : 1).toPrecision(9));
    scale.push(s);
    for (let b = 0; b < buckets; b++) bytes[b * CLASS_COUNT + c] = Math.round(((model.weights[c * buckets + b] as number) / s) * 127);
  }
  return {
    version: 1,
    note,
    classes: [...MODEL_CLASSES],
    spec: { ...model.spec },
    threshold,
    bias: Array.from(model.bias, (b) => Number(b.toFixed(6))),
    scale,
    weights: Buffer.from(bytes.buffer).toString('base64'),
    training,
  };
}
