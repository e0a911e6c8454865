import { useStore } from '../state/store';
import type { MapScale } from '../render/normalize';
import { scaleOf } from '../state/selectors';

/** The shared map scale when normalising across the data set; undefined per image. */
export function useMapScale(): MapScale | undefined {
  return useStore(scaleOf);
}
