// Central finite differences of the target score with respect to the target layer's
// activations, compared with the engine's gradients.
import * as tf from '@tensorflow/tfjs';
import type { CamEngine, ExplainOptions } from '../src/engine/engine';

/**
 * Relative errors |fd − g| / max(|fd|, |g|) on up to `count` elements (the largest gradients,
 * where the difference stands well above float32 noise). Elements where the forward and
 * backward one-sided differences disagree sit on a kink (a max-pool tie, a ReLU edge) where
 * no derivative exists; there the gradient must equal one of the two one-sided slopes.
 */
export async function finiteDifferenceErrors(engine: CamEngine, x: tf.Tensor4D, count: number, options: ExplainOptions = {}, eps = 1e-2) {
  const cap = engine.capture(x.slice(0, 1), options);
  const a = (await cap.activations.data()) as Float32Array;
  const g = (await cap.gradients.data()) as Float32Array;
  const target = (await cap.targets.data())[0];
  const shape = cap.activations.shape;
  const score = async (values: Float32Array) => {
    const at = tf.tensor4d(values, shape);
    const y = engine.scoresFor(x.slice(0, 1), at, options);
    const v = (await y.data())[target];
    tf.dispose([at, y]);
    return v;
  };
  const f0 = await score(a);
  const order = [...g.keys()].sort((i, j) => Math.abs(g[j]) - Math.abs(g[i]));
  const errors: number[] = [];
  let kinks = 0;
  for (const i of order) {
    if (errors.length >= count) break;
    const plus = a.slice();
    plus[i] += eps;
    const minus = a.slice();
    minus[i] -= eps;
    const fp = await score(plus);
    const fm = await score(minus);
    const forward = (fp - f0) / eps;
    const backward = (f0 - fm) / eps;
    const near = (u: number, v: number) => Math.abs(u - v) <= 0.05 * Math.max(Math.abs(u), Math.abs(v));
    if (!near(forward, backward)) {
      // On a kink the gradient must still be one of the one-sided slopes (TF picks one side).
      if (!near(g[i], forward) && !near(g[i], backward)) errors.push(Infinity);
      kinks++;
      continue;
    }
    const fd = (fp - fm) / (2 * eps);
    errors.push(Math.abs(fd - g[i]) / Math.max(Math.abs(fd), Math.abs(g[i]), 1e-12));
  }
  tf.dispose(Object.values(cap));
  return { errors, kinks };
}
