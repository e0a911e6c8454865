// Where the engine gets its inputs from: a pool of preparation workers in the browser (decoding
// and preprocessing off the engine's thread, on the other cores), or in-process where
// there are no workers (Node: tests, the command line).
import { wrap, type Remote } from 'comlink';
import { prepareImages, type FileToPrepare, type PreparedImage } from '../image/prepare';
import type { ModelInputSpec } from '../image/preprocess';
import type { PrepareApi } from '../workers/prepare';

let pool: Remote<PrepareApi>[] | undefined;

function workers(): Remote<PrepareApi>[] {
  if (!pool) {
    // one core for the engine, one for the page; the rest (at least one) prepare
    const n = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 2));
    pool = Array.from({ length: n }, (_, i) => wrap<PrepareApi>(new Worker(new URL('../workers/prepare.ts', import.meta.url), { type: 'module', name: `gradcam-prepare-${i}` })));
  }
  return pool;
}

const inBrowser = typeof Worker === 'function' && typeof OffscreenCanvas === 'function';

export async function prepare(files: FileToPrepare[], spec: ModelInputSpec, maxPixels?: number): Promise<PreparedImage[]> {
  if (!inBrowser || files.length === 0) return prepareImages(files, spec, maxPixels);
  const ws = workers();
  const per = Math.ceil(files.length / ws.length);
  const parts = await Promise.all(ws.map((w, i) => {
    const part = files.slice(i * per, (i + 1) * per);
    return part.length ? w.prepare(part, spec, maxPixels) : Promise.resolve([]);
  }));
  return parts.flat();
}
