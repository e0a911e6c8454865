// The Grad-CAM driver: one forward pass split at the target layer, one backward pass from
// the target score to that layer, then every CAM method on the same activations/gradients.
import * as tf from '@tensorflow/tfjs';
import { allMaps, packMaps } from '../methods/registry';
import { AUG_SMOOTH, flipHorizontal, fuseLayers, meanMap, type GridMap } from '../methods/fusion';
import { ModelLoadError } from '../common/errors';
import { defaultTargetLayer, dependentCalls, flattenModel, runCalls, spatialLayers, type FlatGraph, type LayerCall, type Ref, type TargetLayer } from './graph';
import { logitHead, type LogitHead } from './scores';
import { countReaders, forwardSteps, runSteps, type ForwardStep } from './foldBatchNorm';
import { denseWithKeptTranspose, keepTransposes } from './denseGradient';
import { WeightCache } from './weightCache';
import { wasmView } from './wasmMemory';
import { TOP_CLASSES, type Explanation, type ExplainOptions, type ModelFormat, type ModelInfo } from './types';

export class CamEngine {
  readonly graph: FlatGraph;
  readonly info: ModelInfo;
  private readonly head: LogitHead;
  private readonly candidates: TargetLayer[];
  /** The forward pass to each target layer, BatchNormalizations folded (foldBatchNorm.ts). */
  private readonly forwards = new Map<Ref, ForwardStep[]>();
  /** What the forward pass and the tail work out from the weights (folded filters, transposed kernels). */
  private readonly weights = new WeightCache();
  /** The tail's layers as runTail runs them: the head's logits, Dense layers' gradients through kept transposes. */
  private readonly tailCall: (call: LayerCall, x: tf.Tensor | tf.Tensor[]) => tf.Tensor | undefined;

  constructor(readonly model: tf.LayersModel, name = model.name, format: ModelFormat = 'tfjs-layers') {
    this.graph = flattenModel(model);
    this.head = logitHead(this.graph);
    this.candidates = spatialLayers(this.graph);
    this.tailCall = (call, x) => denseWithKeptTranspose(this.weights, call, x, call === this.head.last && this.head.finalActivation !== 'linear') ?? this.head.override(call, x);
    const inShape = model.inputs[0].shape;
    if (inShape.length !== 4) throw new ModelLoadError(`The model takes input of shape [${inShape.join(', ')}]; Grad-CAM needs an image input (height × width × channels).`);
    const def = defaultTargetLayer(this.candidates);
    if (!def) throw new ModelLoadError('The model has no layer with a spatial output (no convolution): Grad-CAM needs one.');
    const outputCount = (model.outputs[0].shape.at(-1) as number) ?? 1;
    this.info = {
      name,
      format,
      inputShape: inShape.slice(1) as [number, number, number],
      outputCount,
      outputKind: outputCount === 1 && this.head.finalActivation === 'linear' ? 'regression' : 'classification',
      finalActivation: this.head.finalActivation,
      targetLayers: this.candidates.map(({ path, className, shape }) => ({ path, className, shape })),
      defaultTargetLayer: def.path,
      paramCount: model.countParams(),
    };
    keepTransposes(this.weights, this.graph.calls); // last: a model refused above leaves nothing kept
  }

  private target(path?: string): TargetLayer {
    const found = this.candidates.find((c) => c.path === (path ?? this.info.defaultTargetLayer));
    if (!found) throw new Error(`Layer "${path}" is not a spatial layer of this model`);
    return found;
  }

  /** Runs the graph up to the target; returns A and the side tensors the rest needs. */
  private forwardTo(x: tf.Tensor, target: Ref, tail: ReturnType<typeof dependentCalls>): Map<Ref, tf.Tensor> {
    let steps = this.forwards.get(target);
    if (!steps) {
      const tailSet = new Set(tail);
      steps = forwardSteps(this.graph.calls.filter((c) => !tailSet.has(c)), countReaders(this.graph.calls), new Set([target, this.graph.output]));
      this.forwards.set(target, steps);
    }
    const values = new Map<Ref, tf.Tensor>([[this.graph.input, x]]);
    runSteps(steps, values, this.weights);
    if (!values.has(target)) throw new Error('Internal error: the target layer was not reached');
    return values;
  }

