// Gallery thumbnails decoded off the page's thread: a scroll brings in a screen of tiles, and each
// photo's inflating out of the zip, decode, scaling and pixel read-back (~2.5 ms here) on the page's
// thread made them appear one after another. Preparation workers do it; where there are no
// workers, the page does.
import { preparationWorkers } from '../engine/preparationWorkers';
import { decodeThumbnail } from '../image/thumbnail';
import type { RgbaImage } from '../image/rgba';
import type { Sample } from '../sources/datasets/dataset';
import { forWorker, readBytes, readInWorker } from '../sources/datasets/files';
let next = 0;

/**
 * Tiles' images (image/thumbnail.ts), at most `side` on their long side, asked for together
 * (ui/imageCache.ts: a screen of tiles, a group decoded ahead): one request to one worker, which
 * reads their files on disk together. A promise per sample. Each request goes to the workers at
 * once, in turn: holding requests back on the page to send the on-screen tiles first measured
 * slower (scroll p50 ~100 ms against ~55 here): the workers then wait for the page's thread between
 * decodes.
 */
export function thumbnailsOffThread(samples: Sample[], side?: number): Promise<RgbaImage>[] {
  if (samples.length === 0) return [];
  if (typeof Worker !== 'function') return samples.map(async (s) => decodeThumbnail(await readBytes(s), side));
  // a photo on disk is read there (each read of a File holds this thread ~0.3 ms), a small image
  // (a doodle) here, through the zip's blocks, one read of which serves hundreds; a deflated zip
  // entry goes as it is, and is inflated there; copied, not moved: the bytes of a file held in
  // memory are the drop's own
  const there = samples.map(readInWorker);
  // Photos: two workers, even on 2 cores: a scroll brings ~40 tiles at once and the engine is idle
  // by then (one worker here: scroll p50 / p95 75 / 257 ms; two: 96 / 146, no spikes). A small
  // image decodes in well under a millisecond: one worker, and no second JS heap (~12 MB) for it.
  // Shared with the run's preparation (engine/preparationWorkers.ts).
  const count = there.every(Boolean) ? 2 : 1;
  const workers = preparationWorkers(count).slice(0, count);
  const worker = workers[next++ % workers.length];
  const all = Promise.all(samples.map(async (s, i) => there[i] ?? (await forWorker(s)))).then((files) => worker.thumbnails(files, side));
  return samples.map((_, i) => all.then((got) => {
    const one = got[i];
    if ('error' in one) throw new Error(one.error);
    return one;
  }));
}

/**
 * The gallery's thumbnail cache (ui/imageCache.ts), as a run sees it: which of a run's images it
 * wants a thumbnail of, at what side, and where one made with a model input goes.
 */
export interface ThumbnailTaker {
  /** The side wanted for each of `samples` that should come with one (as many as the cache keeps), by id. */
  wanted(samples: Sample[]): { side: number; ids: Set<string> } | undefined;
  take(sample: Sample, image: RgbaImage, side: number): void;
}
let taker: ThumbnailTaker | undefined;
/** The gallery takes the thumbnails runs make (set once, by ui/imageCache.ts). */
export const takeThumbnailsOfRuns = (t: ThumbnailTaker) => void (taker = t);
export const thumbnailsWanted = (samples: Sample[]) => taker?.wanted(samples);
export const thumbnailMade = (sample: Sample, image: RgbaImage, side: number) => taker?.take(sample, image, side);
