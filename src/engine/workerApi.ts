// The engine's public API: a plain object of async functions. The worker exposes it with
// comlink; Node tests and the command line import it directly.
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from './backend';
import { CamEngine } from './camEngine';
import { loadModelFiles } from './loadModel';
import { toModelInput } from '../image/preprocess';
import { decodeImage } from '../image/decode';
import { prepare } from './preparePool';
import { scoreCam } from './scoreCam';
import { takeFallbacksUsed } from './kernelFallback';
import type { BackendChoice, BackendReport, ImageToExplain, ModelFile, ModelInfo, RunOptions, SampleResult, ScoreCamResult } from './types';

let engine: CamEngine | undefined;
let backend: BackendReport | undefined;
/** The files of the loaded model, to rebuild it on a new backend. */
let modelSource: { files: ModelFile[]; name: string } | undefined;

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

function inputSpec(e: CamEngine, options: RunOptions) {
  const [h, w, c] = e.info.inputShape;
  return { width: w, height: h, channels: (c === 1 ? 1 : 3) as 1 | 3, scaling: options.scaling ?? '0..1', resizeMode: options.resizeMode, resizeMethod: options.resizeMethod };
}

const api = {
  /**
   * Picks the backend. A loaded model is rebuilt on it from its files: TF.js can move tensors
   * between backends lazily, but not reliably out of WebGPU (they came back as zeros).
   */
  async init(choice: BackendChoice = 'auto'): Promise<BackendReport> {
    const previous = tf.getBackend();
    backend = await chooseBackend(choice);
    if (engine && modelSource && backend.backend !== previous) {
      engine.model.dispose();
      engine = undefined;
      const { model, format } = await loadModelFiles(modelSource.files);
      engine = new CamEngine(model, modelSource.name, format);
    }
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
    engine?.model.dispose();
    engine = next;
    modelSource = { files, name };
    return next.info;
  },

  /** Score-CAM for one image (K masked forward passes). */
  async scoreCam(image: ImageToExplain, options: RunOptions = {}): Promise<ScoreCamResult> {
    const e = requireEngine();
    const x = tf.tensor4d(toModelInput(await decodeImage(image.bytes, { native: true }), inputSpec(e, options)), [1, ...e.info.inputShape]);
    try {
      return await scoreCam(e, x, { ...options, targetClasses: [image.targetClass ?? -1] });
    } finally {
      x.dispose();
    }
  },

  /** Gradient kernels that ran on the CPU fallback since the last call. */
  async fallbacksUsed(): Promise<string[]> {
    return takeFallbacksUsed();
  },

  /** Decodes, preprocesses and explains a batch; an image that fails gets its own error. */
  async explainImages(images: ImageToExplain[], options: RunOptions = {}): Promise<SampleResult[]> {
    const engine = requireEngine();
    const [h, w, c] = engine.info.inputShape;
    const spec = inputSpec(engine, options);
    const outcomes: SampleResult[] = [];
    const ready: { id: string; input: Float32Array; targetClass: number }[] = [];
    // Decoding, preprocessing and thumbnails happen in the preparation workers; with two batches
    // in flight (explainAll), the next batch is prepared while this one is explained.
    const prepared = await timed('prepare', () => prepare(images, spec));
    for (const [i, p] of prepared.entries()) {
      if ('error' in p) outcomes.push({ id: p.id, error: p.error });
      else ready.push({ id: p.id, input: p.input, targetClass: images[i].targetClass ?? -1 });
    }
    if (ready.length === 0) return outcomes;
    const per = h * w * c;
    const batch = new Float32Array(ready.length * per);
    ready.forEach((r, i) => batch.set(r.input, i * per));
    const x = tf.tensor4d(batch, [ready.length, h, w, c]);
    try {
      const explained = await timed('grad-cam', () => engine.explain(x, { ...options, targetClasses: ready.map((r) => r.targetClass) }));
      explained.forEach((e, i) => outcomes.push({ id: ready[i].id, ...e }));
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
export type EngineApi = typeof api;
