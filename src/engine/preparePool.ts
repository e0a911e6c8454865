// Where the engine gets its inputs from: the page's preparation workers in the browser (decoding
// and preprocessing off the engine's thread, on the other cores), the command line's threads when
// they feed one engine on a GPU, or in-process (Node: tests, the command line on the CPU).
import { wrap } from 'comlink';
import type { PreparedImage } from '../image/prepare';
import type { ModelInputSpec } from '../image/preprocess';
import type { PrepareApi } from '../workers/prepare';
import { readAndPrepare, type FileOrOnDisk } from '../sources/datasets/readAndPrepare';

/** Prepares a share of a batch somewhere else (a worker, a thread). */
export type Preparer = (files: FileOrOnDisk[], spec: ModelInputSpec, maxPixels?: number) => Promise<PreparedImage[]>;

/** Where the shares go: none, in-process. */
let given: Preparer[] = [];
/** Preparers given by the caller: the command line's threads, feeding one engine on a GPU. */
export function usePreparers(preparers: Preparer[]) {
  given = preparers;
}
/** How many preparers were given (0: in-process). */
export const preparersGiven = () => given.length;

/** The page's preparation workers (engine/preparationWorkers.ts), reached through ports: the engine worker starts none of its own. */
export function usePreparationPorts(ports: MessagePort[]) {
  usePreparers(ports.map((port): Preparer => {
    const worker = wrap<PrepareApi>(port);
    return (files, spec, maxPixels) => worker.prepare(files, spec, maxPixels);
  }));
}

export async function prepare(files: FileOrOnDisk[], spec: ModelInputSpec, maxPixels?: number): Promise<PreparedImage[]> {
  if (!given.length || files.length === 0) return readAndPrepare(files, spec, maxPixels);
  const per = Math.ceil(files.length / given.length);
  const parts = await Promise.all(given.map((w, i) => {
    const part = files.slice(i * per, (i + 1) * per);
    return part.length ? w(part, spec, maxPixels) : Promise.resolve([]);
  }));
  return parts.flat();
}
