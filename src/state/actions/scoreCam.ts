// Score-CAM, computed on request (K masked forward passes an image): for one sample from its
// detail view, or for every explained sample with its own progress and Cancel.
import { readBytes } from '../../sources/datasets/files';
import { engineClient } from '../../engine/workerClient';
import type { SampleResult } from '../../engine/types';
import type { Sample } from '../../sources/datasets/dataset';
import { messageOf } from '../../common/errors';
import { runOptions, sampleById } from '../selectors';
import { useStore } from '../store';
import { say } from './messages';
import { task } from './task';

const get = useStore.getState;
const set = useStore.setState;
const scoring = task();

/** One image's Score-CAM map, explaining the same class as its other maps. */
async function scoreCamOf(sample: Sample, result: SampleResult): Promise<Float32Array> {
  const out = await engineClient().scoreCam({ id: sample.id, bytes: await readBytes(sample), targetClass: 'error' in result ? undefined : result.targetIndex }, runOptions(get()));
  return out.map;
}

const keep = (id: string, map: Float32Array) => set((s) => ({ scoreCam: { ...s.scoreCam, [id]: map } }));

/** Score-CAM for one sample (its detail view's button). */
export async function computeScoreCamFor(id: string) {
  const { dataset, results } = get();
  const sample = sampleById(dataset, id);
  const result = results[id];
  if (!sample || !result) return;
  try {
    keep(id, await scoreCamOf(sample, result));
  } catch (e) {
    say('error', `Score-CAM could not be computed for ${sample.path}: ${messageOf(e)}`);
  }
}

/** Score-CAM for every explained sample, one image at a time, with its own progress. */
export async function computeScoreCamAll() {
  const { dataset, results } = get();
  if (!dataset) return;
  cancelScoreCam();
  const signal = scoring.start();
  const todo = Object.values(results).filter((r) => !('error' in r) && !get().scoreCam[r.id]);
  set({ scoreRun: { status: 'running', done: 0, total: todo.length } });
  try {
    for (const [i, r] of todo.entries()) {
      if (signal.aborted) return;
      const sample = sampleById(dataset, r.id);
      if (!sample) continue;
      const map = await scoreCamOf(sample, r);
      if (signal.aborted) return;
      keep(r.id, map);
      set({ scoreRun: { status: 'running', done: i + 1, total: todo.length } });
    }
    set({ scoreRun: { ...get().scoreRun, status: 'done' } });
  } catch (e) {
    set({ scoreRun: { ...get().scoreRun, status: 'cancelled' } });
    say('error', `Score-CAM stopped: ${messageOf(e)}. The maps already computed are kept.`);
  }
}

export function cancelScoreCam() {
  if (!scoring.cancel()) return;
  if (get().scoreRun.status === 'running') set({ scoreRun: { ...get().scoreRun, status: 'cancelled' } });
}
