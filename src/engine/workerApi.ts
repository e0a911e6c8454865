// The engine's public API: a plain object of async functions. The worker exposes it with
// comlink; Node tests and the command line import it directly.
import * as tf from '@tensorflow/tfjs';
import { chooseBackend, isBrowser, probeBackends, softwareGpu, startBackend } from './backend';
import { pickBatch, timeBatches } from './tune';
import { CamEngine } from './camEngine';
import { loadModelFiles } from './loadModel';
import { prepareImages } from '../image/prepare';
import { modelInputSpec } from '../image/preprocess';
import { ImageDecodeError } from '../image/decode';
import { explaining, prepare, preparing, usePreparationPorts } from './preparePool';
import { checkDevice } from './device';
import type { RgbaImage } from '../image/rgba';
import { scoreCam } from './scoreCam';
import { faithfulnessOf, inputRange } from './faithfulness';
import { DEFAULT_FAITHFULNESS, type FaithfulnessHow } from '../methods/faithfulness';
import { packedBuffer } from '../methods/registry';
import { takeFallbacksUsed } from './kernelFallback';
import { sanityChecks } from './sanity';
import type { BackendChoice, BackendName, BackendReport, BatchTiming, FaithfulnessRequest, FaithfulnessResult, ImageToExplain, ImageToPrepare, ResultWithThumbnail, SanityReport, ModelFile, ModelInfo, RunOptions, SampleResult, ScoreCamResult } from './types';

let engine: CamEngine | undefined;
let backend: BackendReport | undefined;
/** The files of the loaded model, to rebuild it on a new backend. */
let modelSource: { files: ModelFile[]; name: string } | undefined;
/** The backend the loaded model's weights live on. */
let modelBackend: string | undefined;

/**
 * A model moves to another backend by being rebuilt from its files: TF.js can move tensors
 * between backends lazily, but not reliably out of WebGPU (they came back as zeros).
 */
async function rebuildOn(name: string) {
  if (!engine || !modelSource || modelBackend === name) return;
  engine.dispose();
  engine = undefined;
  const { model, format } = await loadModelFiles(modelSource.files);
  engine = new CamEngine(model, modelSource.name, format);
  modelBackend = name;
}

/** Backends tried with the model: those within this factor of the fastest on the test convolution. */
const WORTH_MEASURING = 10;

/** Milliseconds spent in each stage of explainImages since the last stageTimes() (for benchmarks). */
let stages: Record<string, number> = {};
const timed = async <T>(stage: string, work: () => Promise<T> | T): Promise<T> => {
  const t = performance.now();
  try {
    return await work();
  } finally {
    stages[stage] = (stages[stage] ?? 0) + performance.now() - t;
  }
};

function requireEngine(): CamEngine {
  if (!engine) throw new Error('Load a model first');
  return engine;
}

const inputSpec = (e: CamEngine, options: RunOptions) => modelInputSpec(e.info.inputShape, options);

/**
 * Where batches are stacked on WASM, reused: that backend copies a new tensor's values into its own
 * memory at once, so the array is free again when tensor4d returns. A new array a batch (200 kB for
 * 64 doodles, 3.5 MB for 32 photos) was garbage that piled up in this worker between its collections
 * (~34 MB of the renderer's peak at 10,000 doodles). GPU backends upload later: they get their own.
 */
let scratch = new Float32Array(0);

/** Prepared model inputs stacked into one batch tensor (the caller disposes it). */
function batchOf(e: CamEngine, inputs: Float32Array[]): tf.Tensor4D {
  const [h, w, c] = e.info.inputShape;
  const per = h * w * c;
  const size = inputs.length * per;
  const reuse = tf.getBackend() === 'wasm';
  if (reuse && scratch.length < size) scratch = new Float32Array(size);
  const batch = reuse ? scratch.subarray(0, size) : new Float32Array(size);
  inputs.forEach((input, i) => batch.set(input, i * per));
  return tf.tensor4d(batch, [inputs.length, h, w, c]);
}

