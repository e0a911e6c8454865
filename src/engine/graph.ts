// Flattens a tfjs layers model (nested Sequential / functional models included) into one
// list of layer calls, so Grad-CAM can stop at any inner layer and differentiate the rest.
import * as tf from '@tensorflow/tfjs';
import { ModelLoadError } from '../common/errors';

type Layer = tf.layers.Layer;
/** A tensor in the flattened graph, named by a unique number. */
export type Ref = number;

export interface LayerCall {
  layer: Layer;
  /** Path through nested models, e.g. "sequential_1/model4/Conv_1". */
  path: string;
  inputs: Ref[];
  outputs: Ref[];
}

export interface FlatGraph {
  calls: LayerCall[];
  input: Ref;
  output: Ref;
}

// tfjs keeps these on Container; they are not in its public typings.
interface SymbolicLike { id: number }
interface NodeLike { outboundLayer: Layer; inputTensors: SymbolicLike[]; outputTensors: SymbolicLike[] }
interface ContainerLike extends Layer {
  layers: Layer[];
  inputs: SymbolicLike[];
  outputs: SymbolicLike[];
  nodesByDepth?: Record<string, NodeLike[]>;
}

const isContainer = (layer: Layer): layer is ContainerLike => Array.isArray((layer as ContainerLike).layers);
const isInputLayer = (layer: Layer) => layer.getClassName() === 'InputLayer';

export function flattenModel(model: tf.LayersModel): FlatGraph {
  let next = 0;
  const calls: LayerCall[] = [];
  const newRef = () => next++;

  function visit(container: ContainerLike, inputs: Ref[], prefix: string): Ref[] {
    if (container.getClassName() === 'Sequential') {
      let current = inputs[0];
      for (const layer of container.layers) {
        if (isInputLayer(layer)) continue;
        current = place(layer, [current], prefix)[0];
      }
      return [current];
    }
    const refOf = new Map<number, Ref>();
    container.inputs.forEach((t, i) => refOf.set(t.id, inputs[i]));
    const byDepth = container.nodesByDepth ?? {};
    const depths = Object.keys(byDepth).map(Number).sort((a, b) => b - a);
    for (const depth of depths) {
      for (const node of byDepth[depth]) {
        if (isInputLayer(node.outboundLayer)) continue;
        const ins = node.inputTensors.map((t) => {
          const ref = refOf.get(t.id);
          if (ref === undefined) throw new ModelLoadError(`Layer ${node.outboundLayer.name} reads a tensor that no earlier layer produced`);
          return ref;
        });
        const outs = place(node.outboundLayer, ins, prefix);
        node.outputTensors.forEach((t, i) => refOf.set(t.id, outs[i]));
      }
    }
    return container.outputs.map((t) => refOf.get(t.id)!);
  }

  function place(layer: Layer, inputs: Ref[], prefix: string): Ref[] {
    const path = prefix ? `${prefix}/${layer.name}` : layer.name;
    if (isContainer(layer)) return visit(layer, inputs, path);
    const outputs = [newRef()];
    calls.push({ layer, path, inputs, outputs });
    return outputs;
  }

  const input = newRef();
  const outs = visit(model as unknown as ContainerLike, [input], '');
  if (outs.length !== 1) throw new ModelLoadError(`The model has ${outs.length} outputs; only single-output models are supported`);
  return { calls, input, output: outs[0] };
}

/** Runs the given calls in order; `values` holds known tensors and receives new ones. */
export function runCalls(calls: LayerCall[], values: Map<Ref, tf.Tensor>, override?: (call: LayerCall, x: tf.Tensor | tf.Tensor[]) => tf.Tensor | undefined) {
  for (const call of calls) {
    const ins = call.inputs.map((r) => {
      const v = values.get(r);
      if (!v) throw new Error(`Missing input for layer ${call.path}`);
      return v;
    });
    const x = ins.length === 1 ? ins[0] : ins;
    const out = override?.(call, x) ?? (call.layer.call(x, { training: false }) as tf.Tensor);
    values.set(call.outputs[0], out);
  }
}

/** Every ref that depends on `from`, and the calls that produce them, in order. */
export function dependentCalls(graph: FlatGraph, from: Ref): LayerCall[] {
  const tainted = new Set<Ref>([from]);
  const out: LayerCall[] = [];
  for (const call of graph.calls) {
    if (call.inputs.some((r) => tainted.has(r))) {
      call.outputs.forEach((r) => tainted.add(r));
      out.push(call);
    }
  }
  return out;
}

const CONV_LIKE = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'Conv2DTranspose']);

export interface TargetLayer { path: string; className: string; ref: Ref; shape: number[] }

/** Layers whose output is a spatial feature map (batch × H × W × C), in graph order. */
export function spatialLayers(graph: FlatGraph): TargetLayer[] {
  const found: TargetLayer[] = [];
  for (const call of graph.calls) {
    const shape = call.layer.outputShape as (number | null)[];
    if (!Array.isArray(shape) || Array.isArray(shape[0]) || shape.length !== 4) continue;
    if ((shape[1] ?? 0) < 1 || (shape[2] ?? 0) < 1) continue;
    found.push({ path: call.path, className: call.layer.getClassName(), ref: call.outputs[0], shape: shape.slice(1) as number[] });
  }
  return found;
}

export function defaultTargetLayer(candidates: TargetLayer[]): TargetLayer | undefined {
  const convs = candidates.filter((c) => CONV_LIKE.has(c.className));
  return convs.at(-1) ?? candidates.at(-1);
}
