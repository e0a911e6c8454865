// Faithfulness scores on the model: each map's perturbed inputs (methods/faithfulness.ts) run
// through the whole model in one batch per map, f read from the answers.
import * as tf from '@tensorflow/tfjs';
import { FAITHFULNESS_STEPS, gaussianBlur, perturbedInputs, scoresFrom, targetScore, type FaithfulnessScore } from '../methods/faithfulness';
import { toModelInput, type ModelInputSpec } from '../image/preprocess';
import type { CamEngine } from './camEngine';

/** The removed pixels' value: black, as the model's preprocessing makes it (0, −1, −128… per scaling). */
export function blackBaseline(spec: ModelInputSpec): Float32Array {
  return toModelInput({ width: 1, height: 1, data: new Uint8ClampedArray([0, 0, 0, 255]) }, { ...spec, width: 1, height: 1 });
}

/** The insertion's blurred start: σ a sixteenth of the shorter side (14 px at 224, under 2 px at 28). */
export const blurSigma = (width: number, height: number) => Math.max(1, Math.min(width, height) / 16);

/** Scores of each map (H × W, in [0, 1]) for one preprocessed input x (H × W × C). */
export async function faithfulnessOf(engine: CamEngine, x: Float32Array, saliencies: Float32Array[], target: number, baseline: Float32Array, steps = FAITHFULNESS_STEPS): Promise<FaithfulnessScore[]> {
  const [h, w, c] = engine.info.inputShape;
  const blurred = gaussianBlur(x, w, h, c, blurSigma(w, h));
  const regression = engine.info.outputKind === 'regression';
  const out: FaithfulnessScore[] = [];
  for (const m of saliencies) {
    const inputs = perturbedInputs(x, m, c, baseline, blurred, steps);
    const count = inputs.length / x.length;
    const batch = tf.tensor4d(inputs, [count, h, w, c]);
    let y: Float32Array;
    try {
      y = await engine.predict(batch);
    } finally {
      batch.dispose();
    }
    const per = y.length / count;
    const f = Array.from({ length: count }, (_, i) => targetScore(y.subarray(i * per, (i + 1) * per), target, engine.info.finalActivation, regression));
    out.push(scoresFrom(f, steps));
  }
  return out;
}
