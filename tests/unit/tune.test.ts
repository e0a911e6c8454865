// Backend and batch size from the loaded model's own timings (engine/tune.ts, workerApi.tune),
// and the fingerprint the choice is remembered under.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import api from '../../src/engine/workerApi';
import { batchSizesFor, fastestBackend, pickBatch } from '../../src/engine/tune';
import { fingerprint } from '../../src/common/fingerprint';
import { modelFiles } from '../helpers';

describe('batch size choice (pure)', () => {
  it('takes the largest batch within 10 % of the fastest per image', () => {
    const t = (batchSize: number, msPerImage: number) => ({ batchSize, msPerImage });
    expect(pickBatch([t(8, 5), t(16, 4), t(32, 3.1), t(64, 3.3)]).batchSize).toBe(64); // 3.3 ≤ 1.1 × 3.1
    expect(pickBatch([t(8, 5), t(16, 4), t(32, 3), t(64, 3.5)]).batchSize).toBe(32);
    expect(pickBatch([t(8, 2), t(32, 40)]).batchSize).toBe(8);
  });

  it('the command line: a GPU backend runs one engine, a CPU backend one per core', () => {
    const t = (batchSize: number, msPerImage: number) => ({ batchSize, msPerImage });
    // the H100 machine's timings of VWW's Grad-CAM step: WASM 299 images/s (batch 32), WebGPU 1,947 (batch 256)
    const measured = { wasm: [t(8, 4), t(16, 3.6), t(32, 3.34)], webgpu: [t(8, 2), t(32, 0.9), t(128, 0.56), t(256, 0.51)] };
    expect(fastestBackend(measured, 2)).toEqual({ backend: 'webgpu', batchSize: 256 }); // 2 × 299 < 1,947
    expect(fastestBackend(measured, 16)).toEqual({ backend: 'wasm', batchSize: 32 }); // 16 × 299 > 1,947
    expect(fastestBackend({ wasm: measured.wasm }, 4)).toEqual({ backend: 'wasm', batchSize: 32 });
    expect(fastestBackend({}, 4)).toBeUndefined();
  });

  it('the command line weighs the CPU work an image costs besides the step: a GPU fed by one core is no faster', () => {
    const t = (batchSize: number, msPerImage: number) => ({ batchSize, msPerImage });
    // the H200 machine, pinned to 2 cores: VWW's step WASM 200 images/s, WebGPU 2,302; a 320×240 JPEG
    // decoded, preprocessed and drawn in JS ~30 ms. WebGPU explained twice as fast there and took
    // 55.6 s in all against 2 WASM engines' 28.8 s
    const vww = { wasm: [t(32, 5)], webgpu: [t(256, 1000 / 2302)] };
    expect(fastestBackend(vww, 2, 30)?.backend).toBe('wasm'); // 2 / 35 ms > 1 / 30 ms
    expect(fastestBackend(vww, 2)?.backend).toBe('webgpu'); // the step alone
    // doodles on 16 cores: WASM 363 images/s an engine, WebGPU 1,377; ~2 ms a doodle besides
    expect(fastestBackend({ wasm: [t(16, 1000 / 363)], webgpu: [t(256, 1000 / 1377)] }, 16, 2)?.backend).toBe('wasm');
    // a heavy model (WASM 30 ms an image, WebGPU 0.5 ms) on 16 cores with 5 ms besides: the GPU, fed by 15 cores
    expect(fastestBackend({ wasm: [t(8, 30)], webgpu: [t(64, 0.5)] }, 16, 5)?.backend).toBe('webgpu');
  });

  it('tries more images a call on a GPU, and fewer when the input is large', () => {
    expect(batchSizesFor('wasm', [96, 96, 3])).toEqual([8, 16, 32]);
    expect(batchSizesFor('webgpu', [96, 96, 3])).toEqual([8, 32, 128, 256]);
    // 224×224×3: at most 47 images a call (256 × 96×96×3 input values)
    expect(batchSizesFor('webgpu', [224, 224, 3])).toEqual([8, 32, 47]);
    expect(batchSizesFor('wasm', [2048, 2048, 3])).toEqual([1]);
    expect(batchSizesFor('webgl', [96, 96, 3])).toEqual([8, 32, 128]);
  });
});

describe('tune on a loaded model (WASM, Node)', () => {
  beforeAll(async () => {
    await api.init('wasm');
    await api.loadModel(modelFiles('tfjs-doodlenet'), 'DoodleNet');
  });

  it('times the model at growing batch sizes, keeps one of them, and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const report = await api.tune('wasm');
    expect(report.backend).toBe('wasm');
    const timings = report.measured?.wasm ?? [];
    expect(timings.length).toBeGreaterThanOrEqual(2);
    expect(timings.map((t) => t.batchSize)).toEqual(batchSizesFor('wasm', [28, 28, 1]).slice(0, timings.length));
    for (const t of timings) expect(t.msPerImage).toBeGreaterThan(0);
    expect(timings.map((t) => t.batchSize)).toContain(report.batchSize);
    expect(report.batchSize).toBe(pickBatch(timings).batchSize);
    expect(tf.memory().numTensors).toBe(before);
    console.log(`DoodleNet on WASM (Node), ms per image by batch: ${timings.map((t) => `${t.batchSize}: ${t.msPerImage.toFixed(2)}`).join(', ')} → ${report.batchSize}`);
  });

  it('the tuned engine still explains', async () => {
    const out = await api.explainImages([], {});
    expect(out).toEqual([]);
    expect(await api.backendName()).toBe('wasm');
  });
});

describe('model fingerprint', () => {
  const files = () => modelFiles('tfjs-doodlenet').map((f) => ({ name: f.name, bytes: f.bytes.slice() }));
  it('is stable, ignores file order, and changes with the weights', () => {
    const a = files();
    expect(fingerprint(a)).toMatch(/^[0-9a-f]{8}$/);
    expect(fingerprint([...a].reverse())).toBe(fingerprint(a));
    const b = files();
    const bin = b.find((f) => f.name.endsWith('.bin'))!;
    bin.bytes[100] ^= 1;
    expect(fingerprint(b)).not.toBe(fingerprint(a));
    const c = files();
    const end = c.find((f) => f.name.endsWith('.bin'))!;
    end.bytes[end.bytes.length - 1] ^= 1;
    expect(fingerprint(c)).not.toBe(fingerprint(a));
  });
});
