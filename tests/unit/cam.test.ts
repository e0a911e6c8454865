import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradCamWeights } from '../../src/methods/gradCam';
import { fromChannelWeights, weightedSum, type CamInput } from '../../src/methods/kinds';
import { allMaps, COMPUTED_MAPS, mapKey, methodById, packedBuffer, type MethodId, type Pooling } from '../../src/methods/registry';
import { CamEngine } from '../../src/engine/camEngine';
import { normalizeMap } from '../../src/render/normalize';
import api, { resultBuffers } from '../../src/engine/workerApi';

/** A method's map from the registry, as the engine computes it. */
const camMap = (id: MethodId, input: CamInput, pooling?: Pooling) => methodById(id).compute!(input, pooling);
const gradCamMean = fromChannelWeights(gradCamWeights.mean);

beforeAll(async () => {
  await api.init('wasm');
});

/** docs/methods.md#hand-checkable-values: A = G, four 2×2 channels, stored H×W×K. */
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
  it('reproduce the hand-checkable Grad-CAM map of docs/methods.md#hand-checkable-values', () => {
    expect([...gradCamMean(handCheckable())]).toEqual([1.9375, 1.6875, 1, 1]);
    expect([...weightedSum(handCheckable().activations, Float32Array.from([1, 0.5, 0.375, 0.125]), 4)]).toEqual([1.9375, 1.6875, 1, 1]);
  });

  it('reproduce the hand-checkable HiResCAM and LayerCAM maps of docs/methods.md#hand-checkable-values', () => {
    expect([...camMap('hirescam', handCheckable())]).toEqual([3.25, 2.25, 1, 1]);
    expect([...camMap('layercam', handCheckable())]).toEqual([3.25, 2.25, 1, 1]);
  });

  it('Grad-CAM++ and XGrad-CAM follow their formulas on the hand-checkable input', () => {
    // Grad-CAM++: α = G²/(2G² + ΣA·G³) per cell; with A = G, w_k = Σ α·G
    const input = handCheckable();
    const sums = [4, 2, 1.5, 0.5];
    const chan = (k: number) => [0, 1, 2, 3].map((cell) => input.activations[cell * 4 + k]);
    const wpp = sums.map((sa, k) => chan(k).reduce((acc, g) => acc + (g ? (g * g) / (2 * g * g + sa * g ** 3) : 0) * g, 0));
    const expectedPP = weightedSum(input.activations, Float32Array.from(wpp), 4);
    camMap('gradcampp', input).forEach((v, i) => expect(v).toBeCloseTo(expectedPP[i], 6));
    // XGrad-CAM: w_k = Σ (A/ΣA)·G = Σ A²/ΣA → [1, 1, 0.8333…, 0.5]
    const wx = sums.map((sa, k) => chan(k).reduce((acc, a) => acc + (a * a) / sa, 0));
    expect(wx.map((w) => +w.toFixed(4))).toEqual([1, 1, 0.8333, 0.5]);
    const expectedX = weightedSum(input.activations, Float32Array.from(wx), 4);
    camMap('xgradcam', input).forEach((v, i) => expect(v).toBeCloseTo(expectedX[i], 6));
  });

  it('a result\'s maps are views of one buffer, each equal to its method computed alone', () => {
    const input = handCheckable();
    const maps = allMaps(input);
    const buffers = new Set(Object.values(maps).map((m) => m.buffer));
    expect(buffers.size).toBe(1);
    expect([...buffers][0].byteLength).toBe(Object.values(maps).reduce((n, m) => n + m.byteLength, 0));
    for (const m of COMPUTED_MAPS) expect([...maps[m.key]]).toEqual([...m.compute(input)]);
    // a structured copy (a message, a saved run) keeps them apart and equal
    const copy = structuredClone(maps);
    for (const k of Object.keys(maps)) expect([...copy[k]]).toEqual([...maps[k]]);
  });

  it('a worker moves a result\'s one buffer to the page, and only a buffer that is all its maps', () => {
    const maps = allMaps(handCheckable());
    const want = Object.fromEntries(Object.entries(maps).map(([k, m]) => [k, [...m]]));
    const results = [{ id: 'a.png', maps }, { id: 'b.png', error: 'unreadable' }] as Parameters<typeof resultBuffers>[0];
    expect(resultBuffers(results)).toEqual([maps[COMPUTED_MAPS[0].key].buffer]);
    const moved = structuredClone(results, { transfer: resultBuffers(results) });
    expect(maps[COMPUTED_MAPS[0].key].buffer.byteLength).toBe(0); // moved, not copied: nothing left behind
    const got = (moved[0] as { maps: Record<string, Float32Array> }).maps;
    for (const k of Object.keys(want)) expect([...got[k]], k).toEqual(want[k]);
    // views into a larger buffer (say, the backend's memory) are never moved: that would take the rest with them
    const big = new Float32Array(100);
    expect(packedBuffer({ a: big.subarray(0, 4), b: big.subarray(4, 8) })).toBeUndefined();
    expect(packedBuffer({ a: big.subarray(0, 50), b: new Float32Array(50) })).toBeUndefined();
  });

  it('LayerCAM ignores negative gradients; HiResCAM keeps their sign', () => {
    const input = { ...handCheckable(), gradients: handCheckable().gradients.map((g) => -g) };
    expect([...camMap('layercam', input)]).toEqual([0, 0, 0, 0]);
    expect([...camMap('hirescam', input)]).toEqual([-3.25, -2.25, -1, -1]);
  });

  it('Eigen-CAM recovers the spatial pattern of rank-one activations, with a positive sign', () => {
    const pattern = [0, 1, 2, 5];
    const loadings = [0.5, -1, 2];
    const activations = new Float32Array(12);
    pattern.forEach((p, cell) => loadings.forEach((l, k) => (activations[cell * 3 + k] = p * l + 3)));
    const map = camMap('eigencam', { activations, gradients: new Float32Array(12), height: 2, width: 2, channels: 3 });
    const mean = pattern.reduce((a, b) => a + b) / 4;
    const ratio = map[3] / (pattern[3] - mean);
    pattern.forEach((p, i) => expect(map[i]).toBeCloseTo((p - mean) * ratio, 4));
    expect(ratio).toBeGreaterThan(0);
  });

  it('mean and sum pooling give identical normalised maps when gradients are positive', () => {
    const input = handCheckable();
    const a = normalizeMap(camMap('gradcam', input, 'mean'), 'simple');
    const b = normalizeMap(camMap('gradcam', input, 'sum_abs'), 'simple');
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 6));
  });

  it('sum_abs loses the sign: negative gradients still give a positive map', () => {
    const input = { ...handCheckable(), gradients: handCheckable().gradients.map((g) => -g) };
    expect(Math.max(...camMap('gradcam', input, 'mean'))).toBeLessThan(0);
    expect(Math.min(...camMap('gradcam', input, 'sum_abs'))).toBeGreaterThan(0);
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
    explained.maps[mapKey('gradcam')].forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    // HiResCAM before ReLU sums to y_c − b_c (the logit minus the dense bias)
    const logits = engine.scoresFor(x.slice(0, 1), cap.activations.slice(0, 1) as tf.Tensor4D);
    const yc = (await logits.data())[c];
    const bc = ((await model.layers[2].getWeights()[1].data()) as Float32Array)[c];
    expect(explained.maps.hirescam.reduce((a, b) => a + b, 0)).toBeCloseTo(yc - bc, 5);
    logits.dispose();
    tf.dispose([x, ...Object.values(cap)]);
    model.dispose();
  });
});

describe('Score-CAM through the API', () => {
  it('weights channels by masked forward passes and leaves no tensors behind', async () => {
    const { doodlePng, modelFiles, quickdrawRows } = await import('../helpers');
    await api.loadModel(modelFiles('tfjs-doodlenet'), 'doodlenet');
    const png = doodlePng(quickdrawRows('rainbow', 0, 1)[0]);
    const before = tf.memory().numTensors;
    const out = await api.scoreCam({ id: 'a', bytes: png });
    expect(tf.memory().numTensors).toBe(before);
    expect([out.gridHeight, out.gridWidth, out.targetIndex]).toEqual([7, 7, 204]);
    expect(out.map.some((v) => v > 0)).toBe(true);
  });
});
