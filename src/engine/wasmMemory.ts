// Float tensors' values where the WASM backend keeps them, read and written in place. Copies out
// (readSync, data()) and in (write) were garbage that piled up in the engine's worker between its
// collections: at 10,000 doodles, activations, gradients and MaxPoolGrad's input and output, a few
// hundred kB each a batch, held ~35 MB of the renderer's peak. A view is valid only until the
// backend's next allocation (its memory may grow and move): use it at once, with no await between.
import * as tf from '@tensorflow/tfjs';

type WasmBackend = { wasm?: { HEAPU8: Uint8Array }; dataIdMap?: { has(id: object): boolean; get(id: object): { memoryOffset: number | null } | undefined } };

/** The float32 values of `dataId` on `backend` when it is the WASM backend; undefined elsewhere. */
export function wasmFloats(backend: unknown, dataId: object, size: number): Float32Array | undefined {
  const b = backend as WasmBackend;
  // has() first: get() of data held by another backend moves it here, an allocation
  const at = b.wasm && b.dataIdMap?.has(dataId) ? b.dataIdMap.get(dataId)?.memoryOffset : undefined;
  if (!b.wasm || typeof at !== 'number') return undefined;
  return new Float32Array(b.wasm.HEAPU8.buffer, at, size);
}

/** A float tensor's values in place on the WASM backend (no copy); undefined on other backends. */
export function wasmView(t: tf.Tensor): Float32Array | undefined {
  if (t.dtype !== 'float32' || tf.getBackend() !== 'wasm') return undefined;
  return wasmFloats(tf.backend(), t.dataId, t.size);
}
