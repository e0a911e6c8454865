// Faithfulness scores, computed on request for every explained sample (31 forward passes a map
// and 3 an image, 18 more a map with ROAD, in the engine worker, a few images at a time, with
// progress and Cancel): the current method under the view's normalisation, and once a run the two
// reference maps.
import { engineClient } from '../../engine/workerClient';
import type { FaithfulnessHow } from '../../methods/faithfulness';
import type { FaithfulnessRequest } from '../../engine/types';
import { messageOf } from '../../common/errors';
import { rawMapOf } from '../../results/view';
import { REFERENCE_MAPS, saliencies } from '../../results/faithfulness';
import { samplesOfSplit } from '../../sources/datasets/dataset';
import { methodSet, runOptions, scaleOf } from '../selectors';
import { useStore, type AppState } from '../store';
import { say } from './messages';
import { task } from './task';

const get = useStore.getState;
const set = useStore.setState;
const scoring = task();
const IMAGES_PER_CALL = 4;

export async function computeFaithfulness() {
  const s = get();
  const { dataset, model } = s;
  if (!dataset || !model) return;
  cancelFaithfulness();
  const signal = scoring.start();
  const [h, w] = model.info.inputShape;
  const current = methodSet(s);
  const scale = scaleOf(s);
  const how = s.faithfulnessHow;
  // each image: the current method's map, and a reference map, where that image has no score yet (or none with ROAD, when asked)
  const setsFor = (id: string) => [current, ...REFERENCE_MAPS].filter((name) => { const had = s.faithfulness[name]?.[id]; return !had || (how.road && had.road === undefined); });
  const todo = samplesOfSplit(dataset, s.split).filter((x) => { const r = s.results[x.id]; return r && !('error' in r) && setsFor(x.id).length > 0; });
  set({ faithfulnessRun: { status: 'running', done: 0, total: todo.length, set: current } });
  try {
    for (let i = 0; i < todo.length; i += IMAGES_PER_CALL) {
      if (signal.aborted) return;
      const names: string[][] = [];
      const requests: FaithfulnessRequest[] = todo.slice(i, i + IMAGES_PER_CALL).flatMap((sample, k) => {
        const r = s.results[sample.id];
        if (!r || 'error' in r) return [];
        const raw = rawMapOf(r, s.view, s.scoreCam[sample.id]);
        const sets = setsFor(sample.id).filter((name) => name !== current || raw);
        names.push(sets);
        return [{ id: sample.id, bytes: sample.bytes, targetClass: r.targetIndex, saliencies: saliencies(sets, current, raw, r, w, h, s.view, scale, i + k + 1) }];
      });
      const out = await engineClient().faithfulness(requests, runOptions(s), how);
      if (signal.aborted) return;
      set((now) => {
        const next = { ...now.faithfulness };
        out.forEach((o, n) => 'scores' in o && names[n].forEach((name, j) => (next[name] = { ...next[name], [o.id]: o.scores[j] })));
        return { faithfulness: next, faithfulnessRun: { status: 'running', done: Math.min(todo.length, i + IMAGES_PER_CALL), total: todo.length, set: current } };
      });
    }
    set({ faithfulnessRun: { ...get().faithfulnessRun, status: 'done' } });
  } catch (e) {
    set({ faithfulnessRun: { ...get().faithfulnessRun, status: 'cancelled' } });
    say('error', `Faithfulness scores stopped: ${messageOf(e)}. The scores already computed are kept.`);
  }
}

export function cancelFaithfulness() {
  if (!scoring.cancel()) return;
  if (get().faithfulnessRun.status === 'running') set({ faithfulnessRun: { ...get().faithfulnessRun, status: 'cancelled' } });
}

/** How the scores are made. Another baseline makes earlier scores incomparable, so they go; ROAD only adds. */
export function setFaithfulnessHow(change: Partial<FaithfulnessHow>) {
  const now = get().faithfulnessHow;
  const how = { ...now, ...change };
  if (how.baseline === now.baseline && how.road === now.road) return;
  if (how.baseline !== now.baseline) {
    cancelFaithfulness();
    set({ faithfulness: {}, faithfulnessRun: { status: 'idle', done: 0, total: 0 } });
  }
  set({ faithfulnessHow: how });
}
