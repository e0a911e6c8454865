// Engine throughput, measured side by side in one run (vitest bench prints the ratios):
//   npm run bench
// Batch size (1, 16, 64 images a call) on WASM, and WASM against the pure-JS CPU backend.
import * as tf from '@tensorflow/tfjs';
import { bench, describe } from 'vitest';
import api from '../src/engine/workerApi';
import { CamEngine } from '../src/engine/camEngine';
import { loadLayersModel } from '../src/engine/loadModel';
import { toModelInput } from '../src/image/preprocess';
import { grayToRgba, modelFiles, quickdrawRows } from '../tests/helpers';

await api.init('wasm');
const engine = new CamEngine(await loadLayersModel(modelFiles('tfjs-doodlenet')));
const spec = { width: 28, height: 28, channels: 1 as const, scaling: '0..1' as const };
const images = quickdrawRows('rainbow', 0, 64).map((r) => toModelInput(grayToRgba(r), spec));

async function explainAll(batch: number) {
  for (let i = 0; i < images.length; i += batch) {
    const part = images.slice(i, i + batch);
    const x = tf.tensor4d(Float32Array.from(part.flatMap((p) => [...p])), [part.length, 28, 28, 1]);
    await engine.explain(x);
    x.dispose();
  }
}

describe('DoodleNet, 64 doodles, all CAM maps (WASM): images per call', () => {
  bench('batch 1', () => explainAll(1), { iterations: 3, warmupIterations: 1 });
  bench('batch 16', () => explainAll(16), { iterations: 5, warmupIterations: 1 });
  bench('batch 64', () => explainAll(64), { iterations: 5, warmupIterations: 1 });
});

describe('DoodleNet, 64 doodles, batch 16: backend', () => {
  bench('wasm', async () => {
    await tf.setBackend('wasm');
    await explainAll(16);
  }, { iterations: 3, warmupIterations: 1 });
  bench('cpu (pure JS)', async () => {
    await tf.setBackend('cpu');
    await explainAll(16);
  }, { iterations: 2, warmupIterations: 1 });
});
