// The command line's engines, one per CPU core, each in a worker thread with its own TF.js and
// model (the built command line starts itself as each thread, see main.ts). A WASM engine
// computes on one core; the main thread only reads the zip, hands out batches and writes the
// export, so it never holds a thread's answer back. Each batch, and each export overlay, goes to
// the engine with the fewest calls waiting. With one job (or no built file to start), the
// in-process engine does it all. On a GPU (WebGPU) one engine, in-process, does all the model's
// work, and the threads are its helpers: they decode and preprocess its inputs and draw the
// overlays (the GPU explains hundreds of images a second; one CPU decodes a few dozen photos).
import { Worker, type MessagePort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import api, { resultBuffers } from '../engine/workerApi';
import type { BackendChoice, FaithfulnessRequest, ImageToExplain, ImageToPrepare, RunOptions, SampleResult } from '../engine/types';
import { rememberDecodesOf } from '../image/decode';
import { rawMapOf, type ViewSettings } from '../results/view';
import type { InputGeometry, OverlayJob } from '../render/overlay';
import type { FaithfulnessHow } from '../methods/faithfulness';
import { overlayPngNode as overlayPng } from './png';
import { bytesOf, inputBuffers } from '../image/prepare';
import { readAndPrepare, type FileOrOnDisk } from '../sources/datasets/readAndPrepare';
import type { ModelInputSpec } from '../image/preprocess';
import { usePreparers, type Preparer } from '../engine/preparePool';
import { withCrc, type WithCrc } from '../common/zipCrc';

/**
 * An overlay drawn and encoded, summed for the zip on the thread that drew it: summed on the main
 * thread, which writes the zip (and on a GPU runs the engine), it cost ~1 ms a photo there.
 */
async function encodedOverlay(job: OverlayJob): Promise<WithCrc> {
  return withCrc(await overlayPng(job));
}

/** How overlays are drawn while explaining: the view (its own scale per image) and where each image sat in the model input. */
export interface DrawWhileExplaining {
  view: ViewSettings;
  geometry?: InputGeometry;
}

/** Copies of each item's bytes (out of the zip's buffer: a view would clone or pin the whole of it). */
// (an item on disk, which only the page sends, its preparation workers reading it, has no bytes here)
type Carried = { bytes: Uint8Array } | { deflated: Uint8Array } | { onDisk: unknown };
const copies = <T extends Carried>(items: T[]): T[] => items.map((it) => ('bytes' in it ? { ...it, bytes: it.bytes.slice() } : 'deflated' in it ? { ...it, deflated: it.deflated.slice() } : it));
const buffersOf = (items: Carried[]) => items.flatMap((it) => ('bytes' in it ? [it.bytes.buffer as ArrayBuffer] : 'deflated' in it ? [it.deflated.buffer as ArrayBuffer] : []));
/** Items with their bytes (a deflated item is inflated here). */
const withBytes = (items: ImageToPrepare[]): ImageToExplain[] =>
  items.map((it) => {
    if ('bytes' in it) return it;
    if ('onDisk' in it) throw new Error('a file on disk is read by the page\'s preparation workers, not here');
    return { id: it.id, bytes: bytesOf(it), targetClass: it.targetClass };
  });

/**
 * Explains a batch, then draws each explained image's overlay as the export would, from the same
 * decode (decode.ts: rememberDecodesOf): a JPEG is decoded once, not again at export time. The
 * images' bytes must be this call's own copies: the decodes are remembered as long as the bytes
 * live (a sample's own bytes live as long as the data set, and would keep every decoded image).
 */
async function explainAndDraw(items: ImageToPrepare[], options: RunOptions, draw: DrawWhileExplaining): Promise<{ results: SampleResult[]; pngs: Record<string, WithCrc> }> {
  const images = withBytes(items); // a deflated entry inflated here, on the engine's thread
  rememberDecodesOf(images.map((im) => im.bytes));
  const results = await api.explainImages(images, options);
  const bytesOf = new Map(images.map((im) => [im.id, im.bytes]));
  const pngs: Record<string, WithCrc> = {};
  for (const r of results) {
    if ('error' in r) continue;
    const map = rawMapOf(r, draw.view);
    if (map) pngs[r.id] = await encodedOverlay({ bytes: bytesOf.get(r.id)!, map, gridWidth: r.gridWidth, gridHeight: r.gridHeight, view: draw.view, geometry: draw.geometry });
  }
  return Comlink.transfer({ results, pngs }, [...Object.values(pngs).map((p) => p.png.buffer as ArrayBuffer), ...resultBuffers(results)]);
}

/** A batch explained, its maps moved to the calling thread rather than copied. */
async function movingResults(images: ImageToPrepare[], options: RunOptions): Promise<SampleResult[]> {
  const results = await api.explainImages(images, options);
  return Comlink.transfer(results, resultBuffers(results));
}

/** A helper's share of a batch, decoded and preprocessed, for the engine on the GPU. */
async function prepare(files: FileOrOnDisk[], spec: ModelInputSpec, maxPixels?: number) {
  const out = await readAndPrepare(files, spec, maxPixels);
  return Comlink.transfer(out, inputBuffers(out));
}

/** An overlay for the export, its PNG moved to the calling thread. */
async function movingOverlay(job: OverlayJob): Promise<WithCrc> {
  const made = await encodedOverlay(job);
  return Comlink.transfer(made, [made.png.buffer as ArrayBuffer]);
}

/** What a thread serves: the engine, inputs prepared for another engine, and export overlays drawn and encoded off the main thread. */
const threadApi = { ...api, explainImages: movingResults, overlayPng: movingOverlay, explainAndDraw, prepare };
type ThreadApi = typeof threadApi;
type Engine = Pick<ThreadApi, 'explainImages' | 'faithfulness' | 'overlayPng' | 'explainAndDraw'>;

/** What the command line asks of its engines (one engine, or several as one). */
export type Engines = Omit<Engine, 'explainAndDraw'> & {
  /** How many engines compute at once. */
  count: number;
  /** How many threads draw export overlays at once (the engines, or on a GPU its helpers and its own thread). */
  drawers: number;
  /** How many threads prepare the engines' inputs besides them (on a GPU, its helpers; else none). */
  helpers: number;
  /**
   * From now on, each explained image's overlay is drawn with it and kept (its PNG) until the
   * export takes it, while the kept PNGs stay under `budgetBytes`; those explained while they do
   * not are drawn at export.
   */
  drawWhileExplaining(draw: DrawWhileExplaining, budgetBytes: number): void;
  /** The overlay drawn while explaining this sample, handed over once. */
  takeOverlay(id: string): WithCrc | undefined;
  close(): Promise<void>;
};

/** A worker thread's side: serves the engine API to the thread that started it. */
export function serveEngine(port: MessagePort) {
  Comlink.expose(threadApi, nodeEndpoint(port));
}

/** Own copies of the items' bytes, moved to the thread rather than cloned again. */
function moved<T extends Carried>(items: T[]): T[] {
  const own = copies(items);
  return Comlink.transfer(own, buffersOf(own));
}

/** Calls on another thread, with the image bytes moved. */
function remoteEngine(remote: Comlink.Remote<ThreadApi>): Engine {
  return {
    explainImages: (images: ImageToPrepare[], options: RunOptions) => remote.explainImages(moved(images), options),
    faithfulness: (items: FaithfulnessRequest[], options: RunOptions, how?: FaithfulnessHow) => remote.faithfulness(moved(items), options, how),
    explainAndDraw: (images: ImageToPrepare[], options: RunOptions, draw: DrawWhileExplaining) => remote.explainAndDraw(moved(images), options, draw),
    overlayPng: (job: OverlayJob) => {
      const bytes = job.bytes.slice();
      return remote.overlayPng(Comlink.transfer({ ...job, bytes }, [bytes.buffer]));
    },
  };
}

/** Threads started from `entry`, each serving threadApi once `setUp` is done; those that fail are left out, with a line through `log`. */
async function startThreads(entry: URL, count: number, setUp: (remote: Comlink.Remote<ThreadApi>) => Promise<unknown>, log: (line: string) => void) {
  const workers: Worker[] = [];
  const remotes: Comlink.Remote<ThreadApi>[] = [];
  const started = await Promise.allSettled(
    Array.from({ length: count }, async () => {
      const worker = new Worker(entry);
      workers.push(worker);
      const remote = Comlink.wrap<ThreadApi>(nodeEndpoint(worker));
      await setUp(remote);
      return remote;
    }),
  );
  for (const s of started) {
    if (s.status === 'fulfilled') remotes.push(s.value);
    else log(`A thread did not start (${(s.reason as Error).message}); carrying on with fewer.`);
  }
  return { workers, remotes };
}

/** Runs each call on the item of `list` with the fewest calls waiting. */
function freest<E>(list: E[]) {
  const waiting = list.map(() => 0);
  return async <T>(call: (item: E) => Promise<T>): Promise<T> => {
    const i = waiting.indexOf(Math.min(...waiting));
    waiting[i]++;
    try {
      return await call(list[i]);
    } finally {
      waiting[i]--;
    }
  };
}

/**
 * `jobs` engines: with more than one, threads started from `entry` and set up like the in-process
 * engine (backend, model); otherwise the in-process engine. On WebGPU, the in-process engine and
 * `jobs` − 1 helper threads (above; `onGpu` chooses this layout, and tests choose it on the CPU).
 * Threads that fail to start are left out, with a line through `log`; if none starts, the
 * in-process engine carries on alone.
 */
export async function startEngines(entry: URL | undefined, jobs: number, backend: BackendChoice, model: { files: { name: string; bytes: Uint8Array }[]; name: string }, log: (line: string) => void, onGpu = backend === 'webgpu'): Promise<Engines> {
  const threadCount = !entry || jobs < 2 ? 0 : onGpu ? jobs - 1 : jobs;
  const setUp = onGpu ? (remote: Comlink.Remote<ThreadApi>) => remote.ping() : async (remote: Comlink.Remote<ThreadApi>) => {
    await remote.init(backend);
    await remote.loadModel(model.files, model.name);
  };
  const { workers, remotes } = threadCount ? await startThreads(entry!, threadCount, setUp, log) : { workers: [], remotes: [] };
  // in-process, explainAndDraw gets its own copies as a thread does (moved)
  const inProcess: Engine = { ...threadApi, explainAndDraw: (images, options, draw) => explainAndDraw(copies(images), options, draw) };
  const helping = onGpu && remotes.length > 0;
  if (helping) usePreparers(remotes.map((r): Preparer => (files, spec, maxPixels) => r.prepare(moved(files), spec, maxPixels)));
  const engines: Engine[] = helping || !remotes.length ? [inProcess] : remotes.map(remoteEngine);
  const onFreest = freest(engines);
  // the helpers draw the export; the GPU engine's thread, which also writes the zip, does not: drawing
  // there too made 10,000 doodles' export ~6× slower on 16 cores (H200) and gave nothing on 2
  const drawOnFreest = helping ? freest(remotes.map(remoteEngine)) : onFreest;
  let drawing: DrawWhileExplaining | undefined;
  let budget = 0;
  const kept = new Map<string, WithCrc>();
  return {
    count: engines.length,
    drawers: helping ? remotes.length : engines.length,
    helpers: helping ? remotes.length : 0,
    explainImages: (images, options) => {
      // drawn with the batch while the PNGs waiting for the zip are within the budget
      const draw = budget > 0 ? drawing : undefined;
      if (!draw) return onFreest((e) => e.explainImages(images, options));
      return onFreest(async (e) => {
        const { results, pngs } = await e.explainAndDraw(images, options ?? {}, draw);
        for (const [id, png] of Object.entries(pngs)) {
          kept.set(id, png);
          budget -= png.png.length;
        }
        return results;
      });
    },
    drawWhileExplaining(draw, budgetBytes) {
      if (helping) return; // the GPU's thread only explains; the helpers draw at export time
      drawing = draw;
      budget = budgetBytes;
    },
    takeOverlay(id) {
      const png = kept.get(id);
      kept.delete(id);
      if (png) budget += png.png.length;
      return png;
    },
    faithfulness: (items, options, how) => onFreest((e) => e.faithfulness(items, options, how)),
    overlayPng: (job) => drawOnFreest((e) => e.overlayPng(job)),
    async close() {
      if (helping) usePreparers([]);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
