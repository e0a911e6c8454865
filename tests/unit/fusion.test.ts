// Finer maps: layer fusion and aug-smooth (src/methods/fusion.ts), hand-checked, then through the
// engine on DoodleNet: a single layer "fused" is that layer's map; two layers fused equal the
// fusion of two separate single-layer runs; aug-smooth equals the mean of six separate runs on
// flipped and brightened inputs, flipped back. Predictions are never changed by either.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import api from '../../src/engine/workerApi';
import { CamEngine } from '../../src/engine/camEngine';
import type { Explanation } from '../../src/engine/types';
import { loadLayersModel } from '../../src/engine/loadModel';
import { toModelInput } from '../../src/image/preprocess';
import { upsample } from '../../src/common/grid';
import { AUG_SMOOTH, flipHorizontal, fuseLayers, meanMap, minMax } from '../../src/methods/fusion';
import { fusePresetOf, layersOf, presetLayers } from '../../src/state/selectors';
import { DEFAULT_EXPLAIN } from '../../src/state/store';
import { eigenSmoothed, type CamInput } from '../../src/methods/kinds';
import { centreColumns, firstComponentScores, leadingEigenvector } from '../../src/methods/linalg';
import { seeded } from '../../src/common/random';
import { gradCamWeights } from '../../src/methods/gradCam';
import { mapKey } from '../../src/methods/registry';
import { grayToRgba, modelFiles, quickdrawRows } from '../helpers';

const f32 = (xs: number[]) => new Float32Array(xs);

describe('the leading eigenvector (Lanczos)', () => {
  /** M = Q diag(λ) Qᵀ with a random orthonormal Q (Gram–Schmidt of random columns): its eigenpairs are known. */
  function known(n: number, lambdas: number[], seed: number) {
    const random = seeded(seed);
    const q: Float64Array[] = [];
    while (q.length < n) {
      const v = new Float64Array(n).map(() => random() - 0.5);
      for (const u of q) {
        const d = v.reduce((s, x, i) => s + x * u[i], 0);
        v.forEach((_, i) => (v[i] -= d * u[i]));
      }
      const len = Math.hypot(...v);
      q.push(v.map((x) => x / len));
    }
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = q.reduce((s, u, k) => s + lambdas[k] * u[i] * u[j], 0);
    return { m, top: q[0] };
  }

  it.each([3, 24, 49, 100])('finds the top eigenvector of an n×n matrix (n = %i) with known eigenpairs, also when λ₂ is within 0.1 % of λ₁', (n) => {
    for (const [gap, seed] of [[0.5, 1], [0.999, 2]]) {
      const lambdas = Array.from({ length: n }, (_, k) => (k === 0 ? 2 : k === 1 ? 2 * gap : (2 * gap * (n - k)) / n - 0.5)); // some negative
      const { m, top } = known(n, lambdas, seed * 100 + n);
      const v = leadingEigenvector(m, n);
      expect(Math.hypot(...v)).toBeCloseTo(1, 12);
      expect(Math.abs(v.reduce((s, x, i) => s + x * top[i], 0))).toBeCloseTo(1, 8); // the same direction, either sign
      const mv = Array.from({ length: n }, (_, i) => v.reduce((s, x, j) => s + m[i * n + j] * x, 0));
      expect(Math.hypot(...mv.map((x, i) => x - 2 * v[i]))).toBeLessThan(1e-9); // M v = λ₁ v
    }
  });

  it('a zero matrix gives a unit vector, and an identity any unit vector (every vector is an eigenvector)', () => {
    for (const m of [new Float64Array(16), new Float64Array(16).map((_, i) => (i % 5 === 0 ? 1 : 0))]) {
      const v = leadingEigenvector(m, 4);
      expect(Math.hypot(...v)).toBeCloseTo(1, 12);
    }
  });
});

