// Batch size and backend by timing the loaded model's own Grad-CAM step, not a stand-in: the
// cost per image falls with the batch until a backend is busy, and where that happens differs
// by orders of magnitude (WASM on 2 cores: a few tens; a datacentre GPU: hundreds, where WebGPU
// at batch 1 is slower than WASM but 10× faster at batch 256).
import * as tf from '@tensorflow/tfjs';
import type { CamEngine } from './camEngine';
import type { BackendName, BatchTiming } from './types';

/** Batch sizes tried per backend, smallest first. */
// WASM stops at 32: on 2 cores 64 was no faster in the app (decoding is the limit there) and its
// tape of activations grew the WASM heap, which never shrinks, by ~250 MB on a 96×96 model.
const SIZES: Record<BackendName, number[]> = { wasm: [8, 16, 32], cpu: [4, 16], webgl: [8, 32, 128], webgpu: [8, 32, 128, 256] };
/** Input values in one batch at most (256 images of 96×96×3): activations and gradients of a large input stay within memory. */
const MAX_BATCH_VALUES = 256 * 96 * 96 * 3;

export function batchSizesFor(backend: BackendName, inputShape: [number, number, number]): number[] {
  const cap = Math.max(1, Math.floor(MAX_BATCH_VALUES / (inputShape[0] * inputShape[1] * inputShape[2])));
  return [...new Set(SIZES[backend].map((s) => Math.min(s, cap)))];
}

/**
 * The batch to use: the largest within 10 % of the fastest per image. Timings this close are
 * within the noise of a shared machine, and every call also costs outside the engine (sending
 * the images, preparing them, taking in the results), which a larger batch pays less often.
 */
export function pickBatch(timings: BatchTiming[]): BatchTiming {
  const best = Math.min(...timings.map((t) => t.msPerImage));
  return timings.filter((t) => t.msPerImage <= best * 1.1).at(-1)!;
}

/**
 * The backend that gets through the most images a second when a CPU backend runs `cpuEngines`
 * engines at once (the command line: one per core, each on its own thread) and a GPU backend one
 * (one GPU), with `cpuMsPerImage` of CPU work an image besides the model's step (decoding,
 * preprocessing, drawing its overlay). A CPU engine does that work too, on its own core; a GPU's
 * engine is fed by the other cores, at most `cpuEngines − 1` images per `cpuMsPerImage`.
 * Measured on an H100 / H200 with 16 cores: WebGPU's Grad-CAM step ran 1,947–2,427 VWW images/s
 * against WASM's 200–299, yet 16 WASM engines explained 10,000 doodles 1.9–2.5× faster than the
 * GPU's one, and pinned to 2 cores the GPU explained VWW twice as fast as 2 WASM engines but took
 * twice as long in all (its one helper decoded every photo, twice, in JS).
 */
export function fastestBackend(measured: Partial<Record<BackendName, BatchTiming[]>>, cpuEngines: number, cpuMsPerImage = 0): { backend: BackendName; batchSize: number } | undefined {
  let best: { backend: BackendName; batchSize: number; rate: number } | undefined;
  for (const [name, timings] of Object.entries(measured) as [BackendName, BatchTiming[]][]) {
    if (!timings.length) continue;
    const pick = pickBatch(timings);
    const onCpu = name === 'wasm' || name === 'cpu';
    const rate = onCpu ? cpuEngines / (pick.msPerImage + cpuMsPerImage) : Math.min(1 / pick.msPerImage, cpuMsPerImage > 0 ? Math.max(1, cpuEngines - 1) / cpuMsPerImage : Infinity);
    if (!best || rate > best.rate) best = { backend: name, batchSize: pick.batchSize, rate };
  }
  return best && { backend: best.backend, batchSize: best.batchSize };
}

/**
 * Times engine.explain on the current backend at growing batch sizes: an untimed call per size
 * first (GPU backends compile shaders per shape, WASM's XNNPACK builds operators per shape: a
 * first call at batch 32 took twice the next), then the fastest of up to three timed calls
 * (fewer once 60 ms are timed). Stops when a batch is far slower per image than a smaller one (memory
 * thrashing), or before a size that would overrun `budgetMs`.
 */
export async function timeBatches(engine: CamEngine, backend: BackendName, budgetMs = 2500): Promise<BatchTiming[]> {
  const [h, w, c] = engine.info.inputShape;
  const out: BatchTiming[] = [];
  const started = performance.now();
  for (const size of batchSizesFor(backend, engine.info.inputShape)) {
    // a size is tried only if its untimed and timed calls, at the last rate, fit in the budget
    const last = out.at(-1);
    if (last && performance.now() - started + 2 * size * last.msPerImage > budgetMs) break;
    // random pixels cost what real images cost; the results are thrown away
    const x = tf.randomUniform([size, h, w, c]) as tf.Tensor4D;
    try {
      await engine.explain(x);
      let ms = Infinity;
      for (let run = 0, timed = 0; run < 3 && timed < 60; run++) {
        const t = performance.now();
        await engine.explain(x);
        const took = performance.now() - t;
        ms = Math.min(ms, took);
        timed += took;
      }
      out.push({ batchSize: size, msPerImage: ms / size });
    } finally {
      x.dispose();
    }
    if (out.at(-1)!.msPerImage > 1.5 * Math.min(...out.map((t) => t.msPerImage))) break; // past the knee
  }
  return out;
}
