// How results are shown: the view settings (repaint only, never recompute), which raw map a
// sample shows under them, and the data-set-wide scale. Pure; shared by the page and the export.
import { mapKey, methodById, methodLabel, type MethodId, type Pooling } from '../methods/registry';
import { mapScale, type MapScale, type Normalization } from '../render/normalize';
import type { ColormapName } from '../render/colormap';
import type { OverlaySettings } from '../render/overlay';
import type { Explanation } from '../engine/types';

export interface ViewSettings extends OverlaySettings {
  method: MethodId;
  /** Grad-CAM's gradient pooling. */
  pooling: Pooling;
  normalization: Normalization;
  percentile: number;
  /** `image`: each map scaled on its own; `dataset`: one scale for all, so a weak map looks weak. */
  scope: 'image' | 'dataset';
  colormap: ColormapName;
  /** Regression: a prediction within ± threshold of the truth is correct. */
  threshold: number;
  /** Overlays over the original image, or over the model-size input the model saw. */
  drawAt: 'image' | 'model';
}

export const DEFAULT_VIEW: ViewSettings = { alpha: 0.4, method: 'gradcam', pooling: 'mean', normalization: 'percentile', percentile: 99, scope: 'image', colormap: 'jet', threshold: 0.1, drawAt: 'image' };

/** The raw map a sample shows under this view; undefined for a method computed on request and not yet computed. */
export function rawMapOf(result: Pick<Explanation, 'maps'>, view: Pick<ViewSettings, 'method' | 'pooling'>, onRequest?: Float32Array): Float32Array | undefined {
  if (methodById(view.method).onRequest) return onRequest;
  return result.maps[mapKey(view.method, view.pooling)];
}

/** The shared scale when the view normalises across the data set. */
export function datasetScale(maps: (Float32Array | undefined)[], view: Pick<ViewSettings, 'scope' | 'normalization' | 'percentile'>): MapScale | undefined {
  if (view.scope !== 'dataset') return undefined;
  return mapScale(maps.filter((m): m is Float32Array => !!m), view.normalization, view.percentile);
}

export function describeView(view: ViewSettings): string {
  const m = methodById(view.method);
  return `${methodLabel(m)}${m.pooled ? ` (${view.pooling})` : ''}, ${view.normalization}${view.normalization === 'percentile' ? ` ${view.percentile}` : ''}${view.scope === 'dataset' ? ' across the data set' : ''}`;
}
