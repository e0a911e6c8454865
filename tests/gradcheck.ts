// Central finite differences of the target score with respect to the target layer's
// activations, compared with the engine's gradients.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import type { CamEngine } from '../src/engine/camEngine';
import type { ExplainOptions } from '../src/engine/types';

/**
 * Relative errors |fd − g| / max(|fd|, |g|) on `count` elements (the largest gradients, where
 * the difference stands well above float32 noise). Where the forward and backward one-sided
 * differences disagree beyond float32 noise, a kink (ReLU edge, max-pool tie) may lie within eps:
 * there no derivative may exist, so the element's error (the smallest of the central and
 * second-order one-sided ones) goes to `kinkErrors`, judged apart from the smooth elements.
 */
function shifted(a: Float32Array, i: number, by: number): Float32Array {
  const out = a.slice();
  out[i] += by;
  return out;
}

export async function finiteDifferenceErrors(engine: CamEngine, x: tf.Tensor4D, count: number, options: ExplainOptions = {}, steps = [1e-2, 5e-3]) {
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
  // Elements with A = 0 after a ReLU often tie with other zeros in a max-pool window: there
  // the derivative is one-sided by construction, so sample where A ≠ 0.
  const order = [...g.keys()].filter((i) => a[i] !== 0).sort((i, j) => Math.abs(g[j]) - Math.abs(g[i]));
  const errors: number[] = [];
  const kinkErrors: number[] = [];
  let kinks = 0;
  for (const i of order) {
    if (errors.length + kinkErrors.length >= count) break;
    const rel = (u: number) => Math.abs(u - g[i]) / Math.max(Math.abs(u), Math.abs(g[i]), 1e-12);
    const [big, small] = steps;
    const at = async (eps: number) => {
      const fp = await score(shifted(a, i, eps));
      const fm = await score(shifted(a, i, -eps));
      // float32 rounding of the scores, as a slope: a few ulps over eps
      const noise = (4 * 1.2e-7 * Math.max(Math.abs(f0), Math.abs(fp), Math.abs(fm))) / eps;
      return { eps, fp, fm, fd: (fp - fm) / (2 * eps), noise };
    };
    const p = await at(big);
    const q = await at(small);
    if (process.env.FD_DEBUG) console.log(i, JSON.stringify({ g: g[i], p, q }));
    let smooth: number | undefined;
    // Where the function is smooth the central difference hardly depends on the step; a kink
    // (ReLU edge, max-pool tie) within reach makes it jump.
    // A kink right at the point (a max-pool tie) leaves both steps consistent, but not the two
    // sides; curvature (tanh) moves the sides apart by well under 2 %.
    const sidesAgree = Math.abs((p.fp - f0) / p.eps - (f0 - p.fm) / p.eps) <= Math.max(20 * p.noise, 0.02 * Math.abs(p.fd));
    if (sidesAgree && Math.abs(p.fd - q.fd) <= 2 * q.noise) smooth = rel(p.fd);
    let kinkError = Infinity;
    if (smooth === undefined) {
      // At a kink the gradient is a one-sided slope: second order, so curvature stays out of it.
      for (const { eps, fp, fm, fd } of [p, q]) {
        const h = eps / 2;
        const forward2 = (-3 * f0 + 4 * (await score(shifted(a, i, h))) - fp) / (2 * h);
        const backward2 = (3 * f0 - 4 * (await score(shifted(a, i, -h))) + fm) / (2 * h);
        kinkError = Math.min(kinkError, rel(fd), rel(forward2), rel(backward2));
      }
    }
    if (smooth !== undefined) {
      errors.push(smooth);
    } else {
      kinks++;
      kinkErrors.push(kinkError);
    }
  }
  tf.dispose(Object.values(cap));
  return { errors, kinks, kinkErrors };
}

export type FdResult = Awaited<ReturnType<typeof finiteDifferenceErrors>>;

const worst = (xs: number[]) => (xs.length ? Math.max(...xs) : 0);

/** One line for the test log, the figures the closing notes quote. */
export function describeFd(name: string, r: FdResult): string {
  return `FD ${name}: max relative error ${worst(r.errors).toExponential(2)} over ${r.errors.length} smooth elements; ${r.kinks} kinks, worst ${worst(r.kinkErrors).toExponential(2)}`;
}

/** Smooth elements within `tolerance`; elements at kinks within `kinkTolerance` of a one-sided slope. */
export function expectGradientsMatch(r: FdResult, tolerance = 1e-3, kinkTolerance = 1e-2, minSmooth = 10) {
  expect(r.errors.length).toBeGreaterThanOrEqual(minSmooth);
  expect(worst(r.errors)).toBeLessThan(tolerance);
  expect(worst(r.kinkErrors)).toBeLessThan(kinkTolerance);
}