describe('fusion and smoothing, by hand', () => {
  it('min–max scales to [0, 1]; a constant map says nothing', () => {
    expect([...minMax(f32([2, 4, 6]))]).toEqual([0, 0.5, 1]);
    expect([...minMax(f32([3, 3]))]).toEqual([0, 0]);
  });

  it('fuses onto the finest grid by maximum or mean; one layer is returned as it is', () => {
    const fine = { map: f32([0, 1, 2, 3]), width: 2, height: 2 };
    const coarse = { map: f32([5]), width: 1, height: 1 };
    expect([...fuseLayers([fine, coarse], 'max').map]).toEqual([0, 1 / 3, 2 / 3, 1].map(Math.fround));
    expect([...fuseLayers([coarse, fine], 'mean').map]).toEqual([0, 1 / 6, 1 / 3, 0.5].map(Math.fround));
    expect(fuseLayers([coarse], 'max')).toBe(coarse);
    const other = { map: f32([1, 0]), width: 2, height: 1 };
    const up = minMax(upsample(other.map, 2, 1, 2, 2));
    const fused = fuseLayers([fine, other], 'max');
    expect([fused.width, fused.height]).toEqual([2, 2]);
    [0, 1 / 3, 2 / 3, 1].forEach((v, i) => expect(fused.map[i]).toBeCloseTo(Math.max(v, up[i]), 6));
  });

  it('flips a grid left–right and averages maps', () => {
    expect([...flipHorizontal(f32([1, 2, 3, 4, 5, 6]), 3, 2)]).toEqual([3, 2, 1, 6, 5, 4]);
    expect([...meanMap([f32([1, 2]), f32([3, 6])])]).toEqual([2, 4]);
    expect(AUG_SMOOTH).toHaveLength(6);
    expect(AUG_SMOOTH[0]).toEqual({ flip: false, brightness: 1 }); // the plain input first
  });
});

describe('eigen-smooth, by hand', () => {
  it('a rank-one weighted activation gives the centred sum back (up to scale); the sign agrees with the sum', () => {
    // cells × channels = 3 × 2, every row a multiple of (1, 2): the first component is the whole story
    const weighted = f32([1, 2, 2, 4, 4, 8]);
    const map = eigenSmoothed(weighted, 3, 2);
    const sums = [3, 6, 12];
    const mean = 7;
    const ratio = map[0] / (sums[0] - mean);
    sums.forEach((s, i) => expect(map[i]).toBeCloseTo(ratio * (s - mean), 5));
    expect(ratio).toBeGreaterThan(0);
    expect([...eigenSmoothed(weighted.map((v) => -v), 3, 2)].map((v) => v / ratio)).toEqual(sums.map((s) => expect.closeTo(-(s - mean), 4)));
  });
});

