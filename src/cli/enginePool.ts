// The command line's engines, one per CPU core, each in a worker thread with its own TF.js and
// model (the built command line starts itself as each thread, see main.ts). A WASM engine
// computes on one core; the main thread only reads the zip, hands out batches and writes the
// export, so it never holds a thread's answer back. Each batch, and each export overlay, goes to
// the engine with the fewest calls waiting. With one job (or no built file to start), the
// in-process engine does it all.
import { Worker, type MessagePort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import api from '../engine/workerApi';
import type { BackendChoice, FaithfulnessRequest, ImageToExplain, RunOptions, SampleResult } from '../engine/types';
import { rememberDecodesOf } from '../image/decode';
import { rawMapOf, type ViewSettings } from '../results/view';
import type { InputGeometry } from '../render/overlay';
import type { FaithfulnessHow } from '../methods/faithfulness';
import { overlayPng, type OverlayPngMaker } from '../export/exportZip';

/** How overlays are drawn while explaining: the view (its own scale per image) and where each image sat in the model input. */
export interface DrawWhileExplaining {
  view: ViewSettings;
  geometry?: InputGeometry;
}

/** Copies of each item's bytes (out of the zip's buffer: a view would clone or pin the whole of it). */
const copies = <T extends { bytes: Uint8Array }>(items: T[]): T[] => items.map((it) => ({ ...it, bytes: it.bytes.slice() }));

/**
 * Explains a batch, then draws each explained image's overlay as the export would, from the same
 * decode (decode.ts: rememberDecodesOf): a JPEG is decoded once, not again at export time. The
 * images' bytes must be this call's own copies: the decodes are remembered as long as the bytes
 * live (a sample's own bytes live as long as the data set, and would keep every decoded image).
 */
async function explainAndDraw(images: ImageToExplain[], options: RunOptions, draw: DrawWhileExplaining): Promise<{ results: SampleResult[]; pngs: Record<string, Uint8Array> }> {
  rememberDecodesOf(images.map((im) => im.bytes));
  const results = await api.explainImages(images, options);
  const bytesOf = new Map(images.map((im) => [im.id, im.bytes]));
  const pngs: Record<string, Uint8Array> = {};
  for (const r of results) {
    if ('error' in r) continue;
    const map = rawMapOf(r, draw.view);
    if (map) pngs[r.id] = await overlayPng({ bytes: bytesOf.get(r.id)!, map, gridWidth: r.gridWidth, gridHeight: r.gridHeight, view: draw.view, geometry: draw.geometry });
  }
  return Comlink.transfer({ results, pngs }, Object.values(pngs).map((p) => p.buffer as ArrayBuffer));
}

/** What a thread serves: the engine, and export overlays drawn and encoded off the main thread. */
const threadApi = { ...api, overlayPng, explainAndDraw };
type ThreadApi = typeof threadApi;
type Engine = Pick<ThreadApi, 'explainImages' | 'faithfulness' | 'overlayPng' | 'explainAndDraw'>;

/** What the command line asks of its engines (one engine, or several as one). */
export type Engines = Omit<Engine, 'explainAndDraw'> & {
  /** How many engines compute at once. */
  count: number;
  /**
   * From now on, each explained image's overlay is drawn with it and kept (its PNG) until the
   * export takes it, while the kept PNGs stay under `budgetBytes`; later images are drawn at export.
   */
  drawWhileExplaining(draw: DrawWhileExplaining, budgetBytes: number): void;
  /** The overlay drawn while explaining this sample, handed over once. */
  takeOverlay(id: string): Uint8Array | undefined;
  close(): Promise<void>;
};

/** A worker thread's side: serves the engine API to the thread that started it. */
export function serveEngine(port: MessagePort) {
  Comlink.expose(threadApi, nodeEndpoint(port));
}

/** Own copies of the items' bytes, moved to the thread rather than cloned again. */
function moved<T extends { bytes: Uint8Array }>(items: T[]): T[] {
  const own = copies(items);
  return Comlink.transfer(own, own.map((it) => it.bytes.buffer));
}

/** Calls on another thread, with the image bytes moved. */
function remoteEngine(remote: Comlink.Remote<ThreadApi>): Engine {
  return {
    explainImages: (images: ImageToExplain[], options: RunOptions) => remote.explainImages(moved(images), options),
    faithfulness: (items: FaithfulnessRequest[], options: RunOptions, how?: FaithfulnessHow) => remote.faithfulness(moved(items), options, how),
    explainAndDraw: (images: ImageToExplain[], options: RunOptions, draw: DrawWhileExplaining) => remote.explainAndDraw(moved(images), options, draw),
    overlayPng: ((job) => {
      const bytes = job.bytes.slice();
      return remote.overlayPng(Comlink.transfer({ ...job, bytes }, [bytes.buffer]));
    }) as OverlayPngMaker,
  };
}

/**
 * `jobs` engines: with more than one, threads started from `entry` and set up like the in-process
 * engine (backend, model); otherwise the in-process engine. Threads that fail to start are left
 * out, with a line through `log`; if none starts, the in-process engine carries on alone.
 */
export async function startEngines(entry: URL | undefined, jobs: number, backend: BackendChoice, model: { files: { name: string; bytes: Uint8Array }[]; name: string }, log: (line: string) => void): Promise<Engines> {
  const workers: Worker[] = [];
  const engines: Engine[] = [];
  if (entry && jobs > 1) {
    const started = await Promise.allSettled(
      Array.from({ length: jobs }, async () => {
        const worker = new Worker(entry);
        workers.push(worker);
        const remote = Comlink.wrap<ThreadApi>(nodeEndpoint(worker));
        await remote.init(backend);
        await remote.loadModel(model.files, model.name);
        return remoteEngine(remote);
      }),
    );
    for (const s of started) {
      if (s.status === 'fulfilled') engines.push(s.value);
      else log(`An engine thread did not start (${(s.reason as Error).message}); carrying on with fewer.`);
    }
  }
  // in-process, explainAndDraw gets its own copies as a thread does (moved)
  if (!engines.length) engines.push({ ...threadApi, explainAndDraw: (images, options, draw) => explainAndDraw(copies(images), options, draw) });
  const waiting = engines.map(() => 0);
  /** Runs `call` on the engine with the fewest calls waiting. */
  async function onFreest<T>(call: (engine: Engine) => Promise<T>): Promise<T> {
    const i = waiting.indexOf(Math.min(...waiting));
    waiting[i]++;
    try {
      return await call(engines[i]);
    } finally {
      waiting[i]--;
    }
  }
  let drawing: DrawWhileExplaining | undefined;
  let budget = 0;
  const kept = new Map<string, Uint8Array>();
  return {
    count: engines.length,
    explainImages: (images, options) => {
      const draw = drawing;
      if (!draw) return onFreest((e) => e.explainImages(images, options));
      return onFreest(async (e) => {
        const { results, pngs } = await e.explainAndDraw(images, options ?? {}, draw);
        for (const [id, png] of Object.entries(pngs)) {
          kept.set(id, png);
          budget -= png.length;
        }
        if (budget < 0) drawing = undefined; // the rest are drawn at export time
        return results;
      });
    },
    drawWhileExplaining(draw, budgetBytes) {
      drawing = draw;
      budget = budgetBytes;
    },
    takeOverlay(id) {
      const png = kept.get(id);
      kept.delete(id);
      return png;
    },
    faithfulness: (items, options, how) => onFreest((e) => e.faithfulness(items, options, how)),
    overlayPng: (job) => onFreest((e) => e.overlayPng(job)),
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
