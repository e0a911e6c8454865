// A lost GPU: a driver reset, the system reclaiming the GPU's memory, WebGPU's device.destroy(),
// WebGL's context loss. TF.js does not notice — a lost WebGL context computes zeros or waits on a
// fence forever, a destroyed WebGPU device fails only its reads — so the engine watches for it
// and fails instead, with a message the page knows as fatal (workerClient.ts: isEngineFatal), which
// then starts a fresh engine and carries the run on. Results computed while the device was being
// lost are dropped, never shown.
import * as tf from '@tensorflow/tfjs';

interface GpuDevice {
  lost: Promise<{ reason?: string; message: string }>;
  destroy(): void;
}
interface WebGlBackend {
  gpgpu?: { gl?: WebGL2RenderingContext };
}

let lost: string | undefined;
let watched: unknown;

const webglOf = () => (tf.getBackend() === 'webgl' ? (tf.backend() as unknown as WebGlBackend).gpgpu?.gl : undefined);
const webgpuOf = () => (tf.getBackend() === 'webgpu' ? (tf.backend() as unknown as { device?: GpuDevice }).device : undefined);

/** Starts watching the current backend's device (once per device). */
function watch() {
  const device = webgpuOf();
  if (device && watched !== device) {
    watched = device;
    void device.lost.then((info) => {
      if (watched === device) lost = `the GPU device was lost (${info.reason ?? 'unknown'}: ${info.message || 'no detail'})`;
    });
  }
  const gl = webglOf();
  if (gl && watched !== gl) {
    watched = gl;
    (gl.canvas as EventTarget).addEventListener?.('webglcontextlost', () => {
      if (watched === gl) lost = 'the WebGL context was lost';
    });
  }
}

/** Throws when the engine's GPU device or context is lost: nothing it computes can be trusted any more. */
export function checkDevice() {
  watch();
  if (!lost && webglOf()?.isContextLost()) lost = 'the WebGL context was lost';
  if (lost) throw new Error(`The engine cannot go on: ${lost}.`);
}

/**
 * Loses the current backend's GPU device or context, as a driver reset would (for the end-to-end
 * tests and diagnostics; reachable only from the worker's own global, never from the page's UI).
 * Returns what was lost, or undefined on a backend without one.
 */
export function loseDevice(): string | undefined {
  watch();
  const device = webgpuOf();
  if (device) return device.destroy(), 'webgpu device';
  const gl = webglOf();
  const ext = gl?.getExtension('WEBGL_lose_context');
  if (ext) return ext.loseContext(), 'webgl context';
  return undefined;
}

/**
 * Runs an engine call; if it fails while the device is being lost (WebGPU: "Buffer was unmapped
 * before mapping was resolved", reported before device.lost settles), the failure is reported as
 * the loss itself, which the page knows to recover from.
 */
export async function checkingDevice<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    await new Promise((r) => setTimeout(r, 50)); // lets device.lost settle
    checkDevice();
    throw e;
  }
}
