// The two kinds of CAM method, as building blocks (formulas: docs/methods.md#two-kinds-of-method):
// channel weights (one weight per channel, map = Σ_k w_k A_k) and per cell (a value per cell
// from the products of A and G, no pooling).

import { centreColumns, firstComponentScores } from './linalg';

/** One sample's activations A and gradients G at the target layer, both H×W×K, channels last. */
export interface CamInput {
  activations: Float32Array;
  gradients: Float32Array;
  height: number;
  width: number;
  channels: number;
  /** Eigen-smooth: each method's map is the first principal component of its weighted activations, not their sum. */
  eigenSmooth?: boolean;
}

/**
 * Eigen-smooth: the weighted activations (cells × K, e.g. w_k·A_ijk or G_ijk·A_ijk) centred and
 * projected on their first principal direction; the sign, which a component has none of, is the
 * one that agrees with the plain sum over channels.
 */
export function eigenSmoothed(weighted: Float32Array, cells: number, k: number): Float32Array {
  const map = firstComponentScores(centreColumns(weighted, cells, k), cells, k);
  let agreement = 0;
  for (let i = 0; i < cells; i++) {
    let sum = 0;
    for (let c = 0; c < k; c++) sum += weighted[i * k + c];
    agreement += map[i] * sum;
  }
  return agreement < 0 ? map.map((v) => -v) : map;
}

export const relu = (v: number) => (v > 0 ? v : 0);
export const cellsOf = (input: Pick<CamInput, 'height' | 'width'>) => input.height * input.width;

/** Weighted sum over channels: map_ij = Σ_k w_k A_ijk (eigen-smooth: the first component of w_k A_ijk). */
export function weightedSum(activations: Float32Array, weights: Float32Array, cells: number, eigenSmooth = false): Float32Array {
  const k = weights.length;
  if (eigenSmooth) return eigenSmoothed(activations.map((a, i) => weights[i % k] * a), cells, k);
  const map = new Float32Array(cells);
  for (let i = 0; i < cells; i++) {
    let s = 0;
    const base = i * k;
    for (let c = 0; c < k; c++) s += weights[c] * activations[base + c];
    map[i] = s;
  }
  return map;
}

// The loops below, and each method's own, take no callback per value: a helper calling a different
// function for each method ran 3–8× slower (the call site sees every method's function, so V8 cannot
// inline any), and these run for every image of a run: ~1 ms a doodle, more than the model's step.

/** Σ over the grid of each channel of `values` (cells × K, channels last), e.g. S_k = Σ_ij A_ijk. */
export function channelTotals(values: Float32Array, cells: number, k: number): Float32Array {
  const totals = new Float32Array(k);
  for (let i = 0; i < cells; i++) {
    const base = i * k;
    for (let c = 0; c < k; c++) totals[c] += values[base + c];
  }
  return totals;
}

/** A channel-weights method from its weights: map = Σ_k w_k A_k. */
export const fromChannelWeights = (weights: (input: CamInput) => Float32Array) => (input: CamInput) => weightedSum(input.activations, weights(input), cellsOf(input), input.eigenSmooth);
