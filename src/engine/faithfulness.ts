// Faithfulness scores on the model: an image's shared inputs and each map's perturbed inputs
// (methods/faithfulness.ts, methods/road.ts) run through the whole model, f read from the answers.
import * as tf from '@tensorflow/tfjs';
import { baselineImage, FAITHFULNESS_STEPS, gaussianBlur, mapInputs, scoresFrom, sharedInputs, targetScore, type FaithfulnessHow, type FaithfulnessScore } from '../methods/faithfulness';
import { ROAD_NOISE, roadFrom, roadInputs } from '../methods/road';
import { seedOf } from '../common/random';
import { toModelInput, type ModelInputSpec } from '../image/preprocess';
import type { CamEngine } from './camEngine';

/** One pixel's colour as the model's preprocessing makes it (0, −1, −128… per scaling for black). */
const pixelAt = (spec: ModelInputSpec, v: number) => toModelInput({ width: 1, height: 1, data: new Uint8ClampedArray([v, v, v, 255]) }, { ...spec, width: 1, height: 1 });

/** Black and white in model-input space: the black baseline, and the range ROAD's noise is a share of. */
export function inputRange(spec: ModelInputSpec): { black: Float32Array; white: Float32Array } {
  return { black: pixelAt(spec, 0), white: pixelAt(spec, 255) };
}

/** The insertion's blurred start: σ a sixteenth of the shorter side (14 px at 224, under 2 px at 28). */
export const blurSigma = (width: number, height: number) => Math.max(1, Math.min(width, height) / 16);

/** Inputs a predict call takes at most, in values (about 32 MB of floats): big batches run fastest, within bounds. */
const BATCH_VALUES = 8 << 20;

/** f of the target on each input (count × H × W × C, one after another), in as few predict calls as fit. */
async function scoresOn(engine: CamEngine, inputs: Float32Array, target: number): Promise<number[]> {
  const [h, w, c] = engine.info.inputShape;
  const size = h * w * c;
  const count = inputs.length / size;
  const per = Math.max(1, Math.floor(BATCH_VALUES / size));
  const regression = engine.info.outputKind === 'regression';
  const out: number[] = [];
  for (let i = 0; i < count; i += per) {
    const n = Math.min(per, count - i);
    const batch = tf.tensor4d(inputs.subarray(i * size, (i + n) * size), [n, h, w, c]);
    let y: Float32Array;
    try {
      y = await engine.predict(batch);
    } finally {
      batch.dispose();
    }
    const outputs = y.length / n;
    for (let k = 0; k < n; k++) out.push(targetScore(y.subarray(k * outputs, (k + 1) * outputs), target, engine.info.finalActivation, regression));
  }
  return out;
}

/**
 * Scores of each map (H × W, in [0, 1]) for one preprocessed input x (H × W × C): the image's
 * shared inputs once, then each map's own (and ROAD's). `id` seeds ROAD's noise: the same noise
 * for every map of an image (the maps differ, not the draws), and the same numbers in the app and
 * the command line.
 */
export async function faithfulnessOf(engine: CamEngine, x: Float32Array, saliencies: Float32Array[], target: number, range: { black: Float32Array; white: Float32Array }, how: FaithfulnessHow, id: string, steps = FAITHFULNESS_STEPS): Promise<FaithfulnessScore[]> {
  const [h, w, c] = engine.info.inputShape;
  const blurred = gaussianBlur(x, w, h, c, blurSigma(w, h));
  const baseline = baselineImage(how.baseline, x, c, range.black, blurred);
  const noise = Array.from(range.black, (b, k) => ROAD_NOISE * Math.abs(range.white[k] - b));
  const shared = await scoresOn(engine, sharedInputs(x, baseline, blurred), target);
  const out: FaithfulnessScore[] = [];
  for (const m of saliencies) {
    const score = scoresFrom(shared, await scoresOn(engine, mapInputs(x, m, c, baseline, blurred, steps), target), steps);
    if (!how.road) {
      out.push(score);
      continue;
    }
    out.push({ ...score, ...roadFrom(await scoresOn(engine, roadInputs(x, m, w, h, c, noise, seedOf(id)), target)) });
    await new Promise((r) => setTimeout(r, 0)); // answer the page's watchdog between maps (ROAD's solves are long)
  }
  return out;
}
