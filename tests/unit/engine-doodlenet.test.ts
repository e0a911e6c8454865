import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import api from '../../src/engine/api';
import { CamEngine } from '../../src/engine/engine';
import { loadLayersModel } from '../../src/engine/loadModel';
import { toModelInput } from '../../src/engine/preprocess';
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
    expect(rainbow.confidence).toBeCloseTo(0.971113, 4);
    expect(bowtie.predictedIndex).toBe(DOODLENET_INDEX.bowtie);
    expect(bowtie.confidence).toBeCloseTo(0.999661, 4);
    expect(rainbow.gridHeight).toBe(7);
    expect(rainbow.maps.mean.length).toBe(49);
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
      for (const m of ['mean', 'sum_abs'] as const) {
        single.maps[m].forEach((v, j) => expect(v).toBeCloseTo(batch[i].maps[m][j], 5));
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

  it('leaves no tensors behind after runs', async () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const x = inputs(quickdrawRows('bowtie', i * 16, 16));
      await engine.explain(x);
      x.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
