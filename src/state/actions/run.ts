// Runs: explaining the data set's split in the engine, and everything that recomputes (layer,
// target, score, preprocessing, backend). Results stream into the store in batches.
import { engineClient, restartOn } from '../../engine/workerClient';
import { explainAll, type RunProgress } from '../../engine/explainAll';
import type { BackendChoice, SampleResult } from '../../engine/types';
import { samplesOfSplit } from '../../sources/datasets/dataset';
import { EngineLostError, messageOf } from '../../common/errors';
import { runOptions, sampleById, targetClassOf } from '../selectors';
import { warnIfTooBig } from './memoryWarning';
import { keepOrRestore } from './keptRun';
import { useStore, type AppState, type ExplainSettings } from '../store';
import { visibleSampleIds } from '../visibleTiles';
import { thumbnailMade, thumbnailsWanted } from '../thumbnails';
import { ensureBackend, fitBackendToModel } from './backend';
import { say } from './messages';
import { cancelScoreCam } from './scoreCam';
import { task } from './task';

const get = useStore.getState;
const set = useStore.setState;
const running = task();
/** Engines lost in one run before it gives up (a data set that kills every worker is not retried forever). */
const MAX_ENGINE_LOSSES = 3;

/**
 * Images sent ahead to the engine during a run, in whole batches (at least 3). A photo waits
 * ~15–30 ms for the browser's JPEG decoder threads on a busy 2-core machine, ten times the CPU it
 * costs, and the engine sat idle a third of a run waiting for its next batch: more images in
 * preparation keep it fed (VWW, 1,000 photos, batches of 32: 3 ahead 157, 6 ahead 174 images/s,
 * mean of six runs each, alternating). Counted in images, so a GPU's batches of 256 stay at 3, and
 * at most 6 batches: 12 batches of 16 doodles ahead raised 10,000 doodles' peak by ~40 MB (859 / 859
 * against 830 / 806); 6 ahead, 843 / 809.
 */
const IMAGES_AHEAD = 192;
const batchesAhead = (batchSize = 16) => Math.min(6, Math.max(3, Math.ceil(IMAGES_AHEAD / batchSize)));

export async function startRun() {
  const { dataset, model, split } = get();
  if (!dataset || !model) return;
  cancelRun();
  cancelScoreCam();
  const signal = running.start();
  // A re-run (another layer, target, score or preprocessing) replaces results in place, the
  // tiles on screen first, so the gallery never empties while it recomputes.
  const shown = visibleSampleIds();
  const all = samplesOfSplit(dataset, split);
  const samples = [...all.filter((s) => shown.has(s.id)), ...all.filter((s) => !shown.has(s.id))];
  const runId = get().run.id + 1;
  set({ scoreCam: {}, classMaps: {}, faithfulness: {}, faithfulnessRun: { status: 'idle', done: 0, total: 0 }, sanity: { status: 'idle' }, scoreRun: { status: 'idle', done: 0, total: 0 }, run: { id: runId, status: 'running', done: 0, total: samples.length, failed: 0, startedAt: performance.now() } });
  try {
    await ensureBackend();
    // bytes read batch by batch (explainAll), not all up front; a deflated zip entry is inflated in a
    // preparation worker, and a photo in a zip on disk is read there too (sources/datasets/files.ts: readInWorker)
    // a photo's gallery thumbnail comes with its result where the decode for the model makes it
    // (image/prepare.ts): after the run the gallery has its images without decoding them again
    const thumbs = thumbnailsWanted(samples);
    const thumbnailOf = (id: string) => (thumbs?.ids.has(id) ? thumbs.side : undefined);
    const images = samples.map((s) => ({ id: s.id, get bytes() { return s.bytes; }, deflated: s.deflated, read: s.read, readDeflated: s.readDeflated, onDisk: s.onDisk, targetClass: targetClassOf(get(), s), thumbnail: thumbnailOf(s.id) }));
    warnIfTooBig(samples.length);
    const keeping = await keepOrRestore(samples, runId, addResults);
    const restored = new Set(keeping.restored.map((r) => r.id));
    // Results reach the store at most every 150 ms at first, less often as they grow (+0.1 ms a result:
    // 1 s apart at 8,500): each flush re-renders the views of every result so far, so at a fixed
    // interval the page's thread took O(n²) over a run, and took the engine's core (10,000 doodles:
    // busy ~60 % of the run on 2 cores).
    let pending: SampleResult[] = [];
    let latest: RunProgress | undefined;
    let flushedAt = 0;
    const flush = () => {
      if (signal.aborted || (!pending.length && !latest)) return;
      addResults(pending, runId);
      keeping.keep(pending, { done: latest?.done ?? get().run.done, finished: false });
      if (latest) set({ run: { ...get().run, ...latest } });
      pending = [];
      latest = undefined;
      flushedAt = performance.now();
    };
    // A lost engine (its worker died, its GPU went away) is replaced and the run carries on with
    // the images not yet explained; what was finished stays. Twice lost on a GPU: WASM from then on.
    let todo = images.filter((i) => !restored.has(i.id));
    let final: RunProgress = { done: restored.size, total: samples.length, failed: keeping.restored.filter((r) => 'error' in r).length };
    for (let lost = 0; ; lost++) {
      const before = { done: final.done, failed: final.failed };
      try {
        const part = await explainAll(engineClient(), todo, runOptions(get()), {
          signal,
          batchSize: get().backend?.batchSize,
          inFlight: batchesAhead(get().backend?.batchSize),
          firstBatchSize: 8, // the first tiles show while the larger batches that follow keep the engine busy
          onBatch: (outcomes, progress) => {
            if (signal.aborted) return;
            for (const o of outcomes) {
              if (!o.thumbnail) continue;
              const sample = sampleById(dataset, o.id);
              if (sample && thumbs) thumbnailMade(sample, o.thumbnail, thumbs.side);
              delete o.thumbnail; // the gallery's, not the result's (nor the saved run's)
            }
            pending.push(...outcomes);
            latest = { done: before.done + progress.done, total: samples.length, failed: before.failed + progress.failed };
            if (performance.now() - flushedAt > 150 + 0.1 * latest.done) flush();
          },
        });
        final = { done: before.done + part.done, total: samples.length, failed: before.failed + part.failed };
        break;
      } catch (e) {
        if (!(e instanceof EngineLostError) || lost >= MAX_ENGINE_LOSSES || signal.aborted) throw e;
        flush();
        const finished = samples.filter((s) => get().resultRunIds[s.id] === runId);
        final = { done: finished.length, total: samples.length, failed: finished.filter((s) => 'error' in get().results[s.id]).length };
        const done = new Set(finished.map((s) => s.id));
        todo = images.filter((i) => !done.has(i.id));
        const was = get().backend?.backend;
        const gpu = was === 'webgl' || was === 'webgpu';
        if (gpu && lost >= 1) restartOn('wasm');
        say('warning', `The engine was lost: ${e.message}. A fresh engine carries on from image ${final.done + 1} of ${samples.length}${gpu && lost >= 1 ? ', on WASM' : ''}; the ${final.done} images already explained are kept.`);
        set({ run: { ...get().run, ...final }, ...(gpu && lost >= 1 && get().backend ? { backend: { ...get().backend!, backend: 'wasm', batchSize: Math.min(get().backend!.batchSize ?? 16, 16) } } : {}) });
      }
    }
    flush();
    if (!running.isLatest(signal)) return;
    keeping.keep([], { done: final.done, finished: !signal.aborted });
    set({ run: { ...get().run, ...final, status: signal.aborted ? 'cancelled' : 'done', finishedAt: performance.now() }, cpuFallbacks: await engineClient().fallbacksUsed() });
    reportFailures(samples.map((s) => s.id));
  } catch (e) {
    if (!running.isLatest(signal)) return;
    set({ run: { ...get().run, status: 'failed', finishedAt: performance.now() } });
    say('error', `The run stopped: ${messageOf(e)}. The ${get().run.done} images already explained are kept; press Run to try again.`);
  }
}

