// Web Worker entry: points the WASM backend at its files, then exposes the engine API.
import { expose, transfer } from 'comlink';
import { env } from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import api, { resultBuffers } from './workerApi';
import { checkingDevice, loseDevice } from './device';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasm,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});
// Never the threaded build, which a page served cross-origin isolated (COOP + COEP headers: shared
// memory) would get: it starts its threads from the script of a classic worker, and this one is a
// bundled module worker, so they failed ("e is not defined") and the engine never became ready.
// Its threads would share this machine's cores with the preparation workers and the page anyway.
env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
// A batch's maps move to the page rather than being copied (a copy an image, and the worker's
// own buffer left as garbage until its heap was next collected).
const moving = { ...api, explainImages: async (...args: Parameters<typeof api.explainImages>) => {
  const results = await api.explainImages(...args);
  return transfer(results, resultBuffers(results));
} };
// every call: a failure on a GPU device being lost is reported as the loss (see device.ts)
const guarded = Object.fromEntries(Object.entries(moving).map(([name, f]) => [name, (...args: unknown[]) => checkingDevice(() => (f as (...a: unknown[]) => Promise<unknown>)(...args))]));
expose(guarded);
// Diagnostics on the worker's own global (the page's UI never calls it): lose the GPU device or
// context as a driver reset would; tests/e2e/device-lost.test.ts calls it through Playwright.
(self as unknown as { gradcamEngine: object }).gradcamEngine = { loseDevice };
