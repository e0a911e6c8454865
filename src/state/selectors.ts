import { mapKey } from '../methods/registry';
import { rawMapOf } from '../results/view';
import { scaleOfMany, type MapScale } from '../render/normalize';
// Pure functions of the state: each decision the page, the actions and the command line share
// is made here, once.
import { limits } from '../common/limits';
import type { InputGeometry } from '../render/overlay';
import type { RunOptions, SampleResult } from '../engine/types';
import type { Dataset, Sample } from '../sources/datasets/dataset';
import type { AppState, LoadedModel } from './store';

/** The layer explained: the user's pick, else the model's default (its last convolution). */
export const targetLayerOf = (s: Pick<AppState, 'explain' | 'model'>): string | undefined => s.explain.targetLayer ?? s.model?.info.defaultTargetLayer;

/** Where each image sits in the model input (crop or letterbox), to lay its map back over it. */
export function inputGeometry(model: Pick<LoadedModel, 'info'> | undefined, preprocess: AppState['preprocess']): InputGeometry | undefined {
  if (!model) return undefined;
  const [height, width] = model.info.inputShape;
  return { width, height, resizeMode: preprocess.resizeMode, resizeMethod: preprocess.resizeMethod };
}

export const FUSE_PRESETS = { off: 'last conv only', two: 'last two stages', three: 'last three stages' } as const;
export type FusePreset = keyof typeof FUSE_PRESETS;

/**
 * A preset's layers besides the target: the last layer of each finer grid before it ("stages":
 * where the spatial size changes), none, one or two of them.
 */
export function presetLayers(s: Pick<AppState, 'explain' | 'model'>, preset: FusePreset): string[] {
  const target = targetLayerOf(s);
  const layers = s.model?.info.targetLayers ?? [];
  const at = layers.findIndex((l) => l.path === target);
  const picked = at >= 0 ? [layers[at]] : [];
  const want = preset === 'off' ? 1 : preset === 'two' ? 2 : 3;
  for (let i = at - 1; i >= 0 && picked.length < want; i--) {
    const [h, w] = layers[i].shape;
    const [ph, pw] = picked[picked.length - 1].shape;
    if (h * w > ph * pw) picked.push(layers[i]); // the last layer of a finer grid
  }
  return picked.slice(1).map((l) => l.path);
}

/** Which preset the fused layers are, or 'custom' when the user picked them one by one. */
export function fusePresetOf(s: Pick<AppState, 'explain' | 'model'>): FusePreset | 'custom' {
  const mine = layersOf(s)?.slice(1) ?? [];
  const same = (a: string[]) => a.length === mine.length && a.every((l, i) => l === mine[i]);
  return (Object.keys(FUSE_PRESETS) as FusePreset[]).find((p) => same(presetLayers(s, p))) ?? 'custom';
}

/** The layers fused for finer maps: the target, then the others picked, from the finest down; undefined = the target alone. */
export function layersOf(s: Pick<AppState, 'explain' | 'model'>): string[] | undefined {
  const target = targetLayerOf(s);
  const layers = s.model?.info.targetLayers;
  if (!target || !layers) return undefined;
  const others = layers.filter((l) => l.path !== target && s.explain.fuseWith.includes(l.path)).reverse();
  return others.length > 0 ? [target, ...others.map((l) => l.path)] : undefined;
}

/** What the engine needs besides the images: layer(s), score, smoothing, preprocessing. */
export function runOptions(s: Pick<AppState, 'explain' | 'model' | 'preprocess'>): RunOptions {
  const layers = layersOf(s);
  return {
    ...s.preprocess,
    targetLayer: targetLayerOf(s),
    score: s.explain.score,
    negate: s.explain.negate,
    maxImagePixels: limits().imagePixels,
    ...(layers ? { layers, fusion: s.explain.fusion } : {}),
    ...(s.explain.smooth !== 'off' ? { smooth: s.explain.smooth } : {}),
  };
}

/** The class a sample's map explains under the target setting; undefined = the predicted one. */
export function targetClassOf(s: Pick<AppState, 'explain' | 'classNames' | 'model'>, sample: Sample): number | undefined {
  if (s.model?.info.outputKind === 'regression') return undefined;
  if (s.explain.target === 'class') return s.explain.targetClass;
  if (s.explain.target === 'true' && sample.label !== undefined) {
    const i = s.classNames.indexOf(sample.label);
    return i >= 0 ? i : undefined;
  }
  return undefined;
}

