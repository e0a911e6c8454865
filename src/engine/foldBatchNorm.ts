// The forward pass to the target layer with each BatchNormalization folded into the convolution
// before it (and a ReLU after that into the same op): one fused convolution with scaled filters
// and a bias instead of three passes over the activations. TF.js's WASM BatchNorm kernel was over
// half of a VWW image's Grad-CAM step (1.5 of 2.8 ms in a per-kernel profile, 28 BatchNorm ops).
// Only where nothing else reads what lies between them, and never through the target layer: its
// activations are the ones explained. Used outside gradients only (the tail runs the layers as
// they are), so the fused ops need no gradient.
import * as tf from '@tensorflow/tfjs';
import type { LayerCall, Ref } from './graph';
import { runCalls } from './graph';
import type { WeightCache } from './weightCache';

type Activation = 'linear' | 'relu' | 'relu6';

/** A convolution, the BatchNormalization after it and an optional ReLU, as one op. */
interface FoldedCall {
  conv: LayerCall;
  norm: LayerCall;
  relu?: LayerCall;
  activation: Activation;
  output: Ref;
  depthwise: boolean;
  conv2d: { strides: [number, number]; pad: 'same' | 'valid'; dilations: [number, number] };
}

export type ForwardStep = LayerCall | FoldedCall;
const isFolded = (s: ForwardStep): s is FoldedCall => 'norm' in s;

interface ConvConfig {
  strides?: number | number[];
  padding?: string;
  dataFormat?: string;
  dilationRate?: number | number[];
  activation?: string;
  useBias?: boolean;
}
interface NormConfig { axis?: number | number[]; epsilon?: number; center?: boolean; scale?: boolean }

const pair = (v: number | number[] | undefined): [number, number] => (Array.isArray(v) ? [v[0], v[1] ?? v[0]] : [v ?? 1, v ?? 1]);

/** A convolution whose output can take a BatchNormalization's scale and shift (channels last, no activation of its own). */
function foldableConv(call: LayerCall): boolean {
  const cls = call.layer.getClassName();
  if ((cls !== 'Conv2D' && cls !== 'DepthwiseConv2D') || call.inputs.length !== 1) return false;
  const c = call.layer.getConfig() as ConvConfig;
  return (c.dataFormat ?? 'channelsLast') === 'channelsLast' && (c.activation ?? 'linear') === 'linear' && (c.padding === 'same' || c.padding === 'valid');
}

/** A BatchNormalization over the channels (the last axis of a 4-D tensor). */
function channelNorm(call: LayerCall): boolean {
  if (call.layer.getClassName() !== 'BatchNormalization') return false;
  const axis = (call.layer.getConfig() as NormConfig).axis;
  const a = Array.isArray(axis) ? (axis.length === 1 ? axis[0] : NaN) : (axis ?? -1);
  return a === -1 || a === 3;
}

/** The activation a ReLU layer applies, where a fused op has it. */
function reluOf(call: LayerCall): Activation | undefined {
  const cls = call.layer.getClassName();
  const c = call.layer.getConfig() as { activation?: string; maxValue?: number | null; negativeSlope?: number; threshold?: number };
  if (cls === 'Activation') return c.activation === 'relu' || c.activation === 'relu6' ? c.activation : undefined;
  if (cls !== 'ReLU' || (c.negativeSlope ?? 0) !== 0 || (c.threshold ?? 0) !== 0) return undefined;
  return c.maxValue == null ? 'relu' : c.maxValue === 6 ? 'relu6' : undefined;
}

/**
 * The steps that run `calls` (a forward pass, in order): folded where a convolution's output is
 * read only by a BatchNormalization, and that one's only by a ReLU. `readers` counts, for the
 * whole graph, the calls reading each ref; `kept` are refs that must stay as the layers give them
 * (the target layer, the model's output).
 */
