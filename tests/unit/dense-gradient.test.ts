// Dense layers of the differentiated tail take their gradient through a kept transpose of the
// kernel (src/engine/denseGradient.ts): the same gradients as TF.js's own, without WASM's slow
// transposed product. DoodleNet (real TF.js model): conv2d_5 → max pool → flatten → two Dense layers.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import api from '../../src/engine/workerApi';
import { CamEngine } from '../../src/engine/camEngine';
import { loadLayersModel } from '../../src/engine/loadModel';
import { dependentCalls, runCalls, type Ref } from '../../src/engine/graph';
import { toModelInput } from '../../src/image/preprocess';
import { grayToRgba, modelFiles, quickdrawRows } from '../helpers';

let engine: CamEngine;
let x: tf.Tensor4D;

beforeAll(async () => {
  await api.init('wasm');
  engine = new CamEngine(await loadLayersModel(modelFiles('tfjs-doodlenet')), 'doodlenet');
  const spec = { width: 28, height: 28, channels: 1 as const, scaling: '0..1' as const };
  const rows = [...quickdrawRows('rainbow', 0, 3), ...quickdrawRows('bowtie', 0, 3)];
  x = tf.tensor4d(Float32Array.from(rows.flatMap((r) => [...toModelInput(grayToRgba(r), spec)])), [rows.length, 28, 28, 1]);
});
afterAll(() => {
  x?.dispose();
  engine?.dispose();
});

describe('Dense gradients through a kept transpose (DoodleNet, WASM)', () => {
  it('equal the gradients of the layers as TF.js runs them, for the class each image is explained for', async () => {
    const cap = engine.capture(x);
    const targets = Array.from(await cap.targets.data());
    // the reference: the tail's layers called as they are, the last one's softmax left out
    const target = engine.graph.calls.find((c) => c.path === engine.info.defaultTargetLayer)!.outputs[0];
    const tail = dependentCalls(engine.graph, target);
    const last = tail.at(-1)!;
    const reference = tf.grad((a: tf.Tensor) => {
      const values = new Map<Ref, tf.Tensor>([[target, a]]);
      runCalls(tail, values, (call, input) => (call === last ? tf.matMul(input as tf.Tensor2D, call.layer.weights[0].read() as tf.Tensor2D).add(call.layer.weights[1].read()) : undefined));
      return tf.sum(tf.mul(values.get(engine.graph.output)!, tf.oneHot(targets, engine.info.outputCount)));
    })(cap.activations);
    const [ours, theirs] = [await cap.gradients.data(), await reference.data()];
    let worst = 0, scale = 0;
    for (let i = 0; i < ours.length; i++) {
      worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
      scale = Math.max(scale, Math.abs(theirs[i]));
    }
    expect(scale).toBeGreaterThan(0);
    expect(worst).toBeLessThan(1e-5 * scale);
    tf.dispose([reference, ...Object.values(cap)]);
  });

  it('multiplies no transposed operand on the fly: every product is plain (its inner sizes agree)', async () => {
    const profile = await tf.profile(() => tf.dispose(Object.values(engine.capture(x))));
    const products = profile.kernels.filter((k) => /MatMul/.test(k.name));
    // TF.js's own Dense gradient did dy · Wᵀ (WASM's slow transposed product) and also the kernel's
    // gradient xᵀ · dy, which Grad-CAM never uses: [n, 345] · [512, 345]ᵀ and [n, 512]ᵀ · [n, 345]
    const transposed = products.filter((k) => {
      const [a, b] = k.inputShapes;
      return a.at(-1) !== b.at(-2);
    });
    expect(products.length).toBeGreaterThan(0);
    expect(transposed.map((k) => `${k.name} ${JSON.stringify(k.inputShapes)}`)).toEqual([]);
  });

  it('keeps no transpose of a kernel over 4M values (VGG-16’s first Dense would be 411 MB more): those take TF.js’s own path', async () => {
    // a conv layer (Grad-CAM's target), then one Dense layer of `units` outputs on its 16 values
    const tiny = (units: number) => tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 1, kernelSize: 1 }), tf.layers.flatten(), tf.layers.dense({ units })] });
    for (const [units, copies] of [[8, 1], [262_145, 0]] as const) {
      const model = tiny(units);
      const before = tf.memory().numTensors;
      const small = new CamEngine(model);
      expect(tf.memory().numTensors - before, `${units} units`).toBe(copies);
      const input = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
      const cap = small.capture(input);
      expect((await cap.gradients.data()).every(Number.isFinite)).toBe(true);
      tf.dispose([input, ...Object.values(cap)]);
      small.dispose();
    }
  });
});
