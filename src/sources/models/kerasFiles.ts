// Keras files → a config tfjs-layers accepts and the weights, by name (Keras 2 .h5) or by layer
// and variable index (Keras 3 .keras). Pure: no TF.js here.
import { attrStrings, isGroup, openHdf5, readArray, type H5Array, type H5Group } from './hdf5';
import { normalizeKerasConfig, translateKeras3Config, type Json } from './kerasConfig';
import { baseName } from '../../common/paths';

export interface KerasModel {
  format: 'keras-h5' | 'keras3';
  /** The file the model came from, for messages. */
  file: string;
  /** Keras 2-style model config ({class_name, config}). */
  config: Json;
  /** Keras 2: "layer/weight" (":0" removed) → values. */
  weightsByName: Map<string, H5Array>;
  /** Keras 2 and 3: layer path ("outer/inner") → its variables in order. */
  weightsByLayer: Map<string, H5Array[]>;
}

export class KerasFileError extends Error {}


/** Reading errors deep inside a damaged HDF5 file (jsfive reads lazily) become one clear message. */
function damaged<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof KerasFileError) throw e;
    // jsfive also throws strings and undefined (found by the fuzz test)
    const msg = e instanceof Error ? e.message : String(e ?? 'unreadable data');
    throw new KerasFileError(msg.includes('damaged or truncated') ? msg : `${baseName(file)} is a damaged or truncated HDF5 file (${msg}). Download it again.`);
  }
}

/** A Keras 2 HDF5 model (`model.h5`, also when named `.keras`). */
export function readKerasH5(file: string, bytes: Uint8Array): KerasModel {
  return damaged(file, () => readKerasH5Unchecked(file, bytes));
}

function readKerasH5Unchecked(file: string, bytes: Uint8Array): KerasModel {
  const h5 = openHdf5(baseName(file), bytes);
  const configText = h5.attrs.model_config;
  if (typeof configText !== 'string') {
    const weightsOnly = attrStrings(h5.attrs.layer_names).length > 0;
    throw new KerasFileError(
      weightsOnly
        ? `${baseName(file)} holds only weights (saved with save_weights), not a model: save the whole model (model.save) and drop that.`
        : `${baseName(file)} is an HDF5 file but not a Keras model (it has no model_config).`,
    );
  }
  let config: Json;
  try {
    config = normalizeKerasConfig(JSON.parse(configText));
  } catch (e) {
    throw new KerasFileError(`${baseName(file)}: its model_config is not valid JSON (${(e as Error).message}).`);
  }
  const root = h5.keys.includes('model_weights') ? (h5.get('model_weights') as H5Group) : h5;
  const weightsByName = new Map<string, H5Array>();
  const weightsByLayer = new Map<string, H5Array[]>();
  for (const layer of attrStrings(root.attrs.layer_names)) {
    const group = root.get(layer);
    if (!isGroup(group)) continue;
    const list: H5Array[] = [];
    for (const name of attrStrings(group.attrs.weight_names)) {
      const ds = group.get(name);
      if (isGroup(ds)) continue;
      const array = readArray(ds, `${layer}/${name}`);
      weightsByName.set(name.replace(/:\d+$/, ''), array);
      list.push(array);
    }
    weightsByLayer.set(layer, list);
  }
  return { format: 'keras-h5', file, config, weightsByName, weightsByLayer };
}

/** A Keras 3 `.keras` zip, already unpacked: config.json + model.weights.h5. */
export function readKeras3(files: { path: string; bytes: Uint8Array }[]): KerasModel {
  const config = files.find((f) => baseName(f.path) === 'config.json');
  const weights = files.find((f) => baseName(f.path) === 'model.weights.h5');
  if (!config) throw new KerasFileError('This Keras 3 model has no config.json.');
  if (!weights) throw new KerasFileError(`${config.path.replace(/config\.json$/, '') || 'The .keras file'} has config.json but no model.weights.h5: the .keras zip is incomplete. Save the model again (model.save("model.keras")).`);
  let json: Json;
  try {
    json = translateKeras3Config(JSON.parse(new TextDecoder().decode(config.bytes)));
  } catch (e) {
    throw new KerasFileError(`config.json of the Keras 3 model could not be read (${(e as Error).message}).`);
  }
  const weightsByLayer = new Map<string, H5Array[]>();
  damaged(weights.path, () => readKeras3Weights(openHdf5('model.weights.h5', weights.bytes), weightsByLayer));
  return { format: 'keras3', file: weights.path, config: json, weightsByName: new Map(), weightsByLayer };
}

function readKeras3Weights(h5: H5Group, weightsByLayer: Map<string, H5Array[]>) {
  const walk = (group: H5Group, prefix: string) => {
    for (const name of group.keys) {
      const layer = group.get(name);
      if (!isGroup(layer)) continue;
      const path = prefix ? `${prefix}/${name}` : name;
      if (layer.keys.includes('vars')) {
        const vars = layer.get('vars') as H5Group;
        const ordered = vars.keys.map(Number).sort((a, b) => a - b);
        weightsByLayer.set(path, ordered.map((i) => readArray(vars.get(String(i)) as never, `${path}/vars/${i}`)));
      }
      if (layer.keys.includes('layers')) walk(layer.get('layers') as H5Group, path);
    }
  };
  if (h5.keys.includes('layers')) walk(h5.get('layers') as H5Group, '');
}

/** Is this drop a Keras 3 model (config.json naming a Keras module, and its weights)? */
export function looksLikeKeras3(files: { path: string; bytes: Uint8Array }[]): boolean {
  const config = files.find((f) => baseName(f.path) === 'config.json');
  if (!config) return false;
  try {
    const json = JSON.parse(new TextDecoder().decode(config.bytes));
    return typeof json?.class_name === 'string' && (typeof json.module === 'string' || files.some((f) => baseName(f.path) === 'model.weights.h5'));
  } catch {
    return false;
  }
}
