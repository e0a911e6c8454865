// BatchNormalization folded into the convolution before it (src/engine/foldBatchNorm.ts): the
// forward pass gives what the layers give, stops folding at the target layer, follows new weights.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import api from '../../src/engine/workerApi';
import { CamEngine } from '../../src/engine/camEngine';
import { loadModelFiles } from '../../src/engine/loadModel';
import { dependentCalls, runCalls, type Ref } from '../../src/engine/graph';
import { countReaders, forwardSteps } from '../../src/engine/foldBatchNorm';
import { FIXTURES } from '../helpers';

let engine: CamEngine;
let x: tf.Tensor4D;

beforeAll(async () => {
  await api.init('wasm');
  const bytes = new Uint8Array(fs.readFileSync(path.join(FIXTURES, 'keras-h5-mlperf-vww-mobilenetv1', 'vww_96.h5')));
  engine = new CamEngine((await loadModelFiles([{ name: 'vww_96.h5', bytes }])).model);
  x = tf.randomUniform([4, 96, 96, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
});
afterAll(() => {
  x?.dispose();
  engine?.dispose();
});

/** The target layer's activations as the layers themselves compute them, one call after another. */
function unfolded(target: Ref): tf.Tensor {
  const tail = new Set(dependentCalls(engine.graph, target));
  const values = new Map<Ref, tf.Tensor>([[engine.graph.input, x]]);
  runCalls(engine.graph.calls.filter((c) => !tail.has(c)), values);
  const a = values.get(target)!;
  tf.dispose([...values.values()].filter((t) => t !== a && t !== x));
  return a;
}

const refOf = (layerPath: string) => engine.graph.calls.find((c) => c.path === layerPath)!.outputs[0];

async function maxDifference(a: tf.Tensor, b: tf.Tensor): Promise<{ diff: number; scale: number }> {
  const [p, q] = [await a.data(), await b.data()];
  let diff = 0, scale = 0;
  for (let i = 0; i < p.length; i++) {
    diff = Math.max(diff, Math.abs(p[i] - q[i]));
    scale = Math.max(scale, Math.abs(q[i]));
  }
  return { diff, scale };
}

describe('BatchNormalization folded into convolutions (VWW MobileNetV1, WASM)', () => {
  it('folds all 27 convolutions with their BatchNormalization and ReLU, none through the target', () => {
    const target = refOf(engine.info.defaultTargetLayer);
    const tail = new Set(dependentCalls(engine.graph, target));
    const steps = forwardSteps(engine.graph.calls.filter((c) => !tail.has(c)), countReaders(engine.graph.calls), new Set([target, engine.graph.output]));
    const folded = steps.filter((s) => 'norm' in s);
    // the last convolution is the target: its BatchNormalization runs in the differentiated tail
    expect(folded.length).toBe(26);
    expect(folded.every((s) => 'relu' in s && s.activation === 'relu')).toBe(true);
    expect(steps.some((s) => 'layer' in s && s.outputs[0] === target)).toBe(true);
  });

  it('gives the default target layer’s activations and the model’s outputs as the layers do, without their BatchNorm kernels', async () => {
    const target = refOf(engine.info.defaultTargetLayer);
    const reference = unfolded(target);
    const profile = await tf.profile(async () => {
      const cap = engine.capture(x);
      const { diff, scale } = await maxDifference(cap.activations, reference);
      // float32 rounding of a different order of operations (measured: ~3e-6 of the scale)
      expect(diff).toBeLessThan(1e-4 * scale);
      const predicted = engine.model.predict(x) as tf.Tensor;
      const out = await maxDifference(cap.outputs, predicted);
      expect(out.diff).toBeLessThan(1e-5);
      tf.dispose([predicted, ...Object.values(cap)]);
    });
    reference.dispose();
    // model.predict's 27 and the tail's one (run twice: scores and gradients); none folded away in capture's forward
    const norms = profile.kernels.filter((k) => k.name === 'FusedBatchNorm').length;
    expect(norms).toBe(27 + 2);
  });

  it('stops at a target inside a folded chain: a convolution’s own output, a BatchNormalization’s before its ReLU', async () => {
    for (const cls of ['DepthwiseConv2D', 'BatchNormalization']) {
      // near the end: a tail through many depthwise convolutions takes their gradients' CPU fallback
      const call = engine.graph.calls.filter((c) => c.layer.getClassName() === cls).at(-3)!;
      const reference = unfolded(call.outputs[0]);
      const cap = engine.capture(x, { targetLayer: call.path });
      const { diff, scale } = await maxDifference(cap.activations, reference);
      expect(diff, call.path).toBeLessThan(1e-4 * scale);
      expect(scale, call.path).toBeGreaterThan(0);
      tf.dispose([reference, ...Object.values(cap)]);
    }
  });

  it('follows new weights (the sanity checks re-initialise layers) and frees what it folded', async () => {
    const before = tf.memory().numTensors;
    const norm = engine.graph.calls.filter((c) => c.layer.getClassName() === 'BatchNormalization')[3].layer;
    const saved = norm.getWeights().map((w) => w.clone());
    try {
      // another scale and mean: what the forward pass gives must change as the layers' does
      const changed = saved.map((w, i) => tf.tidy(() => (i === 0 ? tf.mul(w, 2) : i === 2 ? tf.add(w, 0.5) : tf.clone(w))));
      norm.setWeights(changed);
      tf.dispose(changed);
      const target = refOf(engine.info.defaultTargetLayer);
      const reference = unfolded(target);
      const cap = engine.capture(x);
      const { diff, scale } = await maxDifference(cap.activations, reference);
      expect(diff).toBeLessThan(1e-4 * scale);
      tf.dispose([reference, ...Object.values(cap)]);
    } finally {
      norm.setWeights(saved);
      tf.dispose(saved);
    }
    // the changed pair's filter and bias replaced, not added to
    expect(tf.memory().numTensors).toBe(before);
    engine.dispose({ keepModel: true });
    // a filter and a bias for each of the 26 folded convolutions and the Dense layer's transposed kernel (denseGradient.ts), freed
    expect(tf.memory().numTensors).toBe(before - 2 * 26 - 1);
  });
});
