// How far a map points at what the model uses (REFERENCE.md's faithfulness scores), pure: the
// perturbed inputs to run through the model, and the scores from the model's answers.
//   M = the map at the model input, scaled to [0, 1]; f = the target's probability (or value).
//   Average Drop / Increase (Grad-CAM++): O = f(x·M + b·(1 − M)), Y = f(x); drop = max(0, Y − O)/Y,
//   increase = O > Y.  Deletion / Insertion (RISE): pixels ranked by M, highest first; in N steps
//   the top k/N of them are replaced by the baseline (deletion) or revealed over a blurred copy
//   (insertion); the area under f by the trapezoid rule over [0, 1]. Every map of an image shares
//   three of those inputs (x, all removed, the blurred copy): 2N − 1 passes a map, 3 an image.

import { seeded } from '../common/random';

export const FAITHFULNESS_STEPS = 16;

export interface FaithfulnessScore {
  /** f(x): the target's probability (or value) on the image. */
  y: number;
  /** f(x kept where the map is high). */
  o: number;
  averageDrop: number;
  increase: boolean;
  /** f after deleting / revealing k/N of the pixels, k = 0…N. */
  deletion: number[];
  insertion: number[];
  deletionAuc: number;
  insertionAuc: number;
  /** ROAD (methods/road.ts), when asked for: f with the top (MoRF) / bottom (LeRF) p % imputed, and (mean LeRF − mean MoRF)/2. */
  road?: number;
  morf?: number[];
  lerf?: number[];
}

/** Scales a map to [0, 1] by its own min and max; a constant map gives all zeros (no pixel ranks above another). */
export function minMax01(m: Float32Array): Float32Array {
  let lo = Infinity, hi = -Infinity;
  for (const v of m) if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
  const out = new Float32Array(m.length);
  if (!(hi > lo)) return out;
  for (let i = 0; i < m.length; i++) out[i] = Number.isFinite(m[i]) ? (m[i] - lo) / (hi - lo) : 0;
  return out;
}

/** Pixel indices from the highest map value to the lowest; ties keep raster order. */
export function rankPixels(m: Float32Array): Uint32Array {
  const order = Uint32Array.from(m.keys());
  return order.sort((a, b) => m[b] - m[a] || a - b);
}

/** A separable Gaussian blur of an H × W × C input (edges clamped): the insertion's starting point. */
export function gaussianBlur(x: Float32Array, width: number, height: number, channels: number, sigma: number): Float32Array {
  const r = Math.max(1, Math.ceil(sigma * 3));
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = k.reduce((a, b) => a + b, 0);
  const kernel = k.map((v) => v / sum);
  const pass = (src: Float32Array, horizontal: boolean) => {
    const out = new Float32Array(src.length);
    for (let y = 0; y < height; y++)
      for (let xx = 0; xx < width; xx++)
        for (let c = 0; c < channels; c++) {
          let acc = 0;
          for (let t = -r; t <= r; t++) {
            const sx = horizontal ? Math.min(width - 1, Math.max(0, xx + t)) : xx;
            const sy = horizontal ? y : Math.min(height - 1, Math.max(0, y + t));
            acc += kernel[t + r] * src[(sy * width + sx) * channels + c];
          }
          out[(y * width + xx) * channels + c] = acc;
        }
    return out;
  };
  return pass(pass(x, true), false);
}

export const BASELINES = ['black', 'blur', 'mean'] as const;
/** What removed pixels become: black (in model-input space), the blurred copy, or the image's mean colour. */
export type Baseline = (typeof BASELINES)[number];

/** How the scores are made: what removed pixels become, and whether ROAD (methods/road.ts) is computed too. */
export interface FaithfulnessHow {
  baseline: Baseline;
  road: boolean;
}
export const DEFAULT_FAITHFULNESS: FaithfulnessHow = { baseline: 'black', road: false };

/**
 * The removed pixels' values for one image, per value (H × W × C): `black` is one value per
 * channel (black after the model's preprocessing), `blurred` the insertion's start.
 */
export function baselineImage(kind: Baseline, x: Float32Array, channels: number, black: ArrayLike<number>, blurred: Float32Array): Float32Array {
  if (kind === 'blur') return blurred;
  const fill = Float64Array.from({ length: channels }, (_, c) => (kind === 'black' ? black[c] : 0));
  if (kind === 'mean') {
    for (let i = 0; i < x.length; i++) fill[i % channels] += x[i];
    for (let c = 0; c < channels; c++) fill[c] /= x.length / channels;
  }
  return Float32Array.from({ length: x.length }, (_, i) => fill[i % channels]);
}

