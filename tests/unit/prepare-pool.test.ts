// The page's preparation workers, as the engine uses them (src/engine/preparePool.ts): the first
// alone while it keeps the engine fed, every one once the engine has waited for inputs twice.
import { afterEach, describe, expect, it } from 'vitest';
import { explaining, prepare, preparing, usePreparers, type Preparer } from '../../src/engine/preparePool';
import type { ModelInputSpec } from '../../src/image/preprocess';

const spec: ModelInputSpec = { width: 2, height: 2, channels: 3, scaling: '0..1' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Preparers that, like a worker, take one share after another, `ms` an image, and note how many images each prepared. */
function preparers(count: number, ms: number, used: number[]): Preparer[] {
  return Array.from({ length: count }, (_, k) => {
    let queue: Promise<unknown> = Promise.resolve();
    return (files) => {
      const done = queue.then(async () => {
        used[k] += files.length;
        await sleep(ms * files.length);
        return files.map((f) => ({ id: (f as { id: string }).id, input: new Float32Array(12) }));
      });
      queue = done;
      return done;
    };
  });
}

/** A run as the engine worker sees it: `batches` of 8 images, `inFlight` at once, each prepared then explained for `explainMs`. */
async function run(batches: number, inFlight: number, explainMs: number) {
  const files = (b: number) => Array.from({ length: 8 }, (_, i) => ({ id: `${b}-${i}`, bytes: new Uint8Array() }));
  let next = 0;
  const one = async (): Promise<void> => {
    const b = next++;
    if (b >= batches) return;
    const prepared = await preparing(() => prepare(files(b), spec));
    expect(prepared.map((p) => p.id)).toEqual(files(b).map((f) => f.id));
    // explaining is synchronous compute in the engine worker: it blocks the thread
    await explaining(async () => {
      const end = performance.now() + explainMs;
      while (performance.now() < end);
    });
    return one();
  };
  await Promise.all(Array.from({ length: inFlight }, one));
}

afterEach(() => usePreparers([]));

describe('preparation workers for the engine', () => {
  it('stay one while the engine is the slower (its next batch is ready when it finishes one)', async () => {
    const used = [0, 0];
    usePreparers(preparers(2, 0.5, used), 1);
    await run(12, 3, 60);
    expect(used).toEqual([96, 0]);
  });

  it('become all of them once the engine has waited for its inputs twice', async () => {
    const used = [0, 0];
    usePreparers(preparers(2, 5, used), 1);
    await run(12, 3, 5);
    // the batches split evenly once it has waited twice; the first few went to the first alone
    expect(used[1]).toBeGreaterThan(0);
    expect(used[0] - used[1]).toBeGreaterThanOrEqual(16);
    expect(used[0] + used[1]).toBe(96);
  });

  it('are all used from the start where the caller gives them so (the command line’s threads)', async () => {
    const used = [0, 0, 0];
    usePreparers(preparers(3, 1, used));
    await run(3, 1, 1);
    expect(used).toEqual([9, 9, 6]);
  });
});