export function forwardSteps(calls: LayerCall[], readers: Map<Ref, number>, kept: Set<Ref>): ForwardStep[] {
  const steps: ForwardStep[] = [];
  const soleReader = (ref: Ref, call: LayerCall | undefined) => !!call && !kept.has(ref) && readers.get(ref) === 1 && call.inputs.length === 1 && call.inputs[0] === ref;
  for (let i = 0; i < calls.length; i++) {
    const conv = calls[i], norm = calls[i + 1], relu = calls[i + 2];
    if (!foldableConv(conv) || !soleReader(conv.outputs[0], norm) || !channelNorm(norm)) {
      steps.push(conv);
      continue;
    }
    const c = conv.layer.getConfig() as ConvConfig;
    const op = { depthwise: conv.layer.getClassName() === 'DepthwiseConv2D', conv2d: { strides: pair(c.strides), pad: c.padding as 'same' | 'valid', dilations: pair(c.dilationRate) } };
    const activation = relu && soleReader(norm.outputs[0], relu) ? reluOf(relu) : undefined;
    if (activation) {
      steps.push({ conv, norm, relu, activation, output: relu.outputs[0], ...op });
      i += 2;
    } else {
      steps.push({ conv, norm, activation: 'linear', output: norm.outputs[0], ...op });
      i += 1;
    }
  }
  return steps;
}

/** How many calls read each ref, over the whole graph. */
export function countReaders(calls: LayerCall[]): Map<Ref, number> {
  const readers = new Map<Ref, number>();
  for (const call of calls) for (const r of call.inputs) readers.set(r, (readers.get(r) ?? 0) + 1);
  return readers;
}

/** A folded step's filter and bias, kept until the weights they came from change. */
export function foldedWeights(cache: WeightCache, step: FoldedCall): { filter: tf.Tensor4D; bias: tf.Tensor1D } {
  const [filter, bias] = cache.get(step.conv, [step.conv, step.norm], () => fold(step));
  return { filter: filter as tf.Tensor4D, bias: bias as tf.Tensor1D };
}

/**
 * BatchNormalization at inference is y = (x − mean) · s + beta with s = gamma / √(variance + ε),
 * per channel; on a convolution's output x = W∗in + b that is (W·s)∗in + ((b − mean) · s + beta).
 */
function fold({ conv, norm }: FoldedCall): tf.Tensor[] {
  const cfg = norm.layer.getConfig() as NormConfig;
  // TF.js adds a BatchNormalization's weights in this order, gamma and beta only where used
  const w = norm.layer.weights.map((v) => v.read());
  let k = 0;
  const gamma = cfg.scale !== false ? w[k++] : undefined;
  const beta = cfg.center !== false ? w[k++] : undefined;
  const [mean, variance] = [w[k], w[k + 1]];
  const s = tf.mul(gamma ?? 1, tf.rsqrt(tf.add(variance, cfg.epsilon ?? 1e-3)));
  const [kernel, bias] = conv.layer.weights.map((v) => v.read()) as tf.Tensor[];
  // a depthwise kernel is [h, w, in, multiplier]: output channel c·multiplier + m
  const depthwise = conv.layer.getClassName() === 'DepthwiseConv2D';
  const filter = tf.mul(kernel, depthwise ? tf.reshape(s, [1, 1, kernel.shape[2]!, kernel.shape[3]!]) : s);
  const useBias = (conv.layer.getConfig() as ConvConfig).useBias !== false && bias;
  return [filter, tf.add(tf.mul(tf.sub(useBias ? bias : 0, mean), s), beta ?? 0)];
}

/** Runs the steps in order, as runCalls does the calls. */
export function runSteps(steps: ForwardStep[], values: Map<Ref, tf.Tensor>, weights: WeightCache) {
  for (const step of steps) {
    if (!isFolded(step)) {
      runCalls([step], values);
      continue;
    }
    const x = values.get(step.conv.inputs[0]) as tf.Tensor4D | undefined;
    if (!x) throw new Error(`Missing input for layer ${step.conv.path}`);
    const args = { x, ...foldedWeights(weights, step), ...step.conv2d, dataFormat: 'NHWC' as const, activation: step.activation };
    values.set(step.output, step.depthwise ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args));
  }
}
