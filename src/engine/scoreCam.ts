// Score-CAM: weight each activation channel by the model's score on the input masked with
// that channel (upsampled, min-max normalised). K forward passes per image, batched.
import * as tf from '@tensorflow/tfjs';
import { scoreCamMap } from '../methods/scoreCam';
import type { CamEngine } from './camEngine';
import type { ExplainOptions, ScoreCamResult } from './types';

/** Score-CAM for one image (x: 1 × H × W × C). */
export async function scoreCam(engine: CamEngine, x: tf.Tensor4D, options: ExplainOptions = {}, batchSize = 32): Promise<ScoreCamResult> {
  const cap = engine.capture(x, options);
  const [, h, w, k] = cap.activations.shape;
  const targetIndex = (await cap.targets.data())[0];
  const regression = engine.info.outputKind === 'regression';
  const sign = regression && options.negate ? -1 : 1;
  // K masks at input resolution, each scaled to 0..1
  const masks = tf.tidy(() => {
    const perChannel = tf.transpose(cap.activations, [3, 1, 2, 0]) as tf.Tensor4D; // K × h × w × 1
    const up = tf.image.resizeBilinear(perChannel, [x.shape[1], x.shape[2]], false, true);
    const lo = up.min([1, 2, 3], true);
    const hi = up.max([1, 2, 3], true);
    const span = hi.sub(lo);
    return tf.where(span.greater(0), up.sub(lo).div(span.add(1e-12)), tf.zerosLike(up)) as tf.Tensor4D;
  });
  const weights = new Float32Array(k);
  try {
    for (let start = 0; start < k; start += batchSize) {
      const n = Math.min(batchSize, k - start);
      const scores = tf.tidy(() => {
        const m = masks.slice([start, 0, 0, 0], [n, -1, -1, -1]);
        const y = engine.model.predict(tf.mul(x, m)) as tf.Tensor2D;
        return y.slice([0, targetIndex], [n, 1]).reshape([n]).mul(sign);
      });
      weights.set((await scores.data()) as Float32Array, start);
      scores.dispose();
      await new Promise((r) => setTimeout(r, 0)); // let a cancel message in
    }
    const map = scoreCamMap((await cap.activations.data()) as Float32Array, weights, { height: h, width: w });
    return { map, gridHeight: h, gridWidth: w, targetIndex };
  } finally {
    tf.dispose([masks, ...Object.values(cap)]);
  }
}
