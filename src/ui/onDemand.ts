// Work done on request after a run: Score-CAM for the gallery, the true class's map for one
// sample, and the export zip.
import { engineClient } from '../engine/client';
import { buildExport } from '../export/exportZip';
import { samplesOfSplit } from '../sources/datasets/dataset';
import { say, useStore } from '../state/store';
import { inputGeometry, messageOf, runOptions } from './actions';

const get = useStore.getState;
const set = useStore.setState;

let scoreAbort: AbortController | undefined;

/** Score-CAM for every explained sample, one image at a time, with its own progress. */
export async function computeScoreCamAll() {
  const { dataset, results } = get();
  if (!dataset) return;
  cancelScoreCam();
  const controller = new AbortController();
  scoreAbort = controller;
  const todo = Object.values(results).filter((r) => !('error' in r) && !get().scoreCam[r.id]);
  set({ scoreRun: { status: 'running', done: 0, total: todo.length } });
  try {
    for (const [i, r] of todo.entries()) {
      if (controller.signal.aborted) return;
      const sample = dataset.samples[Number(r.id)];
      const out = await engineClient().scoreCam({ id: r.id, bytes: sample.bytes, targetClass: 'error' in r ? undefined : r.targetIndex }, runOptions());
      if (controller.signal.aborted) return;
      set({ scoreCam: { ...get().scoreCam, [r.id]: out.map }, scoreRun: { status: 'running', done: i + 1, total: todo.length } });
    }
    set({ scoreRun: { ...get().scoreRun, status: 'done' } });
  } catch (e) {
    set({ scoreRun: { ...get().scoreRun, status: 'cancelled' } });
    say('error', `Score-CAM stopped: ${messageOf(e)}. The maps already computed are kept.`);
  }
}

export function cancelScoreCam() {
  if (!scoreAbort) return;
  scoreAbort.abort();
  scoreAbort = undefined;
  if (get().scoreRun.status === 'running') set({ scoreRun: { ...get().scoreRun, status: 'cancelled' } });
}

/** The map of the true class for one sample (shown beside the predicted class's map). */
export async function loadTrueClassMap(id: string) {
  const { dataset, classNames, trueClassMaps } = get();
  const sample = dataset?.samples[Number(id)];
  if (!sample || trueClassMaps[id] || sample.label === undefined) return;
  const index = classNames.indexOf(sample.label);
  if (index < 0) return;
  try {
    const [out] = await engineClient().explainImages([{ id, bytes: sample.bytes, targetClass: index }], runOptions());
    if (out) set({ trueClassMaps: { ...get().trueClassMaps, [id]: out } });
  } catch (e) {
    say('error', `The true class's map could not be computed: ${messageOf(e)}`);
  }
}

export async function exportOverlays(onProgress?: (done: number, total: number) => void): Promise<void> {
  const { dataset, model, view, classNames, preprocess, split, explain, scoreCam, run } = get();
  if (!dataset || !model) return;
  // only maps computed with the current settings (a cancelled re-run can leave older ones)
  const results = Object.fromEntries(Object.entries(get().results).filter(([, r]) => r.runId === undefined || r.runId === run.id));
  const stale = samplesOfSplit(dataset, split).filter((s) => get().results[s.id] && !results[s.id]).length;
  if (stale > 0) say('warning', `${stale} images still show maps from earlier settings and were left out of the export; press Run to refresh them.`);
  try {
    const { zip, rows } = await buildExport({
      samples: samplesOfSplit(dataset, split),
      results,
      scoreCam,
      view,
      classNames,
      model,
      targetLayer: explain.targetLayer ?? model.info.defaultTargetLayer,
      target: explain.target === 'class' ? `class ${classNames[explain.targetClass] ?? explain.targetClass}` : explain.target,
      preprocess,
      geometry: inputGeometry(),
      score: explain.score,
    }, onProgress);
    const missing = Object.keys(results).length - rows.length;
    if (missing > 0) say('warning', `${missing} images have no ${view.method === 'scorecam' ? 'Score-CAM ' : ''}map yet and were left out of the export.`);
    const url = URL.createObjectURL(new Blob([zip as BlobPart], { type: 'application/zip' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'gradcam.zip';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (e) {
    say('error', `Export failed: ${messageOf(e)}. Your results are kept; try again.`);
  }
}
