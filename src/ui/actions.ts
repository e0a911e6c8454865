// What the user's clicks and drops do: load sources, run the engine, export. Side effects
// live here; the numbers live in engine/, render/ and state/.
import { engineClient } from '../engine/client';
import { explainAll, type RunProgress } from '../engine/runAll';
import type { BackendChoice } from '../engine/backendNames';
import { buildDataset, defaultSplit, samplesOfSplit, type Sample } from '../sources/datasets/dataset';
import { expandDrop, type DroppedFile } from '../sources/datasets/files';
import { readModelDrop } from '../sources/models/modelFiles';
import { addResults, say, useStore } from '../state/store';
import { classNamesFromLabels, parseClassNames, unknownLabels } from '../state/classNames';
import { clearImageCache } from './imageCache';
import { visibleSampleIds } from './visibleTiles';
import { cancelScoreCam } from './onDemand';
import type { Split } from '../sources/datasets/labels';
import type { RunOptions, SampleOutcome } from '../engine/api';
import type { ExplainSettings, RunState } from '../state/store';
import type { InputGeometry } from '../render/overlay';

const get = useStore.getState;
const set = useStore.setState;
let abort: AbortController | undefined;
let backendChoice: BackendChoice = 'auto';

/** A fresh run state that keeps the run counter going. */
const idleRun = (): RunState => ({ id: get().run.id, status: 'idle', done: 0, total: 0, failed: 0, startedAt: 0 });

export const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function ensureBackend() {
  if (get().backend) return;
  set({ run: { ...get().run, status: 'loading', step: 'Choosing the fastest backend…' } });
  set({ backend: await engineClient().init(backendChoice) });
}

export async function chooseBackend(choice: BackendChoice) {
  backendChoice = choice;
  cancelRun();
  try {
    set({ backend: await engineClient().init(choice) });
    say('info', `Backend: ${get().backend?.backend}.`);
  } catch (e) {
    say('error', `Backend ${choice} could not start: ${messageOf(e)}. Pick another backend.`);
  }
}

function refreshClassNames() {
  const { model, dataset, classNamesSource } = get();
  if (classNamesSource === 'edited') return;
  if (model?.classNamesFromModel) set({ classNames: model.classNamesFromModel, classNamesSource: 'model' });
  else if (dataset && model?.info.outputKind !== 'regression') set({ classNames: classNamesFromLabels(dataset.samples), classNamesSource: 'data set' });
  checkLabels();
}

function checkLabels() {
  const { model, dataset, classNames } = get();
  if (!model || !dataset) return;
  if (model.info.outputKind === 'classification') {
    for (const u of unknownLabels(samplesOfSplit(dataset, get().split), classNames).slice(0, 5)) {
      say('warning', `Label "${u.label}" (${u.count} image${u.count > 1 ? 's' : ''}, e.g. ${u.example}) is not one of the model's ${classNames.length} classes, so those images count as incorrect. Edit the class names if the model calls it something else.`);
    }
    if (classNames.length !== model.info.outputCount) {
      say('warning', `The model has ${model.info.outputCount} outputs but ${classNames.length} class names are known (from the ${get().classNamesSource}). Edit the class names so line N names output N.`);
    }
  }
}

export function editClassNames(text: string) {
  set({ classNames: parseClassNames(text), classNamesSource: 'edited' });
}

export async function loadDataset(name: string, dropped: DroppedFile[]) {
  try {
    const dataset = buildDataset(name, await expandDrop(dropped));
    cancelRun();
    clearImageCache();
    set({ dataset, split: defaultSplit(dataset), results: {}, selected: undefined, run: idleRun() });
    if (dataset.skipped.length) {
      const eg = dataset.skipped.slice(0, 3).map((s) => s.path).join(', ');
      say('warning', `${dataset.skipped.length} file${dataset.skipped.length > 1 ? 's' : ''} in ${name} ${dataset.skipped.length > 1 ? 'are' : 'is'} not an image and ${dataset.skipped.length > 1 ? 'were' : 'was'} skipped (${eg}).`);
    }
    refreshClassNames();
    await maybeRun();
  } catch (e) {
    say('error', `Could not use ${name}: ${messageOf(e)}`);
  }
}

export async function loadModel(name: string, dropped: DroppedFile[], autoRun = true, classNamesFromProject?: string[]) {
  const previous = get().run;
  try {
    await ensureBackend();
    set({ run: { ...get().run, status: 'loading', step: `Loading model ${name}…` } });
    const { files, classNames } = await readModelDrop(dropped);
    const info = await engineClient().loadModel(files.map((f) => ({ name: f.path, bytes: f.bytes })), name);
    cancelRun();
    set({ model: { name, info, classNamesFromModel: classNamesFromProject ?? classNames }, classNamesSource: 'none', results: {}, run: idleRun() });
    refreshClassNames();
    if (autoRun) await maybeRun();
  } catch (e) {
    set({ run: { ...previous, step: undefined } });
    say('error', `Could not load the model ${name}: ${messageOf(e)}${get().model ? ` The previous model (${get().model?.name}) stays loaded.` : ''}`);
  }
}

async function maybeRun() {
  if (get().dataset && get().model) await startRun();
}

export function setSplit(split: Split | 'all') {
  set({ split });
}

