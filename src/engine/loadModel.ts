// Builds a tfjs LayersModel from the files the user gave: a TF.js layers model (model.json +
// shards), a Keras 2 HDF5 model (.h5, also named .keras) or a Keras 3 .keras zip (unpacked).
import * as tf from '@tensorflow/tfjs';
import { isHdf5, type H5Array } from '../sources/models/hdf5';
import { looksLikeKeras3, readKeras3, readKerasH5, type KerasModel } from '../sources/models/kerasFiles';
import { configLayers, repairLayersTopology, type Json } from '../sources/models/kerasConfig';
import { parseLayersModelJson } from '../sources/models/modelFiles';
import { baseName } from '../common/paths';
import type { ModelFile, ModelFormat } from './types';

export type { ModelFile };

import { ModelLoadError } from '../common/errors';
export { ModelLoadError };

interface ModelJson {
  modelTopology: object;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

function parseModelJson(file: ModelFile): ModelJson | undefined {
  if (!baseName(file.name).toLowerCase().endsWith('.json')) return undefined;
  return parseLayersModelJson(file.bytes) as ModelJson | undefined;
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, float16: 2 };

function expectedBytes(specs: tf.io.WeightsManifestEntry[]): number {
  let n = 0;
  for (const s of specs) {
    const q = s.quantization;
    const per = q ? DTYPE_BYTES[q.dtype] : DTYPE_BYTES[s.dtype];
    n += s.shape.reduce((a, b) => a * b, 1) * (per ?? 4);
  }
  return n;
}


/** Loads a model from the dropped files, whatever its format (detected by content). */
export async function loadModelFiles(files: ModelFile[]): Promise<{ model: tf.LayersModel; format: ModelFormat }> {
  const asDropped = files.map((f) => ({ path: f.name, bytes: f.bytes }));
  if (looksLikeKeras3(asDropped)) return { model: await buildKeras(readKeras3(asDropped)), format: 'keras3' };
  const h5 = files.find((f) => isHdf5(f.bytes) && baseName(f.name) !== 'model.weights.h5');
  if (h5 && !files.some((f) => parseModelJson(f))) return { model: await buildKeras(readKerasH5(h5.name, h5.bytes)), format: 'keras-h5' };
  return { model: await loadLayersModel(files), format: 'tfjs-layers' };
}

/** Builds the tfjs model from a Keras config, then sets every weight from the file. */
async function buildKeras(keras: KerasModel): Promise<tf.LayersModel> {
  let model: tf.LayersModel;
  try {
    model = await tf.models.modelFromJSON({ modelTopology: keras.config } as unknown as tf.io.ModelJSON);
  } catch (e) {
    const msg = (e as Error).message;
    const unknown = /Unknown layer: (\w+)/.exec(msg)?.[1];
    const where = unknown ? configLayers(keras.config).find(([, cls]) => cls === unknown)?.[0] : undefined;
    throw new ModelLoadError(
      unknown
        ? `${baseName(keras.file)} uses the layer type ${unknown}${where ? ` (layer "${where}")` : ''}, which TF.js cannot run. Replace it with standard Keras layers and save the model again.`
        : `${baseName(keras.file)} could not be built into a model: ${msg}`,
    );
  }
  try {
    if (keras.format === 'keras3') setWeightsByLayer(model, keras);
    else setWeightsByName(model, keras);
  } catch (e) {
    model.dispose();
    throw new ModelLoadError(`${baseName(keras.file)}: ${(e as Error).message}`);
  }
  return model;
}

type Layer = tf.layers.Layer;
const childLayers = (l: Layer): Layer[] | undefined => (l as unknown as { layers?: Layer[] }).layers;

function assign(layer: Layer, arrays: H5Array[], where: string) {
  const vars = layer.weights;
  if (arrays.length !== vars.length) throw new Error(`layer "${where}" has ${vars.length} weights but the file holds ${arrays.length} for it`);
  const tensors = arrays.map((a, i) => {
    if (a.shape.join() !== vars[i].shape.join()) throw new Error(`weight ${vars[i].originalName} of layer "${where}" has shape [${vars[i].shape}] but the file's is [${a.shape}]`);
    return tf.tensor(a.values, a.shape);
  });
  layer.setWeights(tensors);
  tf.dispose(tensors);
}

/** Keras 3: `layers/<path>/vars/<i>` in the order the layer declares its weights. */
function setWeightsByLayer(model: tf.LayersModel, keras: KerasModel) {
  const visit = (layers: Layer[], prefix: string) => {
    for (const layer of layers) {
      const path = prefix ? `${prefix}/${layer.name}` : layer.name;
      const children = childLayers(layer);
      if (children) visit(children, path);
      else if (layer.weights.length) {
        const arrays = keras.weightsByLayer.get(path);
        if (!arrays) throw new Error(`the weights file has no weights for layer "${path}"`);
        assign(layer, arrays, path);
      }
    }
  };
  visit(model.layers, '');
}

/** Keras 2: by weight name ("conv2d/kernel"); a top-level layer whose names do not all match falls back to order. */
function setWeightsByName(model: tf.LayersModel, keras: KerasModel) {
  for (const layer of model.layers) {
    if (!layer.weights.length) continue;
    const byName = layer.weights.every((v) => keras.weightsByName.has(v.originalName));
    const ordered = byName ? undefined : keras.weightsByLayer.get(layer.name);
    if (!byName && !ordered) throw new Error(`the file has no weights for layer "${layer.name}"`);
    let i = 0;
    for (const leaf of leafLayers(layer)) {
      const n = leaf.weights.length;
      if (!n) continue;
      assign(leaf, ordered ? ordered.slice(i, i + n) : leaf.weights.map((v) => keras.weightsByName.get(v.originalName)!), leaf.name);
      i += n;
    }
  }
}

function leafLayers(layer: Layer): Layer[] {
  const children = childLayers(layer);
  return children ? children.flatMap(leafLayers) : [layer];
}

export async function loadLayersModel(files: ModelFile[]): Promise<tf.LayersModel> {
  const candidates = files.map((f) => [f, parseModelJson(f)] as const).filter(([, j]) => j);
  if (candidates.length === 0) {
    throw new ModelLoadError('No model found: drop a Keras .h5 or .keras file, an Edge Impulse model zip, or a TF.js model.json together with its weight files (or a zip holding them).');
  }
  const [jsonFile, json] = candidates[0] as [ModelFile, ModelJson];
  const manifest = json.weightsManifest ?? [];
  const byName = new Map(files.map((f) => [baseName(f.name), f]));
  const parts: Uint8Array[] = [];
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  for (const group of manifest) {
    let groupBytes = 0;
    for (const p of group.paths) {
      const shard = byName.get(baseName(p));
      if (!shard) {
        throw new ModelLoadError(`${baseName(jsonFile.name)} needs the weight file "${baseName(p)}", which was not dropped. Drop model.json together with all its .bin files.`);
      }
      parts.push(shard.bytes);
      groupBytes += shard.bytes.length;
    }
    const need = expectedBytes(group.weights);
    if (groupBytes < need) {
      throw new ModelLoadError(`The weight files ${group.paths.join(', ')} hold ${groupBytes} bytes but ${baseName(jsonFile.name)} needs ${need}: a file is truncated or from another model.`);
    }
    weightSpecs.push(...group.weights);
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    weightData.set(p, offset);
    offset += p.length;
  }
  try {
    return await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: repairLayersTopology(json.modelTopology as Json) as object, weightSpecs, weightData: weightData.buffer }));
  } catch (e) {
    throw new ModelLoadError(`${baseName(jsonFile.name)} could not be built into a model: ${(e as Error).message}`);
  }
}
