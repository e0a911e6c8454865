// Map normalisation: raw CAM values → 0..1. Never NaN: a map with no positive value is all zeros.

export type Normalization = 'percentile' | 'simple';
export const NORMALIZATIONS: Normalization[] = ['percentile', 'simple'];

/** The p-th percentile (0..100) of the values, linear interpolation between ranks (numpy's default). */
export function percentile(values: Float32Array | number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = Float32Array.from(values).sort();
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/**
 * `simple`: ReLU, divide by the max. `percentile`: ReLU, clip at the 99th percentile of the
 * positive values, divide by it — so one hot cell cannot wash out the rest.
 */
export function normalizeMap(map: Float32Array, mode: Normalization, clipPercentile = 99): Float32Array {
  const positives: number[] = [];
  let max = 0;
  for (const v of map) {
    if (v > 0) {
      positives.push(v);
      if (v > max) max = v;
    }
  }
  const scale = mode === 'percentile' ? percentile(positives, clipPercentile) : max;
  const out = new Float32Array(map.length);
  if (!(scale > 0) || !Number.isFinite(scale)) return out;
  for (let i = 0; i < map.length; i++) out[i] = Math.min(Math.max(map[i], 0) / scale, 1);
  return out;
}
