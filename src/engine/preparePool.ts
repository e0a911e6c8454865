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

/**
 * How many of the given preparers a batch is split across. The page's workers: the first alone
 * until the engine has had to wait for its inputs (explaining), then all. Each is a worker with
 * its own heap: on 2 cores, 10,000 doodles (the engine the slower) ran 267 images/s at a peak of
 * 845 MB split across two, 286 at 786 MB with one; 1,000 photos (decoding the slower, once the
 * engine folds BatchNorm) 291–363 images/s across two, 214–228 with one.
 */
let spread = 1;
/** The engine's waits in a row: one alone can be a pause of the page's (a screen of tiles drawn). */
let waits = 0;

/** Preparers given by the caller (the command line's threads, feeding one engine on a GPU), all used at once unless `startWith` says fewer. */
export function usePreparers(preparers: Preparer[], startWith = preparers.length) {
  given = preparers;
  spread = Math.max(1, Math.min(startWith, preparers.length || 1));
  waits = 0;
}
/** How many preparers were given (0: in-process). */
export const preparersGiven = () => given.length;

/** The page's preparation workers (engine/preparationWorkers.ts), reached through ports: the engine worker starts none of its own. */
export function usePreparationPorts(ports: MessagePort[]) {
  const preparers = ports.map((port): Preparer => {
    const worker = wrap<PrepareApi>(port);
    return (files, spec, maxPixels) => worker.prepare(files, spec, maxPixels);
  });
  usePreparers(preparers, 1);
}

/**
 * Whether the engine waits for its inputs: batches being prepared and being explained, and when
 * the engine last fell idle with a batch still being prepared, timed to the next batch's start (a
 * batch prepared while the engine computed is taken in only after it: "still being prepared" when
 * a batch ends would count those too). Idle for over a quarter of a batch's time, twice in a row,
 * and the batches are split across every preparer from then on.
 */
let inPreparation = 0;
let inExplanation = 0;
let idleSince: { at: number; lastTook: number } | undefined;

/** A batch's inputs being prepared (the engine's call to prepare). */
export async function preparing<T>(work: () => Promise<T>): Promise<T> {
  inPreparation++;
  try {
    return await work();
  } finally {
    inPreparation--;
  }
}

/** A batch being explained, once its inputs are prepared. */
export async function explaining<T>(work: () => Promise<T>): Promise<T> {
  if (idleSince && inExplanation === 0) {
    waits = performance.now() - idleSince.at > 0.25 * idleSince.lastTook ? waits + 1 : 0;
    if (waits >= 2) spread = Math.max(spread, given.length);
  }
  idleSince = undefined;
  inExplanation++;
  const started = performance.now();
  try {
    return await work();
  } finally {
    inExplanation--;
    const now = performance.now();
    idleSince = inPreparation > 0 && inExplanation === 0 ? { at: now, lastTook: now - started } : undefined;
  }
}

export async function prepare(files: FileOrOnDisk[], spec: ModelInputSpec, maxPixels?: number): Promise<PreparedImage[]> {
  if (!given.length || files.length === 0) return readAndPrepare(files, spec, maxPixels);
  const using = given.slice(0, spread);
  const per = Math.ceil(files.length / using.length);
  const parts = await Promise.all(using.map((w, i) => {
    const part = files.slice(i * per, (i + 1) * per);
    return part.length ? w(part, spec, maxPixels) : Promise.resolve([]);
  }));
  return parts.flat();
}
