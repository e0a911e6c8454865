import { useMemo } from 'react';
import { useStore } from '../state/store';
import { datasetScale, rawMapOf } from '../state/view';
import type { MapScale } from '../render/normalize';
import type { InputGeometry } from '../render/overlay';

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

/** Where images sit in the model input (for fit-short / fit-long), to lay maps back over them. */
export function useGeometry(): InputGeometry | undefined {
  const shape = useStore((s) => s.model?.info.inputShape);
  const resizeMode = useStore((s) => s.preprocess.resizeMode);
  const resizeMethod = useStore((s) => s.preprocess.resizeMethod);
  return useMemo(() => (shape ? { width: shape[1], height: shape[0], resizeMode, resizeMethod } : undefined), [shape, resizeMode, resizeMethod]);
}
