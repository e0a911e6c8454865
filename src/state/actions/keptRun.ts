// Results kept in this browser (state/savedRun.ts): written as a run's batches arrive, taken back
// by the first run of the same files and settings in a new page, forgotten on request.
import type { SampleResult } from '../../engine/types';
import type { Sample } from '../../sources/datasets/dataset';
import { messageOf } from '../../common/errors';
import { beginSavedRun, forgetSavedRun, keepResults, keptResults, runKey, savedRun } from '../savedRun';
import { runOptions } from '../selectors';
import { useStore } from '../store';
import { say } from './messages';

const get = useStore.getState;
const set = useStore.setState;

/** Runs whose kept results were taken back in this page: a second run of the same computes afresh (Run means run). */
const restoredHere = new Set<string>();

/**
 * Kept results: those of an earlier visit's identical run come back into the store (once per page),
 * and this run's results are written as they arrive, one write after another.
 */
export async function keepOrRestore(samples: Sample[], runId: number, addResults: (batch: SampleResult[], runId: number) => void) {
  const s = get();
  const key = runKey({ modelKey: s.model!.key, datasetKey: s.datasetKey ?? s.dataset!.name, split: s.split, options: { ...runOptions(s), maxImagePixels: undefined, explain: s.explain, classNames: s.explain.target === 'predicted' ? undefined : s.classNames } });
  let restored: SampleResult[] = [];
  if (!restoredHere.has(key)) {
    restoredHere.add(key);
    const ids = new Set(samples.map((x) => x.id));
    restored = (await keptResults(key).catch(() => [])).filter((r) => ids.has(r.id));
  }
  let writes: Promise<unknown> = Promise.resolve();
  let warned = false;
  const queue = (write: () => Promise<void>) => {
    writes = writes.then(write).catch((e: unknown) => {
      if (!warned) say('warning', `Results could not be kept in this browser (${messageOf(e)}); a reload would lose them.`);
      warned = true;
    });
  };
  if (restored.length) {
    addResults(restored, runId);
    set({ savedRun: undefined });
    say('info', `Carried on from an earlier visit: ${restored.length} of ${samples.length} images were explained then and are kept${restored.length < samples.length ? `; explaining the other ${samples.length - restored.length}` : ''}.`);
  } else {
    set({ savedRun: undefined }); // one run is kept: this one from now on
    queue(() => beginSavedRun({ key, model: s.model!.name, dataset: s.dataset!.name, total: samples.length, done: 0, finished: false, savedAt: Date.now() }));
  }
  return { restored, keep: (results: SampleResult[], progress: { done: number; finished: boolean }) => queue(() => keepResults(results, progress)) };
}

/**
 * Forgets the results kept from an earlier visit. The offer goes once they are gone from IndexedDB:
 * a reload right after the click aborted a clear still in flight, and the offer came back.
 */
export async function forgetKeptResults() {
  try {
    await forgetSavedRun();
  } catch (e) {
    say('warning', `The kept results could not be forgotten (${messageOf(e)}); they stay in this browser.`);
    return;
  }
  set({ savedRun: undefined });
}

/** On page load: is there a run kept from an earlier visit? */
export async function lookForKeptResults() {
  const kept = await savedRun().catch(() => undefined);
  if (kept && kept.done > 0 && !get().dataset) set({ savedRun: kept });
}