describe('fusion and smoothing through the engine (DoodleNet, WASM)', () => {
  let engine: CamEngine;
  let x: tf.Tensor4D;
  beforeAll(async () => {
    await api.init('wasm');
    engine = new CamEngine(await loadLayersModel(modelFiles('tfjs-doodlenet')), 'doodlenet');
    const rows = [quickdrawRows('rainbow', 0, 1)[0], quickdrawRows('lollipop', 3, 1)[0], quickdrawRows('bowtie', 7, 1)[0]];
    const batch = new Float32Array(rows.length * 784);
    rows.forEach((r, i) => batch.set(toModelInput(grayToRgba(r), { width: 28, height: 28, channels: 1, scaling: '0..1' }), i * 784));
    x = tf.tensor4d(batch, [rows.length, 28, 28, 1]);
  });

  it('the layer picker: presets count stages back from the target; layers ticked one by one fuse from the coarsest', () => {
    const model = { info: engine.info } as never;
    const at = (targetLayer: string | undefined, fuseWith: string[]) => ({ model, explain: { ...DEFAULT_EXPLAIN, targetLayer, fuseWith } });
    expect(presetLayers(at(undefined, []), 'two')).toEqual(['conv2d_3']); // conv2d_5 is 7×7; the last 14×14 layer before it
    expect(presetLayers(at(undefined, []), 'three')).toEqual(['conv2d_3', 'conv2d_1']);
    expect(presetLayers(at('conv2d_3', []), 'two')).toEqual(['conv2d_1']);
    expect(layersOf(at(undefined, []))).toBeUndefined();
    expect(layersOf(at(undefined, ['conv2d_1', 'conv2d_3']))).toEqual(['conv2d_5', 'conv2d_3', 'conv2d_1']);
    expect(fusePresetOf(at(undefined, ['conv2d_3']))).toBe('two');
    expect(fusePresetOf(at(undefined, ['conv2d_2']))).toBe('custom');
    expect(layersOf(at('conv2d_2', ['conv2d_2']))).toBeUndefined(); // the target itself is not fused with itself
  });

  it('a single layer "fused" is that layer\'s map', async () => {
    const [a, b] = [await engine.explain(x, { targetLayer: 'conv2d_5' }), await engine.explain(x, { layers: ['conv2d_5'], fusion: 'mean' })];
    a.forEach((r, i) => expect(b[i].maps).toEqual(r.maps));
  });

  it('two layers fused equal the fusion of two single-layer runs, on the finer grid; predictions unchanged', async () => {
    const spatial = engine.info.targetLayers.map((l) => l.path);
    const second = spatial.find((p) => p !== 'conv2d_5' && engine.info.targetLayers.find((l) => l.path === p)!.shape[0] > engine.info.targetLayers.find((l) => l.path === 'conv2d_5')!.shape[0])!;
    expect(second).toBeDefined();
    const last = await engine.explain(x, { targetLayer: 'conv2d_5' });
    const earlier = await engine.explain(x, { targetLayer: second });
    const fused = await engine.explain(x, { layers: ['conv2d_5', second], fusion: 'max' });
    fused.forEach((r, i) => {
      expect(r.predictedIndex).toBe(last[i].predictedIndex);
      expect([r.gridWidth, r.gridHeight]).toEqual([earlier[i].gridWidth, earlier[i].gridHeight]);
      for (const key of Object.keys(r.maps)) {
        const want = fuseLayers([
          { map: last[i].maps[key], width: last[i].gridWidth, height: last[i].gridHeight },
          { map: earlier[i].maps[key], width: earlier[i].gridWidth, height: earlier[i].gridHeight },
        ], 'max').map;
        r.maps[key].forEach((v, j) => expect(v).toBeCloseTo(want[j], 5));
      }
    });
    console.log(`fusion of conv2d_5 (${last[0].gridWidth}×${last[0].gridHeight}) and ${second}: maps on ${fused[0].gridWidth}×${fused[0].gridHeight}`);
  });

  it('eigen-smooth: Grad-CAM\'s map is the first principal component of w_k·A_k, HiResCAM\'s of G⊙A; predictions unchanged', async () => {
    const plain = await engine.explain(x);
    const eigen = await engine.explain(x, { smooth: 'eigen' });
    const { activations, gradients } = engine.capture(x);
    const [a, g] = [await activations.data() as Float32Array, await gradients.data() as Float32Array];
    const [, h, w, k] = activations.shape;
    tf.dispose([activations, gradients]);
    const cells = h * w;
    const sign = (m: Float32Array, weighted: Float32Array) => {
      let agree = 0;
      for (let i = 0; i < cells; i++) { let s = 0; for (let c = 0; c < k; c++) s += weighted[i * k + c]; agree += m[i] * s; }
      return agree < 0 ? m.map((v) => -v) : m;
    };
    eigen.forEach((r, i) => {
      expect(r.predictedIndex).toBe(plain[i].predictedIndex);
      const input: CamInput = { activations: a.slice(i * cells * k, (i + 1) * cells * k), gradients: g.slice(i * cells * k, (i + 1) * cells * k), height: h, width: w, channels: k };
      const wk = gradCamWeights.mean(input);
      const gradCamWeighted = input.activations.map((v, j) => wk[j % k] * v);
      const hiResWeighted = input.activations.map((v, j) => v * input.gradients[j]);
      const byHand = {
        [mapKey('gradcam')]: sign(firstComponentScores(centreColumns(gradCamWeighted, cells, k), cells, k), gradCamWeighted),
        hirescam: sign(firstComponentScores(centreColumns(hiResWeighted, cells, k), cells, k), hiResWeighted),
      };
      for (const [key, want] of Object.entries(byHand)) r.maps[key].forEach((v, j) => expect(v).toBeCloseTo(want[j], 4));
      expect(r.maps.eigencam).toEqual(plain[i].maps.eigencam); // Eigen-CAM is a principal component already
    });
  });

  it('aug-smooth is the mean of six runs on flipped and brightened inputs, flipped back, all for the plain input\'s class', async () => {
    const plain = await engine.explain(x);
    const smooth = await engine.explain(x, { smooth: 'aug' });
    const targetClasses = plain.map((r) => r.targetIndex);
    const runs: { flip: boolean; out: Explanation[] }[] = [];
    for (const { flip, brightness } of AUG_SMOOTH) {
      const xv = tf.tidy(() => tf.mul(flip ? tf.reverse(x, 2) : x, brightness) as tf.Tensor4D);
      runs.push({ flip, out: await engine.explain(xv, { targetClasses }) });
      xv.dispose();
    }
    smooth.forEach((r, i) => {
      expect(r.predictedIndex).toBe(plain[i].predictedIndex);
      expect(r.top).toEqual(plain[i].top);
      const { gridWidth: w, gridHeight: h } = plain[i];
      for (const key of Object.keys(r.maps)) {
        const want = meanMap(runs.map(({ flip, out }) => (flip ? flipHorizontal(out[i].maps[key], w, h) : out[i].maps[key])));
        r.maps[key].forEach((v, j) => expect(v).toBeCloseTo(want[j], 5));
      }
    });
  });
});
