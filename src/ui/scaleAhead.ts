// The "same scale for all images" toggle, ready before it is pressed: the data-set-wide scale of
// the view's map set is worked out while the page is idle (after a run, after a view change), so
// the toggle repaints without first reading every map (10,000 doodles: ~30 ms a map set, most of
// the toggle's time). A slice at a time, within each idle period: in one go it held the thread
// just when a slider moved after a run.
import { useEffect } from 'react';
import { useStore, type AppState } from '../state/store';
import { datasetScaleSoon } from '../state/selectors';
import { coalesced, whenIdle } from '../common/coalesce';

/** Leaves this much of an idle period unused: a frame's work may follow it. */
const SPARE_MS = 3;

const prepare = coalesced(whenIdle, (deadline?: IdleDeadline) => {
  const s = useStore.getState();
  if (s.view.scope !== 'image' || s.run.status === 'running') return;
  // cached there until results change; without idle callbacks (Safari), one slice a task
  if (!datasetScaleSoon(s, () => (deadline?.timeRemaining() ?? 0) > SPARE_MS)) prepare();
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
