// Which raw map the view shows, and the data-set-wide scale; pure, shared by the page and the export.
import type { CamMethodName } from '../engine/cam';
import type { Explanation } from '../engine/engine';
import { mapScale, type MapScale, type Normalization } from '../render/normalize';
import type { ColormapName } from '../render/colormap';

export type Pooling = 'mean' | 'sum_abs';
export type MethodChoice = 'gradcam' | Exclude<CamMethodName, Pooling> | 'scorecam';

export const METHODS: { value: MethodChoice; label: string }[] = [
  { value: 'gradcam', label: 'Grad-CAM' },
  { value: 'gradcampp', label: 'Grad-CAM++' },
  { value: 'hirescam', label: 'HiResCAM' },
  { value: 'xgradcam', label: 'XGrad-CAM' },
  { value: 'layercam', label: 'LayerCAM' },
  { value: 'eigencam', label: 'Eigen-CAM (class-agnostic)' },
  { value: 'scorecam', label: 'Score-CAM (on demand)' },
];

export interface ViewState {
  alpha: number;
  method: MethodChoice;
  pooling: Pooling;
  normalization: Normalization;
  percentile: number;
  /** `image`: each map scaled on its own; `dataset`: one scale for all, so a weak map looks weak. */
  scope: 'image' | 'dataset';
  colormap: ColormapName;
  threshold: number;
  /** Overlays over the original image, or over the model-size input the model saw. */
  drawAt: 'image' | 'model';
}

export const DEFAULT_VIEW: ViewState = { alpha: 0.4, method: 'gradcam', pooling: 'mean', normalization: 'percentile', percentile: 99, scope: 'image', colormap: 'jet', threshold: 0.1, drawAt: 'image' };

/** The raw map a sample shows under this view; undefined for Score-CAM not yet computed. */
export function rawMapOf(result: Pick<Explanation, 'maps'>, view: Pick<ViewState, 'method' | 'pooling'>, scoreCam?: Float32Array): Float32Array | undefined {
  if (view.method === 'scorecam') return scoreCam;
  return result.maps[view.method === 'gradcam' ? view.pooling : view.method];
}

/** The shared scale when the view normalises across the data set. */
export function datasetScale(maps: (Float32Array | undefined)[], view: Pick<ViewState, 'scope' | 'normalization' | 'percentile'>): MapScale | undefined {
  if (view.scope !== 'dataset') return undefined;
  return mapScale(maps.filter((m): m is Float32Array => !!m), view.normalization, view.percentile);
}

export function describeView(view: ViewState): string {
  const m = METHODS.find((x) => x.value === view.method)?.label ?? view.method;
  return `${m}${view.method === 'gradcam' ? ` (${view.pooling})` : ''}, ${view.normalization}${view.normalization === 'percentile' ? ` ${view.percentile}` : ''}${view.scope === 'dataset' ? ' across the data set' : ''}`;
}
