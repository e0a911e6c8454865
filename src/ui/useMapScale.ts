import { useMemo } from 'react';
import { useStore } from '../state/store';
import { datasetScale, rawMapOf } from '../results/view';
import type { MapScale } from '../render/normalize';

/** The shared map scale when normalising across the data set; undefined per image. */
export function useMapScale(): MapScale | undefined {
  const results = useStore((s) => s.results);
  const scoreCam = useStore((s) => s.scoreCam);
  const view = useStore((s) => s.view);
  const { scope, method, pooling, normalization, percentile } = view;
  return useMemo(() => {
    if (scope !== 'dataset') return undefined;
    const maps = Object.values(results).map((r) => ('error' in r ? undefined : rawMapOf(r, { method, pooling }, scoreCam[r.id])));
    return datasetScale(maps, { scope, normalization, percentile });
  }, [results, scoreCam, scope, method, pooling, normalization, percentile]);
}
