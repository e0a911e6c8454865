// Sanity checks on request: each method's maps against those of the model with its top layers
// re-initialised, and against another class's maps, on a few of the data set's images.
import { engineClient } from '../../engine/workerClient';
import { messageOf } from '../../common/errors';
import { samplesOfSplit } from '../../sources/datasets/dataset';
import { runOptions } from '../selectors';
import { useStore } from '../store';
import { say } from './messages';

const get = useStore.getState;
const set = useStore.setState;
/** Images the checks use: enough for a stable mean, few enough for seconds (each costs 3 + 1 + 1 explanations). */
export const SANITY_IMAGES = 16;
/** Weighted layers re-initialised, one after the other, from the output down. */
export const SANITY_STAGES = 3;

/** Every n-th explained image of the split, so all classes of a class-folder set are in. */
export function sanitySample<T>(items: T[], n = SANITY_IMAGES): T[] {
  if (items.length <= n) return items;
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]);
}

export async function runSanityChecks() {
  const s = get();
  if (!s.dataset || !s.model) return;
  const explained = samplesOfSplit(s.dataset, s.split).filter((x) => { const r = s.results[x.id]; return r && !('error' in r); });
  const images = sanitySample(explained).map((x) => ({ id: x.id, bytes: x.bytes }));
  if (images.length === 0) return;
  set({ sanity: { status: 'running' } });
  try {
    const report = await engineClient().sanityChecks(images, runOptions(s), SANITY_STAGES);
    set({ sanity: { status: 'done', report } });
  } catch (e) {
    set({ sanity: { status: 'failed', error: messageOf(e) } });
    say('error', `The sanity checks stopped: ${messageOf(e)}.`);
  }
}