  private runTail(tail: ReturnType<typeof dependentCalls>, known: Map<Ref, tf.Tensor>, target: Ref, a: tf.Tensor): tf.Tensor {
    const values = new Map(known);
    values.set(target, a);
    runCalls(tail, values, this.tailCall);
    return values.get(this.graph.output)!;
  }

  /**
   * Activations A at the target layer, ∂score/∂A, the model's outputs and the target index
   * per sample. The caller disposes the returned tensors.
   */
  capture(x: tf.Tensor4D, options: ExplainOptions = {}): { activations: tf.Tensor4D; gradients: tf.Tensor4D; outputs: tf.Tensor2D; predicted: tf.Tensor1D; targets: tf.Tensor1D } {
    const target = this.target(options.targetLayer);
    const tail = dependentCalls(this.graph, target.ref);
    const regression = this.info.outputKind === 'regression';
    return tf.tidy(() => {
      const known = this.forwardTo(x, target.ref, tail);
      const a = known.get(target.ref)!;
      const logits = this.runTail(tail, known, target.ref, a);
      const outputs = this.head.activate(logits) as tf.Tensor2D;
      const predicted = (regression ? tf.zeros([x.shape[0]], 'int32') : outputs.argMax(-1)) as tf.Tensor1D;
      const given = options.targetClasses && !regression ? tf.tensor1d(options.targetClasses.slice(0, x.shape[0]), 'int32') : undefined;
      const targets = given ? (tf.where(tf.greaterEqual(given, 0), given, predicted) as tf.Tensor1D) : predicted;
      const mask = regression ? tf.fill([x.shape[0], 1], options.negate ? -1 : 1) : tf.oneHot(targets, logits.shape[1] ?? 1);
      const useProb = options.score === 'probability';
      const gradients = tf.grad((aa: tf.Tensor) => {
        const y = this.runTail(tail, known, target.ref, aa);
        return tf.sum(tf.mul(useProb ? this.head.activate(y) : y, mask));
      })(a) as tf.Tensor4D;
      return { activations: a as tf.Tensor4D, gradients, outputs, predicted, targets };
    });
  }

  /** The scores (logits, or probabilities) the tail gives for activations `a` at the target layer. */
  scoresFor(x: tf.Tensor4D, a: tf.Tensor4D, options: ExplainOptions = {}): tf.Tensor2D {
    const target = this.target(options.targetLayer);
    const tail = dependentCalls(this.graph, target.ref);
    return tf.tidy(() => {
      const y = this.runTail(tail, this.forwardTo(x, target.ref, tail), target.ref, a);
      return (options.score === 'probability' ? this.head.activate(y) : y) as tf.Tensor2D;
    });
  }

  /**
   * Explains a batch of preprocessed inputs (N × H × W × C): at the target layer, or at several
   * layers fused (options.layers), each map the mean over augmented copies (options.smooth). The
   * predictions, and the class every pass explains, are those of the plain input.
   */
  async explain(x: tf.Tensor4D, options: ExplainOptions = {}): Promise<Explanation[]> {
    const layers = options.layers?.length ? options.layers : [options.targetLayer ?? this.info.defaultTargetLayer];
    const variants = options.smooth === 'aug' ? AUG_SMOOTH : AUG_SMOOTH.slice(0, 1);
    const plain = await this.explainAt(x, { ...options, targetLayer: layers[0] });
    if (layers.length === 1 && variants.length === 1) return plain;
    const targetClasses = plain.map((r) => r.targetIndex);
    // per layer, per sample: each map key's mean over the variants, on that layer's grid
    const atLayers: Record<string, GridMap>[][] = [];
    for (const [l, layer] of layers.entries()) {
      const runs: { flip: boolean; explained: Explanation[] }[] = [];
      for (const [v, { flip, brightness }] of variants.entries()) {
        if (l === 0 && v === 0) {
          runs.push({ flip, explained: plain });
          continue;
        }
        const xv = tf.tidy(() => tf.mul(flip ? tf.reverse(x, 2) : x, brightness) as tf.Tensor4D);
        try {
          runs.push({ flip, explained: await this.explainAt(xv, { ...options, targetLayer: layer, targetClasses }) });
        } finally {
          xv.dispose();
        }
      }
      atLayers.push(
        plain.map((_, i) => {
          const { gridWidth: width, gridHeight: height, maps } = runs[0].explained[i];
          return Object.fromEntries(
            Object.keys(maps).map((key) => [key, { width, height, map: meanMap(runs.map((r) => (r.flip ? flipHorizontal(r.explained[i].maps[key], width, height) : r.explained[i].maps[key]))) }]),
          );
        }),
      );
    }
    return plain.map((p, i) => {
      const maps: Record<string, Float32Array> = {};
      let grid = { width: p.gridWidth, height: p.gridHeight };
      for (const key of Object.keys(p.maps)) {
        const fused = fuseLayers(atLayers.map((perSample) => perSample[i][key]), options.fusion ?? 'max');
        maps[key] = fused.map;
        grid = fused;
      }
      return { ...p, gridWidth: grid.width, gridHeight: grid.height, maps: packMaps(maps) };
    });
  }

