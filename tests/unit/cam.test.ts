import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CAM_METHODS, gradCamMean, weightedSum } from '../../src/engine/cam';
import { CamEngine } from '../../src/engine/engine';
import { normalizeMap } from '../../src/render/normalize';
import api from '../../src/engine/api';

beforeAll(async () => {
  await api.init('wasm');
});

/** REFERENCE.md §5: A = G, four 2×2 channels, stored H×W×K. */
function handCheckable() {
  const channels = [
    [1, 1, 1, 1],
    [1, 1, 0, 0],
    [1, 0.5, 0, 0],
    [0.5, 0, 0, 0],
  ];
  const a = new Float32Array(16);
  for (let cell = 0; cell < 4; cell++) for (let k = 0; k < 4; k++) a[cell * 4 + k] = channels[k][cell];
  return { activations: a, gradients: a, height: 2, width: 2, channels: 4 };
}

describe('CAM formulas', () => {
  it('reproduce the hand-checkable Grad-CAM map of REFERENCE.md §5', () => {
    expect([...gradCamMean(handCheckable())]).toEqual([1.9375, 1.6875, 1, 1]);
    expect([...weightedSum(handCheckable().activations, Float32Array.from([1, 0.5, 0.375, 0.125]), 4)]).toEqual([1.9375, 1.6875, 1, 1]);
  });

  it('mean and sum pooling give identical normalised maps when gradients are positive', () => {
    const input = handCheckable();
    const a = normalizeMap(CAM_METHODS.mean(input), 'simple');
    const b = normalizeMap(CAM_METHODS.sum_abs(input), 'simple');
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 6));
  });

  it('sum_abs loses the sign: negative gradients still give a positive map', () => {
    const input = { ...handCheckable(), gradients: handCheckable().gradients.map((g) => -g) };
    expect(Math.max(...CAM_METHODS.mean(input))).toBeLessThan(0);
    expect(Math.min(...CAM_METHODS.sum_abs(input))).toBeGreaterThan(0);
  });
});

describe('conv → global average pool → dense', () => {
  it('Grad-CAM weights equal W[k, c] / Z and the map is Σ_k W[k, c]/Z · A_k', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 3, activation: 'relu', name: 'conv', kernelInitializer: tf.initializers.randomNormal({ seed: 1 }) }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: tf.initializers.randomNormal({ seed: 2 }) }),
      ],
    });
    const engine = new CamEngine(model);
    expect(engine.info.defaultTargetLayer).toBe('conv');
    const x = tf.randomUniform([2, 6, 6, 2], 0, 1, 'float32', 3) as tf.Tensor4D;
    const cap = engine.capture(x);
    const [explained] = await engine.explain(x.slice(0, 1));
    const w = (await model.layers[2].getWeights()[0].array()) as number[][];
    const c = (await cap.targets.data())[0];
    const g = await cap.gradients.data();
    const a = await cap.activations.data();
    const Z = 16;
    for (let cell = 0; cell < Z; cell++) for (let k = 0; k < 3; k++) expect(g[cell * 3 + k]).toBeCloseTo(w[k][c] / Z, 6);
    const expected = weightedSum(a.slice(0, Z * 3) as Float32Array, Float32Array.from([0, 1, 2].map((k) => w[k][c] / Z)), Z);
    explained.maps.mean.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    tf.dispose([x, ...Object.values(cap)]);
    model.dispose();
  });
});
