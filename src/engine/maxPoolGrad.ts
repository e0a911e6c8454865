// MaxPoolGrad on flat arrays, routing each output's gradient to the first maximum of its window
// (row-major, padding skipped): TensorFlow's rule, and TF.js's CPU kernel's. WASM's own kernel
// breaks ties otherwise, and TF.js's CPU kernel is slow (per-element buffer indexing).
import * as tf from '@tensorflow/tfjs';
import { wasmFloats } from './wasmMemory';

export interface PoolGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  channels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

/** dx for NHWC max pooling, given the input x and the output gradient dy; into `dx` when given (it is zeroed first). */
export function maxPoolGradFirstMax(x: ArrayLike<number>, dy: ArrayLike<number>, g: PoolGeometry, out?: Float32Array): Float32Array {
  const dx = out ?? new Float32Array(g.batch * g.inHeight * g.inWidth * g.channels);
  if (out) out.fill(0);
  const { channels: k } = g;
  for (let b = 0; b < g.batch; b++) {
    const xb = b * g.inHeight * g.inWidth * k;
    const yb = b * g.outHeight * g.outWidth * k;
    for (let yr = 0; yr < g.outHeight; yr++) {
      for (let yc = 0; yc < g.outWidth; yc++) {
        const r0 = yr * g.strideHeight - g.padTop;
        const c0 = yc * g.strideWidth - g.padLeft;
        for (let d = 0; d < k; d++) {
          let best = -Infinity;
          let at = -1;
          for (let r = Math.max(r0, 0); r < Math.min(r0 + g.filterHeight, g.inHeight); r++) {
            for (let c = Math.max(c0, 0); c < Math.min(c0 + g.filterWidth, g.inWidth); c++) {
              const i = xb + (r * g.inWidth + c) * k + d;
              if (x[i] > best || at < 0) {
                best = x[i];
                at = i;
              }
            }
          }
          if (at >= 0) dx[at] += dy[yb + (yr * g.outWidth + yc) * k + d];
        }
      }
    }
  }
  return dx;
}

/** A MaxPoolGrad kernel for `backendName` built on maxPoolGradFirstMax. */
export function registerFirstMaxPoolGrad(backendName: string) {
  if (tf.getKernel('MaxPoolGrad', backendName)) tf.unregisterKernel('MaxPoolGrad', backendName);
  tf.registerKernel({
    kernelName: 'MaxPoolGrad',
    backendName,
    kernelFunc: ({ inputs, attrs, backend: own }) => {
      const backend = own as tf.KernelBackend;
      const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
      const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as { filterSize: [number, number] | number; strides: [number, number] | number; pad: 'valid' | 'same' | number; dimRoundingMode?: 'floor' | 'round' | 'ceil' };
      const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
      const geometry: PoolGeometry = {
        batch: info.batchSize,
        inHeight: info.inHeight,
        inWidth: info.inWidth,
        channels: info.inChannels,
        outHeight: info.outHeight,
        outWidth: info.outWidth,
        filterHeight: info.filterHeight,
        filterWidth: info.filterWidth,
        strideHeight: info.strideHeight,
        strideWidth: info.strideWidth,
        padTop: info.padInfo.top,
        padLeft: info.padInfo.left,
      };
      const size = tf.util.sizeFromShape(input.shape);
      // on WASM, in place (wasmMemory.ts): the output allocated first, as that may move the
      // backend's memory, and only then the views taken
      if (wasmFloats(backend, input.dataId, size)) {
        const out = backend.write(null as unknown as Float32Array, input.shape, 'float32');
        const view = (id: object, n: number) => wasmFloats(backend, id, n)!;
        maxPoolGradFirstMax(view(input.dataId, size), view(dy.dataId, tf.util.sizeFromShape(dy.shape)), geometry, view(out, size));
        return { dataId: out, shape: input.shape, dtype: 'float32' };
      }
      const copy = maxPoolGradFirstMax(backend.readSync(input.dataId) as Float32Array, backend.readSync(dy.dataId) as Float32Array, geometry);
      return { dataId: backend.write(copy, input.shape, 'float32'), shape: input.shape, dtype: 'float32' };
    },
  });
}