/** The class each sample's map explains, per the target setting; undefined = the predicted one. */
function targetClassOf(sample: Sample): number | undefined {
  const { explain, classNames, model } = get();
  if (model?.info.outputKind === 'regression') return undefined;
  if (explain.target === 'class') return explain.targetClass;
  if (explain.target === 'true' && sample.label !== undefined) {
    const i = classNames.indexOf(sample.label);
    return i >= 0 ? i : undefined;
  }
  return undefined;
}

/** What the engine needs besides the images: layer, score, preprocessing. */
export function runOptions(): RunOptions {
  const { explain, model, preprocess } = get();
  return { ...preprocess, targetLayer: explain.targetLayer ?? model?.info.defaultTargetLayer, score: explain.score, negate: explain.negate };
}

/** Where each image sits in the model input, to lay its map back over it. */
export function inputGeometry(): InputGeometry | undefined {
  const { model, preprocess } = get();
  if (!model) return undefined;
  return { width: model.info.inputShape[1], height: model.info.inputShape[0], resizeMode: preprocess.resizeMode, resizeMethod: preprocess.resizeMethod };
}

/** Changing what is explained (layer, target, score) recomputes. */
export async function setExplain(patch: Partial<ExplainSettings>) {
  set({ explain: { ...get().explain, ...patch } });
  await startRun();
}

export async function startRun() {
  const { dataset, model, split } = get();
  if (!dataset || !model) return;
  cancelRun();
  cancelScoreCam();
  const controller = new AbortController();
  abort = controller;
  // A re-run (another layer, target, score or preprocessing) replaces results in place, the
  // tiles on screen first, so the gallery never empties while it recomputes.
  const shown = visibleSampleIds();
  const all = samplesOfSplit(dataset, split);
  const samples = [...all.filter((s) => shown.has(s.id)), ...all.filter((s) => !shown.has(s.id))];
  const runId = get().run.id + 1;
  set({ scoreCam: {}, trueClassMaps: {}, scoreRun: { status: 'idle', done: 0, total: 0 }, run: { id: runId, status: 'running', done: 0, total: samples.length, failed: 0, startedAt: performance.now() } });
  try {
    await ensureBackend();
    const images = samples.map((s) => ({ id: s.id, bytes: s.bytes, targetClass: targetClassOf(s) }));
    // Results reach the store at most every 150 ms, so the page stays quick while a run streams in.
    let pending: SampleOutcome[] = [];
    let latest: RunProgress | undefined;
    let flushedAt = 0;
    const flush = () => {
      if (controller.signal.aborted || (!pending.length && !latest)) return;
      addResults(pending, runId);
      if (latest) set({ run: { ...get().run, ...latest } });
      pending = [];
      latest = undefined;
      flushedAt = performance.now();
    };
    const final = await explainAll(engineClient(), images, runOptions(), {
      signal: controller.signal,
      onBatch: (outcomes, progress) => {
        if (controller.signal.aborted) return;
        pending.push(...outcomes);
        latest = progress;
        if (performance.now() - flushedAt > 150) flush();
      },
    });
    flush();
    if (abort !== controller) return;
    set({ run: { ...get().run, ...final, status: controller.signal.aborted ? 'cancelled' : 'done', finishedAt: performance.now() }, cpuFallbacks: await engineClient().fallbacksUsed() });
    reportFailures(samples.map((s) => s.id));
  } catch (e) {
    if (abort !== controller) return;
    set({ run: { ...get().run, status: 'failed', finishedAt: performance.now() } });
    say('error', `The run stopped: ${messageOf(e)}. The ${get().run.done} images already explained are kept; press Run to try again.`);
  }
}

function reportFailures(ids: string[]) {
  const { results, dataset } = get();
  const failed = ids.map((id) => results[id]).filter((r): r is { id: string; error: string } => !!r && 'error' in r);
  for (const f of failed.slice(0, 5)) {
    const path = dataset?.samples[Number(f.id)]?.path ?? f.id;
    say('error', `${path}: ${f.error}. The file was skipped; check that it is a PNG or JPEG image.`);
  }
  if (failed.length > 5) say('error', `${failed.length - 5} more images could not be decoded and were skipped.`);
}

export function cancelRun() {
  if (!abort) return;
  abort.abort();
  abort = undefined;
  const run = get().run;
  if (run.status === 'running') set({ run: { ...run, status: 'cancelled', finishedAt: performance.now() } });
}

export async function loadDemo() {
  try {
    const base = `${import.meta.env.BASE_URL}demo/`;
    const fetchBytes = async (p: string) => {
      const r = await fetch(base + p);
      if (!r.ok) throw new Error(`${p}: HTTP ${r.status}`);
      return new Uint8Array(await r.arrayBuffer());
    };
    const modelFiles = ['model.json', 'group1-shard1of1.bin', 'class_names.txt'];
    const model = await Promise.all(modelFiles.map(async (f) => ({ path: f, bytes: await fetchBytes(`model/${f}`) })));
    const data = await fetchBytes('quickdraw-test.zip');
    await loadModel('DoodleNet (demo)', model, false);
    await loadDataset('quickdraw-test.zip', [{ path: 'quickdraw-test.zip', bytes: data }]);
  } catch (e) {
    say('error', `The demo could not be loaded: ${messageOf(e)}`);
  }
}
