import type { AppState } from '../state/store';
import { useStore } from '../state/store';
import { datasetScale, rawMapOf } from '../results/view';
import type { MapScale } from '../render/normalize';

let cached: { key: unknown[]; scale: MapScale | undefined } | undefined;

/** The data-set-wide scale, computed once for everything that asks (tiles, detail view), not once per tile. */
export function scaleOf(s: AppState): MapScale | undefined {
  const { scope, method, pooling, normalization, percentile } = s.view;
  if (scope !== 'dataset') return undefined;
  const key = [s.results, s.resultsVersion, s.scoreCam, method, pooling, normalization, percentile];
  if (cached && cached.key.every((k, i) => k === key[i])) return cached.scale;
  const maps = Object.values(s.results).map((r) => ('error' in r ? undefined : rawMapOf(r, { method, pooling }, s.scoreCam[r.id])));
  cached = { key, scale: datasetScale(maps, { scope, normalization, percentile }) };
  return cached.scale;
}

/** The shared map scale when normalising across the data set; undefined per image. */
export function useMapScale(): MapScale | undefined {
  return useStore(scaleOf);
}