/**
 * The inputs every map of one image shares: x (f = Y, also deletion's start and insertion's end),
 * everything removed (deletion's end) and the blurred copy (insertion's start).
 */
export function sharedInputs(x: Float32Array, baseline: Float32Array, blurred: Float32Array): Float32Array {
  const out = new Float32Array(x.length * 3);
  out.set(x, 0);
  out.set(baseline, x.length);
  out.set(blurred, 2 * x.length);
  return out;
}

/**
 * The inputs one map needs beyond the shared ones, one after another (2N − 1): x kept by M;
 * deletion after 1…N−1 steps; insertion after 1…N−1 steps. `m01` is per pixel (H × W), x,
 * `baseline` and `blurred` per value (H × W × C).
 */
export function mapInputs(x: Float32Array, m01: Float32Array, channels: number, baseline: Float32Array, blurred: Float32Array, steps = FAITHFULNESS_STEPS): Float32Array {
  const size = x.length;
  const pixels = m01.length;
  const out = new Float32Array(size * (2 * steps - 1));
  for (let p = 0; p < pixels; p++)
    for (let c = 0, i = p * channels; c < channels; c++, i++) out[i] = x[i] * m01[p] + baseline[i] * (1 - m01[p]);
  const order = rankPixels(m01);
  const removedAt = (k: number) => Math.round((k * pixels) / steps);
  for (let k = 1; k < steps; k++) {
    const del = out.subarray(size * k, size * (k + 1));
    const ins = out.subarray(size * (steps - 1 + k), size * (steps + k));
    del.set(x);
    ins.set(blurred);
    for (let j = 0; j < removedAt(k); j++) {
      const p = order[j];
      for (let c = 0, i = p * channels; c < channels; c++, i++) {
        del[i] = baseline[i];
        ins[i] = x[i];
      }
    }
  }
  return out;
}

/** Area under a curve sampled at N + 1 evenly spaced points of [0, 1] (trapezoid rule). */
export function auc(values: readonly number[]): number {
  const n = values.length - 1;
  if (n < 1) return values[0] ?? 0;
  let a = 0;
  for (let i = 0; i < n; i++) a += (values[i] + values[i + 1]) / 2;
  return a / n;
}

/** f for one output row: the target's probability (softmax applied to logits), or the value. */
export function targetScore(row: Float32Array, target: number, finalActivation: 'softmax' | 'sigmoid' | 'linear', regression: boolean): number {
  if (regression) return row[0];
  if (finalActivation !== 'linear') return row[target];
  let max = -Infinity;
  for (const v of row) max = Math.max(max, v);
  let sum = 0;
  for (const v of row) sum += Math.exp(v - max);
  return Math.exp(row[target] - max) / sum;
}

/** Average Drop max(0, Y − O)/Y (0 when Y ≤ 0) and Increase O > Y. */
export const averageDropOf = (y: number, o: number) => ({ averageDrop: y > 0 ? Math.max(0, y - o) / y : 0, increase: o > y });

/** The scores from f on the shared inputs (x, all removed, blurred) and on one map's inputs, in mapInputs()' order. */
export function scoresFrom([y, removed, blurred]: readonly number[], f: readonly number[], steps = FAITHFULNESS_STEPS): FaithfulnessScore {
  const o = f[0];
  const deletion = [y, ...f.slice(1, steps), removed];
  const insertion = [blurred, ...f.slice(steps, 2 * steps - 1), y];
  return { y, o, ...averageDropOf(y, o), deletion, insertion, deletionAuc: auc(deletion), insertionAuc: auc(insertion) };
}

/** Reference maps at the input size: a centred Gaussian (σ = a quarter of the shorter side). */
export function gaussianMap(width: number, height: number): Float32Array {
  const s = Math.min(width, height) / 4;
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = Math.exp(-(((x + 0.5 - width / 2) ** 2) + ((y + 0.5 - height / 2) ** 2)) / (2 * s * s));
  return out;
}

/** A random map on the method's grid, seeded, so a rerun gives the same reference. */
export function randomGrid(cells: number, seed: number): Float32Array {
  const random = seeded(seed);
  return Float32Array.from({ length: cells }, random);
}
