// The true class's map for an incorrect sample, computed when its detail view opens.
import { engineClient } from '../../engine/workerClient';
import { messageOf } from '../../common/errors';
import { runOptions, sampleById } from '../selectors';
import { useStore } from '../store';
import { say } from './messages';

export async function loadTrueClassMap(id: string) {
  const s = useStore.getState();
  const sample = sampleById(s.dataset, id);
  if (!sample || s.trueClassMaps[id] || sample.label === undefined) return;
  const index = s.classNames.indexOf(sample.label);
  if (index < 0) return;
  try {
    const [out] = await engineClient().explainImages([{ id, bytes: sample.bytes, targetClass: index }], runOptions(s));
    if (out) useStore.setState((now) => ({ trueClassMaps: { ...now.trueClassMaps, [id]: out } }));
  } catch (e) {
    say('error', `The true class's map could not be computed: ${messageOf(e)}`);
  }
}
