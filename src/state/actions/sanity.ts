// Sanity checks on request: each method's maps against those of the model with its top layers
// re-initialised, and against another class's maps, on a few of the data set's images.
import { readBytes } from '../../sources/datasets/files';
import { engineClient } from '../../engine/workerClient';
import { messageOf } from '../../common/errors';
import { samplesOfSplit } from '../../sources/datasets/dataset';
import { runOptions } from '../selectors';
import { useStore } from '../store';
import { say } from './messages';
import { sanitySample, SANITY_STAGES } from '../../results/sanity';

const get = useStore.getState;
const set = useStore.setState;
export async function runSanityChecks() {
  const s = get();
  if (!s.dataset || !s.model) return;
  const explained = samplesOfSplit(s.dataset, s.split).filter((x) => { const r = s.results[x.id]; return r && !('error' in r); });
  const images = await Promise.all(sanitySample(explained).map(async (x) => ({ id: x.id, bytes: await readBytes(x) })));
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
