// The engine's public API: a plain object of async functions. The worker exposes it with
// comlink; Node tests and the command line import it directly.
import * as tf from '@tensorflow/tfjs';
import { chooseBackend, type BackendChoice, type BackendReport } from './backend';
import { CamEngine, type Explanation, type ExplainOptions, type ModelInfo } from './engine';
import { loadLayersModel, type ModelFile } from './loadModel';
import { toModelInput, type InputScaling } from './preprocess';
import { decodeImage } from '../sources/images';

export interface ImageToExplain {
  id: string;
  bytes: Uint8Array;
}

export interface RunOptions extends ExplainOptions {
  scaling?: InputScaling;
}

export type SampleOutcome = ({ id: string } & Explanation) | { id: string; error: string };

let engine: CamEngine | undefined;
let backend: BackendReport | undefined;

const api = {
  async init(choice: BackendChoice = 'auto'): Promise<BackendReport> {
    backend = await chooseBackend(choice);
    return backend;
  },

  /** Loads a model; on failure the previous model stays loaded. */
  async loadModel(files: ModelFile[], name = 'model'): Promise<ModelInfo> {
    if (!backend) await api.init();
    const model = await loadLayersModel(files);
    let next: CamEngine;
    try {
      next = new CamEngine(model, name);
    } catch (e) {
      model.dispose();
      throw e;
    }
    engine?.model.dispose();
    engine = next;
    return next.info;
  },

  /** Decodes, preprocesses and explains a batch; an image that fails gets its own error. */
  async explainImages(images: ImageToExplain[], options: RunOptions = {}): Promise<SampleOutcome[]> {
    if (!engine) throw new Error('Load a model first');
    const [h, w, c] = engine.info.inputShape;
    const spec = { width: w, height: h, channels: (c === 1 ? 1 : 3) as 1 | 3, scaling: options.scaling ?? '0..1' };
    const outcomes: SampleOutcome[] = [];
    const ready: { id: string; input: Float32Array }[] = [];
    for (const img of images) {
      try {
        ready.push({ id: img.id, input: toModelInput(await decodeImage(img.bytes), spec) });
      } catch (e) {
        outcomes.push({ id: img.id, error: (e as Error).message });
      }
    }
    if (ready.length === 0) return outcomes;
    const per = h * w * c;
    const batch = new Float32Array(ready.length * per);
    ready.forEach((r, i) => batch.set(r.input, i * per));
    const x = tf.tensor4d(batch, [ready.length, h, w, c]);
    try {
      const explained = await engine.explain(x, options);
      explained.forEach((e, i) => outcomes.push({ id: ready[i].id, ...e }));
    } finally {
      x.dispose();
    }
    return outcomes;
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
