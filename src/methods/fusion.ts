// Finer maps for small models (issue: a MobileNet at 96×96 ends in a 3×3 grid). Two ways, both
// pure, applied by the engine (engine/camEngine.ts) to every method's map:
// - Layer fusion: one method's maps at several layers, each scaled to [0, 1] (min–max) and
//   resampled onto the finest layer's grid, fused cell by cell by their maximum (LayerCAM's
//   fusion) or their mean. One layer: its map, unchanged.
// - Aug-smooth: the maps of augmented copies of the input (horizontal flip × brightness), each
//   flipped back, averaged. (Eigen-smooth is in methods/kinds.ts: it changes how a method sums.)
import { upsample } from '../common/grid';

export type Fusion = 'max' | 'mean';
export const FUSIONS: readonly Fusion[] = ['max', 'mean'];
/** aug-smooth (here) or eigen-smooth (methods/kinds.ts: eigenSmoothed). */
export type Smoothing = 'aug' | 'eigen';
export const SMOOTHINGS: readonly Smoothing[] = ['aug', 'eigen'];

export interface GridMap {
  map: Float32Array;
  width: number;
  height: number;
}

/** (x − min)/(max − min); a constant map becomes zeros (it says nothing about where to look). */
export function minMax(map: Float32Array): Float32Array {
  let lo = Infinity, hi = -Infinity;
  for (const v of map) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const out = new Float32Array(map.length);
  if (!(hi > lo)) return out;
  for (let i = 0; i < map.length; i++) out[i] = (map[i] - lo) / (hi - lo);
  return out;
}

/** Fuses one method's maps at several layers onto the finest grid among them. */
export function fuseLayers(layers: readonly GridMap[], how: Fusion): GridMap {
  if (layers.length === 1) return layers[0];
  const finest = layers.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
  const { width, height } = finest;
  const scaled = layers.map((l) => minMax(l.width === width && l.height === height ? l.map : upsample(l.map, l.width, l.height, width, height)));
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) {
    let acc = how === 'max' ? -Infinity : 0;
    for (const s of scaled) acc = how === 'max' ? Math.max(acc, s[i]) : acc + s[i];
    out[i] = how === 'max' ? acc : acc / scaled.length;
  }
  return { map: out, width, height };
}

/** The augmented copies aug-smooth explains: no flip and a horizontal flip, each at brightness 0.9, 1.0 and 1.1 (a factor on the model's input). */
export const AUG_SMOOTH: readonly { flip: boolean; brightness: number }[] = [false, true].flatMap((flip) => [1, 0.9, 1.1].map((brightness) => ({ flip, brightness })));

/** A grid map mirrored left–right (a flipped input's map, back onto the original). */
export function flipHorizontal(map: Float32Array, width: number, height: number): Float32Array {
  const out = new Float32Array(map.length);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = map[y * width + (width - 1 - x)];
  return out;
}

/** The cell-by-cell mean of maps on one grid. */
export function meanMap(maps: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(maps[0].length);
  for (const m of maps) for (let i = 0; i < out.length; i++) out[i] += m[i];
  for (let i = 0; i < out.length; i++) out[i] /= maps.length;
  return out;
}
