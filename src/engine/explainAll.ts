// Streams samples through the engine in batches. Used by the app (engine in a worker) and
// the command line (engine in-process); cancel with an AbortSignal between batches.
import type { ImageToExplain, ImageToPrepare, ResultWithThumbnail, RunOptions, SampleResult } from './types';
import { messageOf } from '../common/errors';
import { forWorker, readInWorker, type DroppedFile } from '../sources/datasets/files';

export interface RunProgress {
  done: number;
  total: number;
  failed: number;
}

export interface RunHooks {
  batchSize?: number;
  /** A smaller first batch: the first results show sooner (later batches stay large). */
  firstBatchSize?: number;
  /** Batches sent ahead of the one awaited (2: one is prepared while the other is explained). */
  inFlight?: number;
  signal?: AbortSignal;
  onBatch?: (outcomes: ResultWithThumbnail[], progress: RunProgress) => void;
}

type Explainer = { explainImages(images: ImageToPrepare[], options: RunOptions): Promise<ResultWithThumbnail[]> };

/**
 * An image to explain; a deflated zip entry also offers its compressed data (the page: inflated in
 * a preparation worker); one left on disk is read with `read` / `readDeflated` (DroppedFile), or
 * (a photo on disk, `onDisk`) by the preparation worker itself.
 */
export type ImageToRead = ImageToExplain & Pick<DroppedFile, 'deflated' | 'read' | 'readDeflated' | 'onDisk'>;

export async function explainAll(engine: Explainer, images: ImageToRead[], options: RunOptions, hooks: RunHooks = {}): Promise<RunProgress> {
  const batchSize = hooks.batchSize ?? 16;
  const progress: RunProgress = { done: 0, total: images.length, failed: 0 };
  // Each batch's bytes are read only now (a zip entry is inflated on read), and a file that cannot
  // be read fails alone, like one that cannot be decoded.
  const call = async (i: number, size: number): Promise<ResultWithThumbnail[]> => {
    const batch: ImageToPrepare[] = [];
    const unreadable: SampleResult[] = [];
    const read = await Promise.allSettled(images.slice(i, i + size).map(async (img): Promise<ImageToPrepare> => {
      const onDisk = readInWorker(img);
      return { id: img.id, targetClass: img.targetClass, thumbnail: img.thumbnail, ...(onDisk ? { onDisk } : await forWorker(img)) };
    }));
    read.forEach((r, k) => {
      if (r.status === 'fulfilled') batch.push(r.value);
      else unreadable.push({ id: images[i + k].id, error: messageOf(r.reason) });
    });
    return [...unreadable, ...(batch.length ? await engine.explainImages(batch, options) : [])];
  };
  // several batches in flight: the engine prepares the next ones while it explains this one
  const inFlight = hooks.inFlight ?? 3;
  const queue: Promise<ResultWithThumbnail[]>[] = [];
  let next = 0;
  const refill = () => {
    while (queue.length < inFlight && next < images.length && !hooks.signal?.aborted) {
      const size = next === 0 ? Math.min(batchSize, hooks.firstBatchSize ?? batchSize) : batchSize;
      const p = call(next, size);
      p.catch(() => undefined); // a failure is reported when its turn comes, not as unhandled
      queue.push(p);
      next += size;
    }
  };
  refill();
  while (queue.length) {
    const outcomes = await queue.shift()!;
    if (hooks.signal?.aborted) {
      await Promise.allSettled(queue); // let them finish, so a new run does not queue behind them unseen
      break;
    }
    refill();
    progress.done += outcomes.length;
    progress.failed += outcomes.filter((o) => 'error' in o).length;
    hooks.onBatch?.(outcomes, { ...progress });
  }
  return progress;
}
