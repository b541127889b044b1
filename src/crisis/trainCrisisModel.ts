import { featureVector, MODEL_CLASSES, type FeatureSpec, type TrainedWeights } from './crisisModel';

/** One training message: its text, its class (index into MODEL_CLASSES) and how much it counts. */
export interface TrainingExample {
  readonly text: string;
  readonly label: number;
  readonly weight: number;
}

export interface TrainingOptions {
  readonly spec: FeatureSpec;
  readonly epochs: number;
  /** AdaGrad's base step. */
  readonly learningRate: number;
  /** L2 penalty per update on the weights an example touches. */
  readonly l2: number;
  /** Seeds the shuffle of each epoch: the same data and options give the same model, byte for byte. */
  readonly seed: number;
}

/** Class probabilities (softmax) of a feature vector under float weights. */
function classProbabilities(model: TrainedWeights, vector: { readonly index: Int32Array; readonly value: Float32Array }): Float64Array {
  const { buckets } = model.spec;
  const p = new Float64Array(MODEL_CLASSES.length);
  let max = -Infinity;
  for (let c = 0; c < p.length; c++) {
    let sum = model.bias[c] as number;
    const offset = c * buckets;
    for (let i = 0; i < vector.index.length; i++) sum += (model.weights[offset + (vector.index[i] as number)] as number) * (vector.value[i] as number);
    p[c] = sum;
    max = Math.max(max, sum);
  }
  let total = 0;
  for (let c = 0; c < p.length; c++) {
    p[c] = Math.exp((p[c] as number) - max);
    total += p[c] as number;
  }
  for (let c = 0; c < p.length; c++) p[c] = (p[c] as number) / total;
  return p;
}

/**
 * The mean of models trained on different data with the same features: one model of the same size whose
 * scores sit between theirs. Used to ship the cross-corpus models together, at the threshold chosen on
 * their own held-out scores.
 */
export function averageWeights(models: readonly TrainedWeights[]): TrainedWeights {
  const first = models[0] as TrainedWeights;
  const weights = new Float32Array(first.weights.length);
  const bias = new Float32Array(first.bias.length);
  for (const m of models) {
    for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] as number) + (m.weights[i] as number) / models.length;
    for (let i = 0; i < bias.length; i++) bias[i] = (bias[i] as number) + (m.bias[i] as number) / models.length;
  }
  return { spec: first.spec, weights, bias };
}

/** A small seeded generator (mulberry32): reproducible shuffles without a dependency. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Multinomial logistic regression by stochastic gradient descent with AdaGrad steps, over hashed sparse
 * features. Deterministic: fixed seed, fixed order of operations, no threads.
 */
export function trainCrisisModel(examples: readonly TrainingExample[], options: TrainingOptions): TrainedWeights {
  const classes = MODEL_CLASSES.length;
  const { buckets } = options.spec;
  const weights = new Float32Array(classes * buckets);
  const squared = new Float32Array(classes * buckets);
  const bias = new Float32Array(classes);
  const biasSquared = new Float32Array(classes);
  const vectors = examples.map((e) => featureVector(e.text, options.spec));
  const order = examples.map((_, i) => i);
  const random = seededRandom(options.seed);
  const model = { spec: options.spec, weights, bias };
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const n of order) {
      const example = examples[n] as TrainingExample;
      const vector = vectors[n] as ReturnType<typeof featureVector>;
      const p = classProbabilities(model, vector);
      for (let c = 0; c < classes; c++) {
        const error = ((p[c] as number) - (c === example.label ? 1 : 0)) * example.weight;
        biasSquared[c] = (biasSquared[c] as number) + error * error;
        bias[c] = (bias[c] as number) - (options.learningRate * error) / Math.sqrt((biasSquared[c] as number) + 1e-8);
        const offset = c * buckets;
        for (let k = 0; k < vector.index.length; k++) {
          const at = offset + (vector.index[k] as number);
          const w = weights[at] as number;
          const gradient = error * (vector.value[k] as number) + options.l2 * w;
          squared[at] = (squared[at] as number) + gradient * gradient;
          weights[at] = w - (options.learningRate * gradient) / Math.sqrt((squared[at] as number) + 1e-8);
        }
      }
    }
  }
  return model;
}