/** A result computed with the current settings (a cancelled re-run leaves older ones). */
export const isCurrent = (s: Pick<AppState, 'resultRunIds' | 'run'>, id: string): boolean => s.resultRunIds[id] === undefined || s.resultRunIds[id] === s.run.id;

export const sampleById = (dataset: Dataset | undefined, id: string | undefined): Sample | undefined => (id === undefined ? undefined : dataset?.byId.get(id));

/** The target in words, for the export's settings. */
export function targetDescription(s: Pick<AppState, 'explain' | 'classNames'>): string {
  const { explain, classNames } = s;
  return explain.target === 'class' ? `class ${classNames[explain.targetClass] ?? explain.targetClass}` : explain.target;
}

/** Data-set-wide scales of the results as they are now, by map set; dropped when results change. */
let scales: { of: unknown[]; byKey: Map<string, MapScale | undefined> } | undefined;

type ScaleState = Pick<AppState, 'results' | 'resultsVersion' | 'scoreCam' | 'view'>;

/** The cache for the results as they are now, and the key of the view's map set in it. */
function scaleCache(s: ScaleState) {
  const { method, pooling, normalization, percentile } = s.view;
  const of = [s.results, s.resultsVersion, s.scoreCam];
  if (!scales || scales.of.some((k, i) => k !== of[i])) scales = { of, byKey: new Map() };
  return { cache: scales.byKey, key: `${method} ${pooling} ${normalization} ${percentile}` };
}

/**
 * The scale one map set would have across the data set, computed once for everything that asks
 * (tiles, detail view, faithfulness), not once per tile; whatever the view's scope.
 */
export function datasetScaleOf(s: ScaleState): MapScale | undefined {
  const { cache, key } = scaleCache(s);
  // the rest of it in one go (from where idle slices left it, if they had begun)
  if (!cache.has(key)) datasetScaleSoon(s, () => true);
  return cache.get(key);
}

/** Maps taken per slice of datasetScaleSoon(): ~0.5 ms of work for 7×7 maps here. */
const SLICE = 500;
let soon: { cache: Map<string, MapScale | undefined>; key: string; results: Exclude<SampleResult, { error: string }>[]; next: number; scale: ReturnType<typeof scaleOfMany> } | undefined;

/**
 * What datasetScaleOf(s) gives, worked out a slice of maps at a time while `goOn()` says so, so
 * the page's idle time can do it (in one go, 10,000 doodles' maps held the thread ~20–30 ms, and
 * a slider moved meanwhile waited). True once it is cached; call again to go on.
 */
export function datasetScaleSoon(s: ScaleState, goOn: () => boolean): boolean {
  const { cache, key } = scaleCache(s);
  if (cache.has(key)) return true;
  if (soon?.cache !== cache || soon.key !== key) {
    const list = Object.values(s.results).filter((r): r is Exclude<SampleResult, { error: string }> => !('error' in r));
    soon = { cache, key, results: list, next: 0, scale: scaleOfMany(s.view.normalization, s.view.percentile) };
  }
  const job: NonNullable<typeof soon> = soon;
  const { method, pooling } = s.view;
  do {
    for (const end = Math.min(job.next + SLICE, job.results.length); job.next < end; job.next++) {
      const r = job.results[job.next];
      const map = rawMapOf(r, { method, pooling }, s.scoreCam[r.id]);
      if (map) job.scale.add(map);
    }
    if (job.next >= job.results.length) {
      cache.set(key, job.scale.result());
      soon = undefined;
      return true;
    }
  } while (goOn());
  return false;
}

/** The data-set-wide scale when the view normalises across the data set, else none. */
export function scaleOf(s: AppState): MapScale | undefined {
  return s.view.scope === 'dataset' ? datasetScaleOf(s) : undefined;
}

/** The name of the current method's map set: its maps and how the view normalises them. */
export function methodSet(s: Pick<AppState, 'view'>): string {
  const v = s.view;
  return `${mapKey(v.method, v.pooling)} · ${v.normalization}${v.normalization === 'percentile' ? ` ${v.percentile}` : ''}${v.scope === 'dataset' ? ' across the data set' : ''}`;
}
