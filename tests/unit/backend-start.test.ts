// A backend that never finishes starting (as TF.js's threaded WASM did in a cross-origin isolated
// page) must not leave the app waiting forever: its start times out, and another backend starts.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { startBackend } from '../../src/engine/backend';
import type { BackendName } from '../../src/engine/types';

describe('starting a backend', () => {
  it('gives up on one that never starts, says so, and another starts and computes after it', async () => {
    // a backend whose factory never resolves: TF.js awaits it forever
    tf.registerBackend('never-starts', () => new Promise<never>(() => undefined));
    const t0 = performance.now();
    const hung = await startBackend('never-starts' as BackendName, 200);
    expect(hung).toEqual({ error: expect.stringMatching(/^did not start within 0.2 s/) });
    expect(tf.findBackendFactory('never-starts')).toBeNull(); // not tried again
    expect(performance.now() - t0).toBeLessThan(20_000); // gave up: did not wait on the start
    const cpu = await startBackend('cpu');
    expect(cpu).toHaveProperty('cpuKernels');
    expect(tf.getBackend()).toBe('cpu');
    expect(Array.from(await tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).data())).toEqual([4, 6]);
  });

  it('a backend that fails to start says why', async () => {
    tf.registerBackend('fails-to-start', () => Promise.reject(new Error('no device here')));
    expect(await startBackend('fails-to-start' as BackendName, 5000)).toEqual({ error: expect.stringMatching(/could not start|no device here/) });
    expect(await startBackend('cpu')).toHaveProperty('cpuKernels');
    tf.removeBackend('fails-to-start');
  });
});
