// Faithfulness scores, computed on request for every explained sample (31 forward passes a map
// and 3 an image, 18 more a map with ROAD, in the engine worker, a few images at a time, with
// progress and Cancel): the current method under the view's normalisation, and once a run the two
// reference maps.
import { readBytes } from '../../sources/datasets/files';
import { engineClient } from '../../engine/workerClient';
import type { FaithfulnessHow } from '../../methods/faithfulness';
import type { FaithfulnessRequest } from '../../engine/types';
import { messageOf } from '../../common/errors';
import { rawMapOf } from '../../results/view';
import { REFERENCE_MAPS, saliencies } from '../../results/faithfulness';
import { samplesOfSplit } from '../../sources/datasets/dataset';
import { methodSet, runOptions, scaleOf } from '../selectors';
import { METHODS } from '../../methods/registry';
import { useStore, type AppState } from '../store';
import { say } from './messages';
import { seedOf, shuffled } from '../../common/random';
import { task } from './task';

const get = useStore.getState;
const set = useStore.setState;
const scoring = task();
const IMAGES_PER_CALL = 4;

/**
 * Scores the current method's maps, or with `allMethods` every method computed in the run (all
 * but Score-CAM, unless its maps were computed), and the reference maps once a run.
 */
export async function computeFaithfulness(allMethods = false) {
  const s = get();
  const { dataset, model } = s;
  if (!dataset || !model) return;
  cancelFaithfulness();
  const signal = scoring.start();
  const [h, w] = model.info.inputShape;
  const views = allMethods ? METHODS.filter((m) => !m.onRequest || Object.keys(s.scoreCam).length > 0).map((m) => ({ ...s.view, method: m.id })) : [s.view];
  const methods = views.map((view) => ({ name: methodSet({ view }), view, scale: scaleOf({ ...s, view }) }));
  const current = methodSet(s);
  const how = s.faithfulnessHow;
  // each image: the methods' maps, and a reference map, where that image has no score yet (or none with ROAD, when asked)
  const setsFor = (id: string) => [...methods.map((m) => m.name), ...REFERENCE_MAPS].filter((name) => { const had = s.faithfulness[name]?.[id]; return !had || (how.road && had.road === undefined); });
  // in a shuffled order (seeded): stopped at any point, the images scored so far are a random
  // sample of the split, not its first classes, so the table's means already mean something
  const todo = shuffled(samplesOfSplit(dataset, s.split).filter((x) => { const r = s.results[x.id]; return r && !('error' in r) && setsFor(x.id).length > 0; }), 20221);
  const label = allMethods ? 'every method' : current;
  set({ faithfulnessRun: { status: 'running', done: 0, total: todo.length, set: label } });
  try {
    for (let i = 0; i < todo.length; i += IMAGES_PER_CALL) {
      if (signal.aborted) return;
      const names: string[][] = [];
      const chunk = todo.slice(i, i + IMAGES_PER_CALL);
      // read only those explained: one that failed (a damaged file) is left out below, as before
      const bytes = await Promise.all(chunk.map((sample) => { const r = s.results[sample.id]; return r && !('error' in r) ? readBytes(sample) : undefined; }));
      const requests: FaithfulnessRequest[] = chunk.flatMap((sample, k) => {
        const r = s.results[sample.id];
        if (!r || 'error' in r) return [];
        const maps = Object.fromEntries(methods.map((m) => [m.name, { raw: rawMapOf(r, m.view, s.scoreCam[sample.id]), view: m.view, scale: m.scale }]));
        const sets = setsFor(sample.id).filter((name) => !maps[name] || maps[name].raw);
        names.push(sets);
        return [{ id: sample.id, bytes: bytes[k]!, targetClass: r.targetIndex, saliencies: saliencies(sets, maps, r, w, h, seedOf(sample.id)) }];
      });
      const out = await engineClient().faithfulness(requests, runOptions(s), how);
      if (signal.aborted) return;
      set((now) => {
        const next = { ...now.faithfulness };
        out.forEach((o, n) => 'scores' in o && names[n].forEach((name, j) => (next[name] = { ...next[name], [o.id]: o.scores[j] })));
        return { faithfulness: next, faithfulnessRun: { status: 'running', done: Math.min(todo.length, i + IMAGES_PER_CALL), total: todo.length, set: label } };
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
