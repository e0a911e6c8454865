// Where the engine gets its inputs from: a pool of preparation workers in the browser (decoding
// and preprocessing off the engine's thread, on the other cores), the command line's threads when
// they feed one engine on a GPU, or in-process (Node: tests, the command line on the CPU).
import { wrap, type Remote } from 'comlink';
import { prepareImages, type FileToPrepare, type PreparedImage } from '../image/prepare';
import type { ModelInputSpec } from '../image/preprocess';
import type { PrepareApi } from '../workers/prepare';

let pool: Remote<PrepareApi>[] | undefined;

/** The page's preparation workers, reached through ports (engine/preparationWorkers.ts), instead of workers of the engine's own. */
export function usePreparationPorts(ports: MessagePort[]) {
  if (ports.length) pool = ports.map((p) => wrap<PrepareApi>(p));
}

function workers(): Remote<PrepareApi>[] {
  if (!pool) {
    // one core for the engine, one for the page; the rest (at least one) prepare
    const n = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 2));
    pool = Array.from({ length: n }, (_, i) => wrap<PrepareApi>(new Worker(new URL('../workers/prepare.ts', import.meta.url), { type: 'module', name: `gradcam-prepare-${i}` })));
  }
  return pool;
}

const inBrowser = typeof Worker === 'function' && typeof OffscreenCanvas === 'function';

/** Prepares a share of a batch somewhere else (a worker, a thread). */
export type Preparer = (files: FileToPrepare[], spec: ModelInputSpec, maxPixels?: number) => Promise<PreparedImage[]>;

/** Preparers that Node's caller provides (the command line's threads, feeding one engine on a GPU); none: in-process. */
let given: Preparer[] = [];
export function usePreparers(preparers: Preparer[]) {
  given = preparers;
}
/** How many preparers Node's caller gave (0: in-process). */
export const preparersGiven = () => given.length;

export async function prepare(files: FileToPrepare[], spec: ModelInputSpec, maxPixels?: number): Promise<PreparedImage[]> {
  const ws: Preparer[] = given.length ? given : inBrowser ? workers().map((w): Preparer => (f, s, m) => w.prepare(f, s, m)) : [];
  if (!ws.length || files.length === 0) return prepareImages(files, spec, maxPixels);
  const per = Math.ceil(files.length / ws.length);
  const parts = await Promise.all(ws.map((w, i) => {
    const part = files.slice(i * per, (i + 1) * per);
    return part.length ? w(part, spec, maxPixels) : Promise.resolve([]);
  }));
  return parts.flat();
}
