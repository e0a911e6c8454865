// Starting TF.js backends, and a quick first sort of them: a small convolution timed on each
// one that starts (names lie: WebGL in software is 10–60× slower than WASM). The real choice
// times the loaded model itself (tune.ts, workerApi.tune).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import { borrowMissingKernels } from './kernelFallback';

import type { BackendChoice, BackendName, BackendReport } from './types';

export const isBrowser = typeof self !== 'undefined' && typeof (self as { navigator?: unknown }).navigator !== 'undefined' && typeof process === 'undefined';

const borrowed = new Map<string, string[]>();

/**
 * How long a backend has to start. WASM starts in well under a second here, a GPU backend's first
 * device in a few; one that has not started by then never will (served cross-origin isolated,
 * TF.js's threaded WASM waited forever on threads that could not start: the page said "Starting
 * the backend…" and nothing more). The next backend is tried instead, and the reason shown.
 * (setBackend resolves once the backend has started: no tf.ready() after it, which would wait on
 * any start still pending.)
 */
export const START_TIMEOUT_MS = 30_000;

/** Makes `name` the current backend; returns why it could not start, or the CPU kernels it borrows. */
export async function startBackend(name: BackendName, timeoutMs = START_TIMEOUT_MS): Promise<{ error: string } | { cpuKernels: string[] }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
  try {
    const ok = await Promise.race([tf.setBackend(name), late]);
    if (ok === 'late') {
      // TF.js refuses every operation while a start is pending, whatever backend is set after it:
      // removing the backend drops the pending start (its result is ignored if it ever comes)
      tf.removeBackend(name);
      return { error: `did not start within ${timeoutMs / 1000} s; not tried again until the page is reloaded` };
    }
    if (!ok) return { error: 'could not start' };
  } catch (e) {
    return { error: (e as Error).message || 'could not start' };
  } finally {
    clearTimeout(timer);
  }
  if (!borrowed.has(name)) borrowed.set(name, borrowMissingKernels(name));
  return { cpuKernels: borrowed.get(name)! };
}

async function timeProbe(): Promise<number> {
  const work = () =>
    tf.tidy(() => {
      const x = tf.ones([4, 32, 32, 16]);
      const f = tf.ones([3, 3, 16, 16]).mul(0.01);
      let y = tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same');
      y = tf.conv2d(y, f as tf.Tensor4D, 1, 'same');
      return y.sum();
    });
  await work().data(); // warm-up: shader compilation, wasm init
  const runs = 3;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) {
    const r = work();
    await r.data();
    r.dispose();
  }
  return (performance.now() - t0) / runs;
}

const SOFTWARE = /swiftshader|llvmpipe|softpipe|software/i;

/**
 * The renderer's name when a GPU backend would run on the CPU emulating a GPU (SwiftShader,
 * llvmpipe): such a backend is never faster than WASM and takes seconds to compile its shaders,
 * so 'auto' does not start it at all. Undefined for a real GPU, or when the browser will not say.
 */
export async function softwareGpu(name: 'webgl' | 'webgpu'): Promise<string | undefined> {
  try {
    if (name === 'webgl') {
      if (typeof OffscreenCanvas !== 'function') return undefined;
      const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
      if (!gl) return undefined;
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
      gl.getExtension('WEBGL_lose_context')?.loseContext();
      return SOFTWARE.test(renderer) ? renderer : undefined;
    }
    type Adapter = { isFallbackAdapter?: boolean; info?: Record<string, string> };
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<Adapter | null> } }).gpu;
    const adapter = await gpu?.requestAdapter();
    if (!adapter) return undefined;
    const text = ['vendor', 'architecture', 'device', 'description'].map((k) => adapter.info?.[k] ?? '').join(' ').trim();
    return adapter.isFallbackAdapter || SOFTWARE.test(text) ? text || 'a fallback adapter' : undefined;
  } catch {
    return undefined;
  }
}

/** Starts each backend in turn and times the small convolution on those that start. */
export async function probeBackends(names: BackendName[]): Promise<Pick<BackendReport, 'probe' | 'unavailable'>> {
  const out: Pick<BackendReport, 'probe' | 'unavailable'> = { probe: {}, unavailable: {} };
  for (const name of names) {
    const started = await startBackend(name);
    if ('error' in started) out.unavailable[name] = started.error;
    else out.probe[name] = await timeProbe();
  }
  return out;
}

/**
 * Starts the chosen backend, only that one. 'auto' before a model is measured starts WASM (fast
 * on any CPU, nothing to compile), else the first that starts of WebGL and the CPU.
 */
export async function chooseBackend(choice: BackendChoice = 'auto'): Promise<BackendReport> {
  const report: BackendReport = { backend: 'cpu', probe: {}, unavailable: {} };
  const names: BackendName[] = choice !== 'auto' ? [choice] : isBrowser ? ['wasm', 'webgl', 'cpu'] : ['wasm', 'cpu'];
  for (const name of names) {
    const started = await startBackend(name);
    if ('error' in started) {
      report.unavailable[name] = started.error;
      continue;
    }
    return { ...report, backend: name, cpuKernels: started.cpuKernels };
  }
  throw new Error(`No TF.js backend could start (${Object.entries(report.unavailable).map(([k, v]) => `${k}: ${v}`).join('; ')})`);
}
