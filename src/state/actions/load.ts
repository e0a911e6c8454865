// Loading what the user gives: a data set, a model, the demo; and the class names that go with them.
import { engineClient } from '../../engine/workerClient';
import { buildDataset, defaultSplit, samplesOfSplit } from '../../sources/datasets/dataset';
import { dropName, expandDrop, heldBytes, sampleFile, type DroppedFile } from '../../sources/datasets/files';
import type { Split } from '../../sources/datasets/labels';
import { readModelDrop } from '../../sources/models/modelFiles';
import { classNamesFromLabels, parseClassNames, unknownLabels } from '../../results/classNames';
import { messageOf } from '../../common/errors';
import { useStore } from '../store';
import { ensureBackend, fitBackendToModel } from './backend';
import { fingerprint, fingerprintSamples } from '../../common/fingerprint';
import { checkClasses } from '../../common/limits';
import { say } from './messages';
import { cancelRun, clearResults, startRun } from './run';
import { sortDrop, type DropTarget } from '../../sources/sortDrop';

const get = useStore.getState;
const set = useStore.setState;

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

/** Class names typed by the user (line N names output N); re-sorts without recomputing. */
export function editClassNames(text: string) {
  set({ classNames: parseClassNames(text), classNamesSource: 'edited' });
}

export function setSplit(split: Split | 'all') {
  set({ split });
}

export async function loadDataset(name: string, dropped: DroppedFile[]) {
  try {
    const dataset = buildDataset(name, await expandDrop(dropped));
    const datasetKey = fingerprintSamples(await Promise.all(dropped.map(sampleFile)));
    cancelRun();
    // filters stay (a link or a reload may carry them); an open sample stays if this data set has it
    set({ dataset, datasetKey, datasetBytes: dropped.reduce((n, f) => n + heldBytes(f), 0), split: defaultSplit(dataset), selected: dataset.byId.has(get().selected ?? '') ? get().selected : undefined, ...clearResults() });
    if (dataset.skipped.length) {
      const eg = dataset.skipped.slice(0, 3).map((s) => s.path).join(', ');
      say('warning', `${dataset.skipped.length} file${dataset.skipped.length > 1 ? 's' : ''} in ${name} ${dataset.skipped.length > 1 ? 'are' : 'is'} not an image and ${dataset.skipped.length > 1 ? 'were' : 'was'} skipped (${eg}).`);
    }
    refreshClassNames();
    await runWhenReady();
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
    const modelFiles = files.map((f) => ({ name: f.path, bytes: f.bytes }));
    const info = await engineClient().loadModel(modelFiles, name);
    checkClasses(info.outputCount);
    cancelRun();
    const key = fingerprint(modelFiles);
    await fitBackendToModel(key);
    set({ model: { name, info, key, classNamesFromModel: classNamesFromProject ?? classNames }, classNamesSource: 'none', ...clearResults() });
    refreshClassNames();
    if (autoRun) await runWhenReady();
  } catch (e) {
    set({ run: { ...previous, step: undefined } });
    say('error', `Could not load the model ${name}: ${messageOf(e)}${get().model ? ` The previous model (${get().model?.name}) stays loaded.` : ''}`);
  }
}

/**
 * Whatever was dropped or chosen, wherever: sorted by content into a model and a data set, the
 * model loaded first (so one run starts, not two). `hint` is the area it was dropped on, which
 * takes what is neither.
 */
export async function loadDrop(files: DroppedFile[], hint?: DropTarget) {
  if (files.length === 0) return;
  const { model, dataset, modelFile } = await sortDrop(files, hint);
  const loose = files.length > 1 && !files[0].path.includes('/');
  if (model.length) await loadModel(loose && modelFile ? modelFile : dropName(model), model, dataset.length === 0);
  if (dataset.length) await loadDataset(dropName(dataset), dataset);
}

async function runWhenReady() {
  if (get().dataset && get().model) await startRun();
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
