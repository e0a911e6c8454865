// The engine on graphs people train: nested models (Teachable Machine's Sequential ⊃ Sequential ⊃
// functional MobileNetV2), depthwise + batch-norm with a regression head, residual adds.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import api from '../../src/engine/workerApi';
import { CamEngine } from '../../src/engine/camEngine';
import { loadLayersModel } from '../../src/engine/loadModel';
import { toModelInput } from '../../src/image/preprocess';
import { takeFallbacksUsed } from '../../src/engine/kernelFallback';
import { describeFd, finiteDifferenceErrors, expectGradientsMatch, type FdResult } from '../gradcheck';
import { grayToRgba, modelFiles, quickdrawRows } from '../helpers';

beforeAll(async () => {
  await api.init('wasm');
});

const log = (name: string, r: FdResult) => console.log(describeFd(name, r));

describe('Teachable Machine nested MobileNetV2 (TF.js, old layout)', () => {
  let engine: CamEngine;
  let x: tf.Tensor4D;
  beforeAll(async () => {
    engine = new CamEngine(await loadLayersModel(modelFiles('tfjs-tm-nested-mobilenetv2')));
    const doodles = quickdrawRows('rainbow', 0, 2).map((r) => toModelInput(grayToRgba(r), { width: 224, height: 224, channels: 3, scaling: '-1..1' }));
    x = tf.tensor4d(Float32Array.from([...doodles[0], ...doodles[1]]), [2, 224, 224, 3]);
  });

  it('flattens the nested models: candidates reach inside, the default is the last convolution', () => {
    expect(engine.info.defaultTargetLayer).toBe('sequential_13/model4/Conv_1');
    const paths = engine.info.targetLayers.map((l) => l.path);
    expect(paths).toContain('sequential_13/model4/block_16_depthwise');
    expect(paths).toContain('sequential_13/model4/out_relu');
    expect(paths.at(-1)).toBe('sequential_13/model4/out_relu');
    expect(engine.info.outputCount).toBe(10);
  });

  it('the flattened graph computes exactly what the model predicts', async () => {
    const cap = engine.capture(x);
    const ours = await cap.outputs.data();
    const theirs = tf.tidy(() => engine.model.predict(x) as tf.Tensor);
    const ref = await theirs.data();
    ours.forEach((v, i) => expect(v).toBeCloseTo(ref[i], 5));
    tf.dispose([theirs, ...Object.values(cap)]);
  });

  it('gradients match finite differences at the default layer', async () => {
    const r = await finiteDifferenceErrors(engine, x, 20);
    log('TM MobileNetV2 Conv_1', r);
    expectGradientsMatch(r);
  });

  it('gradients through depthwise convolutions work on WASM (CPU kernel fallback) and equal the CPU backend', async () => {
    const layer = 'sequential_13/model4/block_16_expand_relu';
    takeFallbacksUsed();
    const onWasm = engine.capture(x, { targetLayer: layer });
    const gWasm = await onWasm.gradients.data();
    expect(takeFallbacksUsed()).toContain('DepthwiseConv2dNativeBackpropInput');
    await tf.setBackend('cpu');
    const onCpu = engine.capture(x, { targetLayer: layer });
    const gCpu = await onCpu.gradients.data();
    await tf.setBackend('wasm');
    let worst = 0;
    let scale = 0;
    gCpu.forEach((v, i) => {
      worst = Math.max(worst, Math.abs(v - gWasm[i]));
      scale = Math.max(scale, Math.abs(v));
    });
    console.log(`WASM vs CPU gradients at ${layer}: max |diff| ${worst.toExponential(2)} (max |g| ${scale.toFixed(3)})`);
    // 17 blocks of float32 convolutions summed in a different order (XNNPACK vs plain JS)
    expect(worst).toBeLessThan(2e-3 * scale);
    tf.dispose([...Object.values(onWasm), ...Object.values(onCpu)]);
    // So deep in MobileNetV2, ReLU6 kinks crowd within any float32-usable eps; central differences
    // still agree to about 1 %, and exactly at the last convolution (test above).
    const r = await finiteDifferenceErrors(engine, x, 20, { targetLayer: layer });
    log('TM MobileNetV2 block_16_expand_relu', r);
    expectGradientsMatch(r, 2e-2, 2e-2);
  });
});

