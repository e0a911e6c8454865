// The maps faithfulness is measured on, at the model input (the method's, and two references that
// say what the numbers mean: a random map and a centred Gaussian), and the data-set summaries.
import { upsample } from '../common/grid';
import { normalizeMap, type MapScale, type Normalization } from '../render/normalize';
import { gaussianMap, minMax01, randomGrid, type FaithfulnessScore } from '../methods/faithfulness';

export const REFERENCE_MAPS = ['random', 'gaussian'] as const;
export type ReferenceMap = (typeof REFERENCE_MAPS)[number];

/**
 * A method's map as M: normalised as the view shows it (ReLU and the clip point, or min-max), so
 * the scores are about the map the user sees; upsampled to the model input like the overlays;
 * scaled to [0, 1].
 */
export function saliencyAtInput(raw: Float32Array, gridW: number, gridH: number, width: number, height: number, view: { normalization: Normalization; percentile: number } = { normalization: 'min-max', percentile: 99 }, scale?: MapScale): Float32Array {
  return minMax01(upsample(normalizeMap(raw, view.normalization, { percentile: view.percentile, scale }), gridW, gridH, width, height));
}

/** A reference map for one image: random on the method's grid (seeded by the image), or the centred Gaussian. */
export function referenceSaliency(kind: ReferenceMap, gridW: number, gridH: number, width: number, height: number, seed: number): Float32Array {
  return kind === 'random' ? saliencyAtInput(randomGrid(gridW * gridH, seed), gridW, gridH, width, height) : minMax01(gaussianMap(width, height));
}

/** A method's maps as one set is scored: its raw map for this image, and the view (and data-set scale) that normalise it. */
export interface MethodMaps {
  raw?: Float32Array;
  view: { normalization: Normalization; percentile: number };
  scale?: MapScale;
}

/**
 * The maps one image is scored on, by set name: a name in `methods` is a method's map (under its
 * view's normalisation), any other a reference map (`seed` makes the random one reproducible).
 */
export function saliencies(sets: string[], methods: Record<string, MethodMaps>, grid: { gridWidth: number; gridHeight: number }, width: number, height: number, seed: number): Float32Array[] {
  return sets.map((set) => {
    const m = methods[set];
    return m ? saliencyAtInput(m.raw!, grid.gridWidth, grid.gridHeight, width, height, m.view, m.scale) : referenceSaliency(set as ReferenceMap, grid.gridWidth, grid.gridHeight, width, height, seed);
  });
}

/** A map no better than the random map on its image: it deletes the model's evidence no faster and restores it no faster. */
export function noBetterThanRandom(mine?: FaithfulnessScore, random?: FaithfulnessScore): boolean {
  return !!mine && !!random && mine.deletionAuc >= random.deletionAuc && mine.insertionAuc <= random.insertionAuc;
}

export interface FaithfulnessSummary {
  n: number;
  /** Mean Average Drop ×100 and the increase rate ×100, as the Grad-CAM++ paper reports them. */
  averageDrop: number;
  increase: number;
  deletion: { mean: number; sd: number };
  insertion: { mean: number; sd: number };
  /** ROAD's combined score over the images that have it (higher is better). */
  road?: { n: number; mean: number; sd: number };
}

const meanSd = (v: number[]) => {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean, sd: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) };
};

export function summarize(scores: FaithfulnessScore[]): FaithfulnessSummary | undefined {
  if (scores.length === 0) return undefined;
  const road = scores.flatMap((s) => (s.road === undefined ? [] : [s.road]));
  return {
    n: scores.length,
    averageDrop: (100 * scores.reduce((a, s) => a + s.averageDrop, 0)) / scores.length,
    increase: (100 * scores.filter((s) => s.increase).length) / scores.length,
    deletion: meanSd(scores.map((s) => s.deletionAuc)),
    insertion: meanSd(scores.map((s) => s.insertionAuc)),
    ...(road.length > 0 ? { road: { n: road.length, ...meanSd(road) } } : {}),
  };
}
