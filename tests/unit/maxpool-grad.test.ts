// WASM's MaxPoolGrad is replaced by one that routes ties to the first maximum, as TensorFlow and
// TF.js's CPU kernel do; it must equal the CPU kernel exactly, ties, padding and strides included.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import api from '../../src/engine/workerApi';

beforeAll(async () => {
  await api.init('wasm');
});

async function gradOn(backend: string, x: number[], shape: [number, number, number, number], size: number, stride: number, pad: 'valid' | 'same') {
  await tf.setBackend(backend);
  const t = tf.tensor4d(x, shape);
  // weight each output differently, so a misrouted gradient shows
  const g = tf.grad((a: tf.Tensor) => {
    const y = tf.maxPool(a as tf.Tensor4D, size, stride, pad);
    return y.mul(tf.range(1, 1 + y.size).reshape(y.shape)).sum();
  })(t);
  const out = Array.from(await g.data());
  tf.dispose([t, g]);
  return out;
}

describe('MaxPoolGrad on WASM', () => {
  it('routes ties to the first maximum, like the CPU kernel', async () => {
    const x = [0, 0, 0, 0, 1, 2, 2, 1];
    expect(await gradOn('wasm', x, [2, 2, 2, 1], 2, 2, 'valid')).toEqual(await gradOn('cpu', x, [2, 2, 2, 1], 2, 2, 'valid'));
  });
  it.each([
    [2, 2, 'valid'],
    [3, 2, 'same'],
    [3, 1, 'same'],
    [2, 1, 'valid'],
  ] as const)('equals the CPU kernel on quantised random input (size %i, stride %i, %s)', async (size, stride, pad) => {
    const shape: [number, number, number, number] = [2, 7, 6, 3];
    const x = Array.from({ length: 2 * 7 * 6 * 3 }, (_, i) => Math.round(Math.sin(i * 12.9898) * 3)); // many ties
    const wasm = await gradOn('wasm', x, shape, size, stride, pad);
    await tf.setBackend('wasm');
    expect(wasm).toEqual(await gradOn('cpu', x, shape, size, stride, pad));
    await tf.setBackend('wasm');
  });
});