/** In place, then one version bump: subscribers re-read what they show. */
function addResults(batch: SampleResult[], runId: number) {
  const { results, resultRunIds, resultsVersion } = get();
  for (const r of batch) {
    results[r.id] = r;
    resultRunIds[r.id] = runId;
  }
  set({ resultsVersion: resultsVersion + 1 });
}

function reportFailures(ids: string[]) {
  const { results, dataset } = get();
  const failed = ids.map((id) => results[id]).filter((r): r is { id: string; error: string } => !!r && 'error' in r);
  for (const f of failed.slice(0, 5)) {
    const path = sampleById(dataset, f.id)?.path ?? f.id;
    say('error', `${path}: ${f.error}. The file was skipped; check that it is a PNG or JPEG image.`);
  }
  if (failed.length > 5) say('error', `${failed.length - 5} more images could not be decoded and were skipped.`);
}

export function cancelRun() {
  if (!running.cancel()) return;
  const run = get().run;
  if (run.status === 'running') set({ run: { ...run, status: 'cancelled', finishedAt: performance.now() } });
}

/** A fresh run state that keeps the run counter going (new data or a new model: nothing shown). */
export function clearResults(): Partial<AppState> {
  return { results: {}, resultRunIds: {}, resultsVersion: get().resultsVersion + 1, run: { id: get().run.id, status: 'idle', done: 0, total: 0, failed: 0, startedAt: 0 } };
}

/** Changing what is explained (layer, target, score) recomputes. */
export async function setExplain(patch: Partial<ExplainSettings>) {
  set({ explain: { ...get().explain, ...patch } });
  await startRun();
}

/** Preprocessing changes what the model sees: it recomputes, like a new layer or target. */
export async function setPreprocess(patch: Partial<AppState['preprocess']>) {
  set({ preprocess: { ...get().preprocess, ...patch } });
  await startRun();
}

export async function chooseBackend(choice: BackendChoice) {
  set({ backendChoice: choice });
  cancelRun();
  try {
    set({ backend: await engineClient().init(choice) });
    const model = get().model;
    if (model) await fitBackendToModel(model.key);
    say('info', `Backend: ${get().backend?.backend}.`);
  } catch (e) {
    say('error', `Backend ${choice} could not start: ${messageOf(e)}. Pick another backend.`);
  }
}

/** Times the loaded model on the backends again (the remembered choice is dropped). */
export async function remeasureBackend() {
  const model = get().model;
  if (!model) return;
  cancelRun();
  await fitBackendToModel(model.key, { remeasure: true });
  say('info', `Backend: ${get().backend?.backend}, ${get().backend?.batchSize} images a batch.`);
}
