// Picks the fastest TF.js backend on this machine by timing a short convolution workload
// on each one that initialises (names lie: WebGL in software is 10–60× slower than WASM).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import { borrowMissingKernels } from './kernelFallback';

import type { BackendChoice, BackendName, BackendReport } from './types';

const isBrowser = typeof self !== 'undefined' && typeof (self as { navigator?: unknown }).navigator !== 'undefined' && typeof process === 'undefined';

async function tryBackend(name: BackendName): Promise<string | undefined> {
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return 'could not start';
    await tf.ready();
    return undefined;
  } catch (e) {
    return (e as Error).message || 'could not start';
  }
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

const borrowed = new Map<string, string[]>();

export async function chooseBackend(choice: BackendChoice = 'auto'): Promise<BackendReport> {
  const report: BackendReport = { backend: 'cpu', probe: {}, unavailable: {} };
  const names: BackendName[] = choice !== 'auto' ? [choice] : isBrowser ? ['webgpu', 'webgl', 'wasm'] : ['wasm'];
  for (const name of names) {
    const why = await tryBackend(name);
    if (why) {
      report.unavailable[name] = why;
      continue;
    }
    report.probe[name] = names.length > 1 ? await timeProbe() : 0;
  }
  const started = Object.entries(report.probe) as [BackendName, number][];
  const best = started.sort((a, b) => a[1] - b[1])[0]?.[0];
  report.backend = best ?? 'cpu';
  const why = await tryBackend(report.backend);
  if (why) throw new Error(`No TF.js backend could start (${why})`);
  report.cpuKernels = borrowed.get(report.backend) ?? borrowMissingKernels(report.backend);
  borrowed.set(report.backend, report.cpuKernels);
  return report;
}
