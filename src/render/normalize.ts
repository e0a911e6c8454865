// Map normalisation (docs/methods.md#normalisation): raw CAM values → 0..1. Never NaN: a map with no positive value (or no
// spread, for min-max) renders as zeros.

export type Normalization = 'percentile' | 'simple' | 'min-max';
export const NORMALIZATIONS: Normalization[] = ['percentile', 'simple', 'min-max'];

export interface NormalizeOptions {
  /** The clip point of `percentile`, 0..100. */
  percentile?: number;
  /** A scale shared by every image (data-set normalisation); computed per map when absent. */
  scale?: MapScale;
}

/** Values that map to 0 and 1. */
export interface MapScale {
  lo: number;
  hi: number;
}

/** The p-th percentile (0..100) of the values, linear interpolation between ranks (numpy's default). */
export function percentile(values: Float32Array | number[], p: number): number {
  if (values.length === 0) return 0;
  const a = Float32Array.from(values);
  const rank = (p / 100) * (a.length - 1);
  const lo = Math.floor(rank);
  const low = select(a, lo);
  // the next rank up is the smallest value right of the selected one
  let high = low;
  if (lo + 1 < a.length) {
    high = Infinity;
    for (let i = lo + 1; i < a.length; i++) if (a[i] < high) high = a[i];
  }
  return low + (high - low) * (rank - lo);
}

/**
 * The k-th smallest value (quickselect: linear time, where sorting half a million values of a data
 * set took tens of ms); leaves smaller values left of k and larger ones right of it.
 */
function select(a: Float32Array, k: number): number {
  let left = 0, right = a.length - 1;
  while (right > left) {
    const pivot = a[(left + right) >> 1];
    let i = left, j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return a[k];
  }
  return a[k];
}

/**
 * The scale of one map or of many together. `simple`: ReLU, then 0..max. `percentile`: ReLU,
 * then 0..(p-th percentile of the positive values), so one hot cell cannot wash out the rest.
 * `min-max`: min..max, negative values included.
 */
export function mapScale(maps: Float32Array[], mode: Normalization, p = 99): MapScale {
  let count = 0;
  for (const m of maps) count += m.length;
  const scale = scaleOfMany(mode, p, count);
  for (const m of maps) scale.add(m);
  return scale.result();
}

/**
 * mapScale() taken a map at a time, so the data-set-wide scale of 10,000 maps can be worked out
 * in slices while the page is idle. `expected`: how many values will come (room is made for them).
 */
export function scaleOfMany(mode: Normalization, p = 99, expected = 0): { add(map: Float32Array): void; result(): MapScale } {
  let lo = Infinity, hi = -Infinity, max = 0;
  // the positive values, for a percentile only: a maximum needs no copy (across 10,000 maps that
  // was megabytes for the collector)
  let positives = new Float32Array(mode === 'percentile' ? expected : 0);
  let n = 0;
  return {
    // indexed loops: run a slice at a time while the page is idle, this code is seldom optimised,
    // and for…of there made an iterator result per value (~7 MB for 10,000 doodles' maps)
    add(m) {
      if (mode === 'min-max') {
        for (let i = 0; i < m.length; i++) { const v = m[i]; if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; } }
      } else if (mode !== 'percentile') {
        for (let i = 0; i < m.length; i++) { const v = m[i]; if (v > max && Number.isFinite(v)) max = v; }
      } else {
        if (n + m.length > positives.length) {
          const grown = new Float32Array(Math.max(2 * positives.length, n + m.length));
          grown.set(positives.subarray(0, n));
          positives = grown;
        }
        for (let i = 0; i < m.length; i++) { const v = m[i]; if (v > 0 && Number.isFinite(v)) positives[n++] = v; }
      }
    },
    result() {
      if (mode === 'min-max') return Number.isFinite(lo) ? { lo, hi } : { lo: 0, hi: 0 };
      return { lo: 0, hi: mode === 'percentile' ? percentile(positives.subarray(0, n), p) : max };
    },
  };
}

export function normalizeMap(map: Float32Array, mode: Normalization, options: NormalizeOptions = {}): Float32Array {
  const { lo, hi } = options.scale ?? mapScale([map], mode, options.percentile ?? 99);
  const out = new Float32Array(map.length);
  if (!(hi > lo) || !Number.isFinite(hi - lo)) return out;
  for (let i = 0; i < map.length; i++) {
    const v = mode === 'min-max' ? map[i] : Math.max(map[i], 0);
    const t = (v - lo) / (hi - lo);
    out[i] = t > 0 ? Math.min(t, 1) : 0; // NaN input → 0
  }
  return out;
}