/** Edge Impulse-like: flat input + Reshape, nested Sequential ⊃ functional with DepthwiseConv2D + BN, Dense(1) head. */
function regressionModel(): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 3] });
  let h = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }), name: 'conv' }).apply(input) as tf.SymbolicTensor;
  h = tf.layers.batchNormalization({ name: 'bn', movingMeanInitializer: tf.initializers.randomUniform({ minval: -0.2, maxval: 0.2, seed: 2 }), movingVarianceInitializer: tf.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: 3 }), gammaInitializer: tf.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: 4 }) }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.reLU({ maxValue: 6, name: 'relu6' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthwiseInitializer: tf.initializers.glorotNormal({ seed: 5 }), name: 'dw' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.activation({ activation: 'relu', name: 'dw_relu' }).apply(h) as tf.SymbolicTensor;
  const base = tf.model({ inputs: input, outputs: h, name: 'base' });
  return tf.sequential({
    layers: [
      tf.layers.reshape({ inputShape: [16 * 16 * 3], targetShape: [16, 16, 3], name: 'x_input' }),
      base,
      tf.layers.globalAveragePooling2d({ name: 'gap' }),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotNormal({ seed: 6 }), name: 'value' }),
    ],
  });
}

describe('depthwise + batch-norm + Dense(1) regression head (nested, flat input)', () => {
  it('is read as regression and its gradients match finite differences at every conv layer', async () => {
    // A flat input is not an image: the engine needs the 16×16×3 view, which comes after the Reshape.
    const model = regressionModel();
    expect(() => new CamEngine(model)).toThrow(/image input/);
    const inner = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [16, 16, 3] }), ...model.layers.slice(1)] });
    const engine = new CamEngine(inner);
    expect(engine.info.outputKind).toBe('regression');
    expect(engine.info.defaultTargetLayer).toBe('base/dw');
    const x = tf.randomUniform([1, 16, 16, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    for (const layer of ['base/dw', 'base/conv', 'base/bn']) {
      // dw's outputs are small and sit just before a ReLU: small steps stay clear of its edge
      const r = await finiteDifferenceErrors(engine, x, 20, { targetLayer: layer }, layer === 'base/dw' ? [1e-3, 5e-4] : undefined);
      log(`regression ${layer}`, r);
      expectGradientsMatch(r);
    }
    const up = engine.capture(x);
    const down = engine.capture(x, { negate: true });
    const [g1, g2] = [await up.gradients.data(), await down.gradients.data()];
    g1.forEach((v, i) => expect(g2[i]).toBeCloseTo(-v, 6));
    tf.dispose([x, ...Object.values(up), ...Object.values(down)]);
  });
});

describe('residual adds', () => {
  it('hold side branches constant and differentiate through both paths of an Add', async () => {
    const input = tf.input({ shape: [8, 8, 4] });
    const a = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed: 11 }), name: 'a' }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotNormal({ seed: 12 }), name: 'b' }).apply(a) as tf.SymbolicTensor;
    const sum = tf.layers.add({ name: 'add' }).apply([input, b]) as tf.SymbolicTensor;
    const c = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed: 13 }), name: 'c' }).apply(sum) as tf.SymbolicTensor;
    const d = tf.layers.add({ name: 'add2' }).apply([sum, c]) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotNormal({ seed: 14 }) }).apply(tf.layers.flatten().apply(d)) as tf.SymbolicTensor;
    const engine = new CamEngine(tf.model({ inputs: input, outputs: out }));
    const x = tf.randomUniform([1, 8, 8, 4], -1, 1, 'float32', 15) as tf.Tensor4D;
    for (const layer of ['a', 'b', 'add', 'c']) {
      const r = await finiteDifferenceErrors(engine, x, 20, { targetLayer: layer });
      log(`residual ${layer}`, r);
      expectGradientsMatch(r);
    }
    x.dispose();
  });
});
