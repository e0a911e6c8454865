// Maps for a class the run did not explain, computed on request for one sample: the true class
// of a mistake (when its detail view opens) and any top-5 class ("why this class").
import { readBytes } from '../../sources/datasets/files';
import { engineClient } from '../../engine/workerClient';
import { messageOf } from '../../common/errors';
import { runOptions, sampleById } from '../selectors';
import { useStore } from '../store';
import { say } from './messages';

export const classMapKey = (id: string, classIndex: number) => `${id}#${classIndex}`;

const pending = new Set<string>();

export async function loadClassMap(id: string, classIndex: number) {
  const key = classMapKey(id, classIndex);
  const s = useStore.getState();
  const sample = sampleById(s.dataset, id);
  if (!sample || s.classMaps[key] || pending.has(key) || classIndex < 0) return;
  const runId = s.run.id;
  pending.add(key);
  try {
    const [out] = await engineClient().explainImages([{ id, bytes: await readBytes(sample), targetClass: classIndex }], runOptions(s));
    // a new run (another model, other settings) makes this map stale
    if (out && useStore.getState().run.id === runId) useStore.setState((now) => ({ classMaps: { ...now.classMaps, [key]: out } }));
  } catch (e) {
    say('error', `The map for class ${s.classNames[classIndex] ?? classIndex} could not be computed: ${messageOf(e)}`);
  } finally {
    pending.delete(key);
  }
}

/** The true class's map for an incorrect sample. */
export function loadTrueClassMap(id: string) {
  const s = useStore.getState();
  const label = sampleById(s.dataset, id)?.label;
  if (label !== undefined) return loadClassMap(id, s.classNames.indexOf(label));
}
