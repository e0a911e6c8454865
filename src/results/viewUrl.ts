// What the user is looking at, as the address's hash: view settings that differ from the
// defaults, filters, order and the open sample. A reload or a shared link reopens the same view
// once the same files are loaded. Pure; every value read back is checked against what exists.
import { METHODS, POOLINGS, type MethodId, type Pooling } from '../methods/registry';
import { NORMALIZATIONS, type Normalization } from '../render/normalize';
import { COLORMAPS, type ColormapName } from '../render/colormap';
import { DEFAULT_VIEW, type ViewSettings } from './view';
import { SORTS, type GalleryFilters, type GallerySort } from './filters';

export interface ViewState {
  view: ViewSettings;
  filters: GalleryFilters;
  sort: GallerySort;
  /** Id (path) of the sample whose detail view is open. */
  selected?: string;
}

const oneOf = <T extends string>(v: string | null, allowed: readonly T[]): T | undefined => (v !== null && (allowed as readonly string[]).includes(v) ? (v as T) : undefined);
const numberIn = (v: string | null, lo: number, hi: number): number | undefined => {
  const n = v === null || v.trim() === '' ? NaN : Number(v);
  return Number.isFinite(n) && n >= lo && n <= hi ? n : undefined;
};

export function encodeViewState(s: ViewState): string {
  const q = new URLSearchParams();
  const v = s.view, d = DEFAULT_VIEW;
  if (v.method !== d.method) q.set('method', v.method);
  if (v.pooling !== d.pooling) q.set('pooling', v.pooling);
  if (v.normalization !== d.normalization) q.set('norm', v.normalization);
  if (v.percentile !== d.percentile) q.set('pct', String(v.percentile));
  if (v.scope !== d.scope) q.set('scope', v.scope);
  if (v.alpha !== d.alpha) q.set('alpha', String(v.alpha));
  if (v.colormap !== d.colormap) q.set('cmap', v.colormap);
  if (v.threshold !== d.threshold) q.set('thr', String(v.threshold));
  if (v.drawAt !== d.drawAt) q.set('draw', v.drawAt);
  const f = s.filters;
  if (f.verdict) q.set('verdict', f.verdict);
  if (f.trueLabel !== undefined) q.set('true', f.trueLabel);
  if (f.predicted !== undefined) q.set('pred', f.predicted);
  if (f.search) q.set('q', f.search);
  if (f.confidenceMin !== undefined) q.set('cmin', String(f.confidenceMin));
  if (f.confidenceMax !== undefined) q.set('cmax', String(f.confidenceMax));
  if (f.errorMin !== undefined) q.set('emin', String(f.errorMin));
  if (f.errorMax !== undefined) q.set('emax', String(f.errorMax));
  if (f.unfaithful) q.set('unfaithful', '1');
  if (s.sort !== 'verdict') q.set('sort', s.sort);
  if (s.selected !== undefined) q.set('sample', s.selected);
  return q.toString();
}

/** The parts of a hash that are valid; anything unknown or out of range is left out. */
export function decodeViewState(hash: string): { view: Partial<ViewSettings>; filters: GalleryFilters; sort?: GallerySort; selected?: string } {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const view: Partial<ViewSettings> = {
    method: oneOf<MethodId>(q.get('method'), METHODS.map((m) => m.id)),
    pooling: oneOf<Pooling>(q.get('pooling'), POOLINGS.map((p) => p.value)),
    normalization: oneOf<Normalization>(q.get('norm'), NORMALIZATIONS),
    percentile: numberIn(q.get('pct'), 50, 100),
    scope: oneOf(q.get('scope'), ['image', 'dataset'] as const),
    alpha: numberIn(q.get('alpha'), 0, 1),
    colormap: oneOf<ColormapName>(q.get('cmap'), COLORMAPS),
    threshold: numberIn(q.get('thr'), 0, Number.MAX_VALUE),
    drawAt: oneOf(q.get('draw'), ['image', 'model'] as const),
  };
  const filters: GalleryFilters = {
    verdict: oneOf(q.get('verdict'), ['correct', 'incorrect'] as const),
    trueLabel: q.get('true') ?? undefined,
    predicted: q.get('pred') ?? undefined,
    search: q.get('q') || undefined,
    confidenceMin: numberIn(q.get('cmin'), 0, 1),
    confidenceMax: numberIn(q.get('cmax'), 0, 1),
    errorMin: numberIn(q.get('emin'), 0, Number.MAX_VALUE),
    errorMax: numberIn(q.get('emax'), 0, Number.MAX_VALUE),
    unfaithful: q.get('unfaithful') === '1' || undefined,
  };
  const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return { view: defined(view), filters: defined(filters), sort: oneOf<GallerySort>(q.get('sort'), SORTS.map((s) => s.id)), selected: q.get('sample') ?? undefined };
}
