// Sanity checks for saliency methods (Adebayo et al. 2018, "Sanity Checks for Saliency Maps"):
// a method whose maps do not change when the model's weights are replaced by random ones, or when
// another class is explained, is not showing what the model uses. Both are measured on a few
// images as the Spearman rank correlation of each method's maps with the trained model's maps.
import * as tf from '@tensorflow/tfjs';
import { CamEngine } from './camEngine';
import { spearman } from '../methods/rank';
import { seeded } from '../common/random';
import type { ExplainOptions, Explanation, SanityReport } from './types';

export type { SanityReport };


/** Layers with a kernel (dense, convolutions), in model order. */
export function weightedLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => l.getWeights().some((w) => w.rank >= 2));
}

/** Kernels drawn Glorot-normal (what Keras layers start from), biases zero. */
function reinitialise(layer: tf.layers.Layer, seed: number) {
  const fresh = layer.getWeights().map((w, i) => {
    if (w.rank < 2) return tf.zerosLike(w);
    const fanOut = w.shape[w.rank - 1];
    const fanIn = w.size / fanOut;
    return tf.randomNormal(w.shape, 0, Math.sqrt(2 / (fanIn + fanOut)), 'float32', seed + i);
  });
  layer.setWeights(fresh);
  tf.dispose(fresh);
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((p, q) => p + q, 0) / xs.length : 0);
const abs = (m: Float32Array) => m.map(Math.abs);

function correlations(a: Explanation[], b: Explanation[], transform = (m: Float32Array) => m): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(a[0]?.maps ?? {})) out[key] = mean(a.map((e, i) => spearman(transform(e.maps[key]), transform(b[i].maps[key]))));
  return out;
}

/**
 * Both checks on the images `x`: `trained` explains with the loaded model; `copy` is a second
 * copy of it (the caller's to dispose), whose top `stages` weighted layers are re-initialised one
 * after the other. Classes: for each image a random class other than the predicted one (seeded).
 */
export async function sanityChecks(trained: CamEngine, copy: tf.LayersModel, x: tf.Tensor4D, options: ExplainOptions = {}, stages = 3, seed = 20181022): Promise<SanityReport> {
  const base = await trained.explain(x, { ...options, targetClasses: undefined });
  const predicted = base.map((e) => e.predictedIndex);
  const outputs = trained.info.outputCount;
  const random = seeded(seed);
  const others = predicted.map((p) => (outputs < 2 ? p : (p + 1 + Math.floor(random() * (outputs - 1))) % outputs));
  const classes = outputs < 2 ? {} : correlations(base, await trained.explain(x, { ...options, targetClasses: others }));

  const top = weightedLayers(copy).reverse().slice(0, stages);
  const engine = new CamEngine(copy);
  const model: Record<string, number[]> = {};
  const modelAbs: Record<string, number[]> = {};
  try {
    for (const [k, layer] of top.entries()) {
      reinitialise(layer, seed + 100 * k);
      const randomised = await engine.explain(x, { ...options, targetClasses: predicted });
      for (const [key, rho] of Object.entries(correlations(base, randomised))) (model[key] ??= []).push(rho);
      for (const [key, rho] of Object.entries(correlations(base, randomised, abs))) (modelAbs[key] ??= []).push(rho);
    }
  } finally {
    engine.dispose({ keepModel: true }); // the copy is the caller's
  }
  const layers = options.layers && options.layers.length > 0 ? options.layers : [options.targetLayer ?? trained.info.defaultTargetLayer];
  const maps = { layers, ...(layers.length > 1 ? { fusion: options.fusion ?? 'max' } : {}), ...(options.smooth ? { smooth: options.smooth } : {}) };
  return { images: base.length, layers: top.map((l) => l.name), model, modelAbs, classes, maps };
}