  /** Explains a batch at one layer (options.targetLayer), the maps straight from A and ∂score/∂A. */
  private async explainAt(x: tf.Tensor4D, options: ExplainOptions): Promise<Explanation[]> {
    const captured = this.capture(x, options);
    try {
      const { activations, gradients, outputs, predicted, targets } = captured;
      const [pData, tData] = await Promise.all([predicted.data(), targets.data()]);
      // the floats last: on WASM they are read where they lie (wasmMemory.ts), and from here to the
      // return there is no await (another batch's allocation could move that memory meanwhile)
      const floats = [activations, gradients, outputs];
      const views = floats.map(wasmView);
      const [aData, gData, oData] = views.every((v) => v) ? (views as Float32Array[]) : ((await Promise.all(floats.map((t) => t.data()))) as Float32Array[]);
      const [n, h, w, k] = activations.shape;
      const outCount = outputs.shape[1];
      const regression = this.info.outputKind === 'regression';
      const cell = h * w * k;
      const results: Explanation[] = [];
      for (let i = 0; i < n; i++) {
        const o = (oData as Float32Array).subarray(i * outCount, (i + 1) * outCount);
        const pi = pData[i];
        results.push({
          ...(regression ? { kind: 'regression' as const, value: o[0] } : { kind: 'classification' as const, confidence: o[pi] }),
          predictedIndex: pi,
          top: regression ? [] : topClasses(o, TOP_CLASSES),
          targetIndex: tData[i],
          gridHeight: h,
          gridWidth: w,
          maps: allMaps({
            eigenSmooth: options.smooth === 'eigen',
            activations: (aData as Float32Array).subarray(i * cell, (i + 1) * cell),
            gradients: (gData as Float32Array).subarray(i * cell, (i + 1) * cell),
            height: h,
            width: w,
            channels: k,
          }),
        });
      }
      return results;
    } finally {
      tf.dispose(Object.values(captured));
    }
  }

  /** Frees what was worked out from the model's weights, and the model unless `keepModel`. */
  dispose({ keepModel = false } = {}) {
    this.weights.dispose();
    if (!keepModel) this.model.dispose();
  }

  /** Predictions only (no gradients), for fast accuracy checks. */
  async predict(x: tf.Tensor4D): Promise<Float32Array> {
    const y = tf.tidy(() => this.model.predict(x) as tf.Tensor);
    try {
      return (await y.data()) as Float32Array;
    } finally {
      y.dispose();
    }
  }
}

/** The `k` highest outputs, best first (ties: the lower index first). */
export function topClasses(outputs: ArrayLike<number>, k: number): { index: number; score: number }[] {
  const top: { index: number; score: number }[] = [];
  for (let i = 0; i < outputs.length; i++) {
    const score = outputs[i];
    if (top.length === k && !(score > top[k - 1].score)) continue;
    let at = top.length;
    while (at > 0 && score > top[at - 1].score) at--;
    top.splice(at, 0, { index: i, score });
    if (top.length > k) top.pop();
  }
  return top;
}