const api = {
  /** The page's preparation workers to take this engine's inputs from (engine/preparationWorkers.ts). */
  async usePreparationPorts(ports: MessagePort[]): Promise<void> {
    usePreparationPorts(ports);
  },

  /** A sign of life, for the page's watchdog (engine/workerClient.ts); fails once the GPU device is lost. */
  async ping(): Promise<true> {
    checkDevice();
    return true;
  },

  /** Starts the chosen backend (only that one); a loaded model is rebuilt on it. */
  async init(choice: BackendChoice = 'auto'): Promise<BackendReport> {
    backend = await chooseBackend(choice);
    await rebuildOn(backend.backend);
    return backend;
  },

  /**
   * Times the loaded model's Grad-CAM step at growing batch sizes on the chosen backend, or
   * ('auto') on every backend that starts and is not far slower on a test convolution; keeps
   * the fastest backend with its batch size.
   */
  async tune(choice: BackendChoice = 'auto'): Promise<BackendReport> {
    requireEngine();
    const report: BackendReport = { backend: backend?.backend ?? 'wasm', probe: {}, unavailable: {}, skipped: {}, measured: {} };
    const skipped = report.skipped!;
    let candidates: BackendName[] = [choice === 'auto' ? report.backend : choice];
    // Node (the command line) has WebGPU only through Dawn (cli/webgpu.ts), and never WebGL
    const gpus = isBrowser ? (['webgl', 'webgpu'] as const) : (['webgpu'] as const).filter((name) => tf.findBackendFactory(name));
    if (choice === 'auto' && gpus.length) {
      // GPU backends emulated on the CPU are left out unstarted; the rest get the test convolution.
      const worth: BackendName[] = ['wasm'];
      for (const gpu of gpus) {
        const software = await softwareGpu(gpu);
        if (software) skipped[gpu] = `emulated on the CPU (${software})`;
        else worth.push(gpu);
      }
      // WASM first: a model built there moves to a GPU backend by a rebuild, never out of WebGPU
      Object.assign(report, await probeBackends(worth));
      const probed = Object.entries(report.probe) as [BackendName, number][];
      const fastest = Math.min(...probed.map(([, ms]) => ms));
      candidates = [];
      for (const [name, ms] of probed) {
        if (ms <= fastest * WORTH_MEASURING) candidates.push(name);
        else skipped[name] = `${Math.round(ms / fastest)}× slower on a test convolution`;
      }
    }
    let best: (BatchTiming & { backend: BackendName; cpuKernels: string[] }) | undefined;
    for (const name of candidates) {
      const started = await startBackend(name);
      if ('error' in started) {
        report.unavailable[name] = started.error;
        continue;
      }
      await rebuildOn(name);
      const timings = await timeBatches(requireEngine(), name);
      report.measured![name] = timings;
      const pick = pickBatch(timings);
      if (!best || pick.msPerImage < best.msPerImage) best = { ...pick, backend: name, cpuKernels: started.cpuKernels };
    }
    if (!best) throw new Error(`No backend could run the model (${Object.entries(report.unavailable).map(([k, v]) => `${k}: ${v}`).join('; ')})`);
    await startBackend(best.backend);
    await rebuildOn(best.backend);
    backend = { ...report, backend: best.backend, batchSize: best.batchSize, cpuKernels: best.cpuKernels };
    return backend;
  },

  /** Loads a model; on failure the previous model stays loaded. */
  async loadModel(files: ModelFile[], name = 'model'): Promise<ModelInfo> {
    if (!backend) await api.init();
    const { model, format } = await loadModelFiles(files);
    let next: CamEngine;
    try {
      next = new CamEngine(model, name, format);
    } catch (e) {
      model.dispose();
      throw e;
    }
    engine?.dispose();
    engine = next;
    modelSource = { files, name };
    modelBackend = tf.getBackend();
    return next.info;
  },

  /** Score-CAM for one image (K masked forward passes). */
  async scoreCam(image: ImageToExplain, options: RunOptions = {}): Promise<ScoreCamResult> {
    const e = requireEngine();
    // prepared as the run prepares it (the same decode and resize), so the same input is explained
    const [p] = await prepareImages([image], inputSpec(e, options), options.maxImagePixels);
    if ('error' in p) throw new ImageDecodeError(p.error);
    const x = tf.tensor4d(p.input, [1, ...e.info.inputShape]);
    try {
      return await scoreCam(e, x, { ...options, targetClasses: [image.targetClass ?? -1] });
    } finally {
      x.dispose();
    }
  },

  /** Faithfulness scores of the given maps, per image (decoded once); an image that fails gets its own error. */
  async faithfulness(items: FaithfulnessRequest[], options: RunOptions = {}, how: FaithfulnessHow = DEFAULT_FAITHFULNESS): Promise<FaithfulnessResult[]> {
    const e = requireEngine();
    const spec = inputSpec(e, options);
    const range = inputRange(spec);
    const prepared = await prepare(items, spec, options.maxImagePixels);
    const out: FaithfulnessResult[] = [];
    for (const [i, p] of prepared.entries()) {
      if ('error' in p) out.push({ id: p.id, error: p.error });
      else out.push({ id: p.id, scores: await faithfulnessOf(e, p.input, items[i].saliencies, items[i].targetClass, range, how, p.id) });
      await new Promise((r) => setTimeout(r, 0)); // let a cancel in between images
    }
    return out;
  },

  /** Sanity checks on a few images: maps against those of a model with re-initialised top layers, and of another class (engine/sanity.ts). */
  async sanityChecks(images: ImageToExplain[], options: RunOptions = {}, stages = 3): Promise<SanityReport> {
    const e = requireEngine();
    if (!modelSource) throw new Error('Load a model first');
    const ready = (await prepare(images, inputSpec(e, options), options.maxImagePixels)).flatMap((p) => ('error' in p ? [] : [p.input]));
    if (ready.length === 0) throw new Error('none of the images could be read');
    const x = batchOf(e, ready);
    const { model: copy } = await loadModelFiles(modelSource.files);
    try {
      return await sanityChecks(e, copy, x, options, stages);
    } finally {
      x.dispose();
      copy.dispose();
    }
  },

  /** Gradient kernels that ran on the CPU fallback since the last call. */
  async fallbacksUsed(): Promise<string[]> {
    return takeFallbacksUsed();
  },

  /** Decodes, preprocesses and explains a batch; an image that fails gets its own error. */
  async explainImages(images: ImageToPrepare[], options: RunOptions = {}): Promise<ResultWithThumbnail[]> {
    const engine = requireEngine();
    const spec = inputSpec(engine, options);
    const outcomes: ResultWithThumbnail[] = [];
    const ready: { id: string; input: Float32Array; targetClass: number; thumbnail?: RgbaImage }[] = [];
    // Decoding, preprocessing and thumbnails happen in the preparation workers; with two batches
    // in flight (explainAll), the next batch is prepared while this one is explained.
    const prepared = await timed('prepare', () => preparing(() => prepare(images, spec, options.maxImagePixels)));
    for (const [i, p] of prepared.entries()) {
      if ('error' in p) outcomes.push({ id: p.id, error: p.error });
      else ready.push({ id: p.id, input: p.input, targetClass: images[i].targetClass ?? -1, thumbnail: p.thumbnail });
    }
    if (ready.length === 0) return outcomes;
    checkDevice();
    const x = batchOf(engine, ready.map((r) => r.input));
    try {
      const explained = await timed('grad-cam', () => explaining(() => engine.explain(x, { ...options, targetClasses: ready.map((r) => r.targetClass) })));
      checkDevice(); // computed on a device being lost: dropped, never shown
      // a thumbnail made with the input goes back with the result, to the page's gallery
      explained.forEach((e, i) => outcomes.push(ready[i].thumbnail ? { id: ready[i].id, ...e, thumbnail: ready[i].thumbnail } : { id: ready[i].id, ...e }));
    } finally {
      x.dispose();
    }
    return outcomes;
  },

  /** Time spent per stage of explainImages since the last call, in ms (waiting for prepared inputs, grad-cam). */
  async stageTimes(): Promise<Record<string, number>> {
    const out = stages;
    stages = {};
    return out;
  },

  async numTensors(): Promise<number> {
    return tf.memory().numTensors;
  },

  async backendName(): Promise<string> {
    return tf.getBackend();
  },
};

export default api;

/** The buffers of results' maps (one each, packMaps) and thumbnails: a worker moves them to the caller rather than copying, and keeps no garbage behind. */
export const resultBuffers = (results: ResultWithThumbnail[]): ArrayBuffer[] =>
  results.flatMap((r) => {
    const buffer = 'maps' in r ? packedBuffer(r.maps) : undefined;
    return [...(buffer ? [buffer] : []), ...(r.thumbnail ? [r.thumbnail.data.buffer as ArrayBuffer] : [])];
  });
export type EngineApi = typeof api;
