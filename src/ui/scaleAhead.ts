// The "same scale for all images" toggle, ready before it is pressed: the data-set-wide scale of
// the view's map set is computed while the page is idle (after a run, after a view change), so
// the toggle repaints without first reading every map (10,000 doodles: ~30 ms a map set, most of
// the toggle's time).
import { useEffect } from 'react';
import { useStore, type AppState } from '../state/store';
import { datasetScaleOf } from '../state/selectors';
import { coalesced } from '../common/coalesce';

const whenIdle = (f: () => void) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(f, { timeout: 2000 }) : setTimeout(f, 200));

const prepare = coalesced(whenIdle, () => {
  const s = useStore.getState();
  if (s.view.scope === 'image' && s.run.status !== 'running') datasetScaleOf(s); // cached there until results change
});

const worthIt = (s: AppState, prev: AppState) =>
  s.view.scope === 'image' && s.run.status !== 'running' && (s.view !== prev.view || s.resultsVersion !== prev.resultsVersion || s.scoreCam !== prev.scoreCam || s.run.status !== prev.run.status);

/** While the gallery is shown: keep the data-set scale of the current map set computed. */
export function useScaleAhead() {
  useEffect(() => {
    prepare();
    return useStore.subscribe((s, prev) => worthIt(s, prev) && prepare());
  }, []);
}
