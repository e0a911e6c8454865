import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import api from '../../src/engine/workerApi';
import { CamEngine, topClasses } from '../../src/engine/camEngine';
import { loadLayersModel } from '../../src/engine/loadModel';
import { toModelInput } from '../../src/image/preprocess';
import { MAP_KEYS, mapKey } from '../../src/methods/registry';
import { spearman } from '../../src/methods/rank';
import { describeFd, finiteDifferenceErrors, expectGradientsMatch } from '../gradcheck';
import { DOODLENET_INDEX, grayToRgba, modelFiles, QUICKDRAW_CLASSES, quickdrawRows } from '../helpers';

let engine: CamEngine;

beforeAll(async () => {
  await api.init('wasm');
  engine = new CamEngine(await loadLayersModel(modelFiles('tfjs-doodlenet')), 'doodlenet');
});

const inputs = (rows: Uint8Array[]) => {
  const spec = { width: 28, height: 28, channels: 1 as const, scaling: '0..1' as const };
  const batch = new Float32Array(rows.length * 784);
  rows.forEach((r, i) => batch.set(toModelInput(grayToRgba(r), spec), i * 784));
  return tf.tensor4d(batch, [rows.length, 28, 28, 1]);
};

describe('DoodleNet through the engine', () => {
  it('describes the model: 28×28×1 in, 345 classes, last conv layer as target', () => {
    expect(engine.info.inputShape).toEqual([28, 28, 1]);
    expect(engine.info.outputKind).toBe('classification');
    expect(engine.info.outputCount).toBe(345);
    expect(engine.info.finalActivation).toBe('softmax');
    expect(engine.info.defaultTargetLayer).toBe('conv2d_5');
    expect(engine.info.targetLayers.map((l) => l.path)).toContain('max_pooling2d_2');
  });

  it('reproduces the documented predictions for sample 0 of rainbow and bowtie', async () => {
    const x = inputs([quickdrawRows('rainbow', 0, 1)[0], quickdrawRows('bowtie', 0, 1)[0]]);
    const [rainbow, bowtie] = await engine.explain(x);
    x.dispose();
    expect(rainbow.predictedIndex).toBe(DOODLENET_INDEX.rainbow);
    expect((rainbow.kind === 'classification' && rainbow.confidence)).toBeCloseTo(0.971113, 4);
    expect(bowtie.predictedIndex).toBe(DOODLENET_INDEX.bowtie);
    expect((bowtie.kind === 'classification' && bowtie.confidence)).toBeCloseTo(0.999661, 4);
    expect(rainbow.gridHeight).toBe(7);
    expect(rainbow.maps[mapKey('gradcam')].length).toBe(49);
  });

  it("keeps each sample's five highest outputs, best first, as model.predict gives them", async () => {
    const x = inputs(quickdrawRows('lollipop', 0, 16));
    const [explained, probs] = [await engine.explain(x), await engine.predict(x)];
    x.dispose();
    explained.forEach((r, i) => {
      const row = [...probs.subarray(i * 345, (i + 1) * 345)].map((score, index) => ({ index, score })).sort((a, b) => b.score - a.score);
      expect(r.top.map((t) => t.index)).toEqual(row.slice(0, 5).map((t) => t.index));
      r.top.forEach((t, k) => expect(t.score).toBeCloseTo(row[k].score, 5)); // softmax of the logits head vs predict: ~5e-7
      expect(r.top[0].index).toBe(r.predictedIndex);
    });
  });

  it('top classes: best first, ties to the lower index, fewer outputs than asked', () => {
    expect(topClasses([0.1, 0.5, 0.2, 0.5, 0.05, 0.15], 3)).toEqual([{ index: 1, score: 0.5 }, { index: 3, score: 0.5 }, { index: 2, score: 0.2 }]);
    expect(topClasses([0.3, 0.7], 5)).toEqual([{ index: 1, score: 0.7 }, { index: 0, score: 0.3 }]);
    expect(topClasses(Float32Array.from([5, 4, 3, 2, 1, 0]), 5).map((t) => t.index)).toEqual([0, 1, 2, 3, 4]);
    expect(topClasses(Float32Array.from([0, 1, 2, 3, 4, 5]), 5).map((t) => t.index)).toEqual([5, 4, 3, 2, 1]);
  });

  it('per-class top-1 accuracy on all 5000 doodles is within a point of SOURCE.md', async () => {
    const expected = { bowtie: 87.06, lollipop: 77.38, rainbow: 86.56 };
    for (const cls of QUICKDRAW_CLASSES) {
      let correct = 0;
      for (let start = 0; start < 5000; start += 500) {
        const x = inputs(quickdrawRows(cls, start, 500));
        const probs = await engine.predict(x);
        x.dispose();
        for (let i = 0; i < 500; i++) {
          const row = probs.subarray(i * 345, (i + 1) * 345);
          if (row.indexOf(Math.max(...row)) === DOODLENET_INDEX[cls]) correct++;
        }
      }
      console.log(`DoodleNet (TF.js, WASM) top-1 on all 5000 ${cls}: ${((correct / 5000) * 100).toFixed(2)} % (SOURCE.md: ${expected[cls]} %)`);
      expect(Math.abs((correct / 5000) * 100 - expected[cls])).toBeLessThan(1);
    }
  });

  it('a batch of 8 gives the same maps as 8 single runs', async () => {
    const rows = quickdrawRows('lollipop', 100, 8);
    const x = inputs(rows);
    const batch = await engine.explain(x);
    x.dispose();
    for (let i = 0; i < 8; i++) {
      const xi = inputs([rows[i]]);
      const [single] = await engine.explain(xi);
      xi.dispose();
      expect(single.predictedIndex).toBe(batch[i].predictedIndex);
      for (const m of MAP_KEYS) {
        const scale = Math.max(1e-6, ...batch[i].maps[m].map(Math.abs));
        single.maps[m].forEach((v, j) => expect(Math.abs(v - batch[i].maps[m][j]) / scale).toBeLessThan(1e-5));
      }
    }
  });

  it('gradients at the target layer match central finite differences', async () => {
    const x = inputs([quickdrawRows('rainbow', 7, 1)[0]]);
    const r = await finiteDifferenceErrors(engine, x, 30);
    x.dispose();
    console.log(describeFd('DoodleNet conv2d_5', r));
    expectGradientsMatch(r);
  });

  it('leaves no tensors behind across 100 batches', async () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) {
      const x = inputs(quickdrawRows('bowtie', i * 4, 4));
      await engine.explain(x, { targetLayer: i % 2 ? 'conv2d_3' : undefined, score: i % 3 ? 'logit' : 'probability' });
      x.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('WASM and CPU backends give the same maps (within 1e-4 of each map’s scale)', async () => {
    const x = inputs(quickdrawRows('rainbow', 300, 4));
    const onWasm = await engine.explain(x);
    await tf.setBackend('cpu');
    const onCpu = await engine.explain(x);
    await tf.setBackend('wasm');
    x.dispose();
    const worst: Record<string, number> = {};
    onWasm.forEach((w, i) => {
      expect(onCpu[i].predictedIndex).toBe(w.predictedIndex);
      for (const m of MAP_KEYS) {
        const scale = Math.max(1e-6, ...w.maps[m].map(Math.abs));
        w.maps[m].forEach((v, j) => (worst[m] = Math.max(worst[m] ?? 0, Math.abs(v - onCpu[i].maps[m][j]) / scale)));
      }
    });
    console.log('WASM vs CPU, DoodleNet maps, worst relative difference per method:', JSON.stringify(worst));
    for (const m of MAP_KEYS) expect(worst[m], m).toBeLessThan(1e-4);
  });

  it('different target classes give different maps', async () => {
    const x = inputs(quickdrawRows('bowtie', 20, 1));
    const [a] = await engine.explain(x, { targetClasses: [DOODLENET_INDEX.bowtie] });
    const [b] = await engine.explain(x, { targetClasses: [DOODLENET_INDEX.rainbow] });
    x.dispose();
    expect(a.targetIndex).toBe(DOODLENET_INDEX.bowtie);
    expect(b.targetIndex).toBe(DOODLENET_INDEX.rainbow);
    expect(a.predictedIndex).toBe(b.predictedIndex);
    expect(spearman(a.maps[mapKey('gradcam')], b.maps[mapKey('gradcam')])).toBeLessThan(0.9);
  });

  it('model randomisation: re-initialising the top layers changes the maps (Adebayo et al. 2018)', async () => {
    const rows = quickdrawRows('lollipop', 50, 10);
    const x = inputs(rows);
    const trained = await engine.explain(x);
    const again = await engine.explain(x);
    // Re-initialise the two dense layers of a second copy of the model.
    const copy = await loadLayersModel(modelFiles('tfjs-doodlenet'));
    for (const [i, layer] of copy.layers.slice(-2).entries()) {
      const [k, b] = layer.getWeights();
      layer.setWeights([tf.randomNormal(k.shape, 0, 0.05, 'float32', 42 + i), tf.zerosLike(b)]);
    }
    const randomised = await new CamEngine(copy).explain(x);
    x.dispose();
    const mean = (xs: number[]) => xs.reduce((p, q) => p + q, 0) / xs.length;
    const same = mean(trained.map((t, i) => spearman(t.maps[mapKey('gradcam')], again[i].maps[mapKey('gradcam')])));
    const rand = mean(trained.map((t, i) => spearman(t.maps[mapKey('gradcam')], randomised[i].maps[mapKey('gradcam')])));
    console.log(`rank correlation of Grad-CAM maps: trained vs trained ${same.toFixed(3)}, trained vs randomised top ${rand.toFixed(3)}`);
    expect(same).toBeCloseTo(1, 6);
    expect(rand).toBeLessThan(0.5);
    copy.dispose();
  });
});
