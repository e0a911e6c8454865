// Keras model configs → what tfjs-layers accepts. Keras 2 (.h5 model_config) needs only small
// repairs; Keras 3 (config.json in a .keras zip) is translated into the Keras 2 form.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };
const isObj = (v: Json | undefined): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** Known initializers tfjs-layers has; others (e.g. `{"class_name": "function"}`) become defaults. */
const TFJS_INITIALIZERS = new Set(['Zeros', 'Ones', 'Constant', 'RandomNormal', 'RandomUniform', 'TruncatedNormal', 'VarianceScaling', 'GlorotUniform', 'GlorotNormal', 'HeNormal', 'HeUniform', 'LeCunNormal', 'LeCunUniform', 'Orthogonal', 'Identity']);

/**
 * Repairs for real Keras 2 files: regularizers only matter for training and tfjs lacks `L2`,
 * so they are dropped; initializers tfjs cannot build are reset (weights overwrite them anyway).
 */
export function normalizeKerasConfig(config: Json): Json {
  if (Array.isArray(config)) return config.map(normalizeKerasConfig);
  if (!isObj(config)) return config;
  const out: Obj = {};
  for (const [k, v] of Object.entries(config)) {
    if (k.endsWith('_regularizer')) out[k] = null;
    else if (k.endsWith('_initializer') && isObj(v) && !TFJS_INITIALIZERS.has(String(v.class_name))) out[k] = { class_name: k.startsWith('bias') || k.startsWith('beta') || k.includes('mean') ? 'Zeros' : 'Ones', config: {} };
    else out[k] = normalizeKerasConfig(v);
  }
  if (out.class_name === 'Functional') out.class_name = 'Model';
  if (out.class_name === 'Sequential') dropLaterInputShapes(out);
  return out;
}

/**
 * Keras lets every layer of a Sequential model carry an input shape and ignores all but the
 * first's (DoodleNet's .h5 gives each Conv2D `batch_input_shape: [null, 28, 28, 1]`). TF.js keeps
 * them, and every later layer then warns that its real input ([null, 28, 28, 16]) "does not match
 * the expectation" — on every build and every pass through the graph. Keep only the first's.
 */
export function dropLaterInputShapes(sequential: Obj) {
  const layers = isObj(sequential.config) ? sequential.config.layers : sequential.config;
  if (!Array.isArray(layers)) return;
  const first = layers.findIndex((l) => isObj(l) && l.class_name !== 'InputLayer');
  layers.forEach((l, i) => {
    if (i > first && isObj(l) && isObj(l.config) && l.class_name !== 'InputLayer') {
      delete l.config.batch_input_shape;
      delete l.config.input_shape;
    }
  });
}

/** Keras 3 `__keras_tensor__` → Keras 2 inbound-node entry [layer, nodeIndex, tensorIndex, kwargs]. */
function inboundEntry(t: Json): Json {
  if (!isObj(t) || t.class_name !== '__keras_tensor__' || !isObj(t.config)) throw new Error('unsupported Keras 3 inbound node');
  const [layer, node, tensor] = t.config.keras_history as [string, number, number];
  return [layer, node, tensor, {}];
}

function translateInboundNodes(nodes: Json): Json {
  if (!Array.isArray(nodes)) return nodes;
  return nodes.map((node) => {
    if (!isObj(node) || !Array.isArray(node.args)) return node;
    const first = node.args[0];
    const tensors = Array.isArray(first) ? first : node.args;
    return tensors.map(inboundEntry);
  });
}

/** Keras 3 → Keras 2 form: DTypePolicy → dtype name, batch_shape → batch_input_shape, nodes. */
export function translateKeras3Config(config: Json): Json {
  if (Array.isArray(config)) return config.map(translateKeras3Config);
  if (!isObj(config)) return config;
  const out: Obj = {};
  for (const [k, v] of Object.entries(config)) {
    if (k === 'module' || k === 'registered_name' || k === 'build_config' || k === 'compile_config' || k === 'shared_object_id') continue;
    if (k === 'dtype' && isObj(v)) out.dtype = isObj(v.config) ? (v.config.name as Json) : 'float32';
    else if (k === 'batch_shape') out.batch_input_shape = v;
    else if (k === 'inbound_nodes') out.inbound_nodes = translateInboundNodes(v);
    else if ((k === 'input_layers' || k === 'output_layers') && Array.isArray(v) && typeof v[0] === 'string') out[k] = [v];
    else out[k] = translateKeras3Config(v);
  }
  if (out.class_name === 'Functional') out.class_name = 'Model';
  return normalizeKerasConfig(out);
}

/** Every layer in a config (nested models included), as [path, class_name]. */
export function configLayers(config: Json, prefix = ''): [string, string][] {
  if (!isObj(config) || !isObj(config.config)) return [];
  const layers = config.config.layers;
  if (!Array.isArray(layers)) return [];
  const out: [string, string][] = [];
  for (const l of layers) {
    if (!isObj(l) || !isObj(l.config)) continue;
    const name = String(l.config.name ?? l.name);
    const path = prefix ? `${prefix}/${name}` : name;
    out.push([path, String(l.class_name)]);
    out.push(...configLayers(l, path));
  }
  return out;
}

export type { Json };

/** The same repair for a TF.js layers model's topology (converted from such a Keras model, it carries the same shapes). */
export function repairLayersTopology(topology: Json): Json {
  const copy = JSON.parse(JSON.stringify(topology ?? null)) as Json;
  const config = isObj(copy) && isObj(copy.model_config) ? copy.model_config : copy;
  if (isObj(config) && config.class_name === 'Sequential') dropLaterInputShapes(config);
  return copy;
}
