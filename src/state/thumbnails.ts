// Gallery thumbnails decoded off the page's thread: a scroll brings in a screen of tiles, and each
// photo's decode, scaling and pixel read-back (~2 ms here) on the page's thread made them appear one
// after another. A preparation worker does it; where there are no workers, the page does.
import { wrap, transfer, type Remote } from 'comlink';
import type { PrepareApi } from '../workers/prepare';
import { decodeThumbnail } from '../image/thumbnail';
import type { RgbaImage } from '../image/rgba';

let workers: Remote<PrepareApi>[] | undefined;
let next = 0;

export function thumbnailOffThread(bytes: Uint8Array): Promise<RgbaImage> {
  if (typeof Worker !== 'function') return decodeThumbnail(bytes);
  // two, even on 2 cores: a scroll brings ~40 tiles at once and the engine is idle by then (one
  // worker here: scroll p50 / p95 75 / 257 ms; two: 96 / 146, no spikes)
  workers ??= Array.from({ length: 2 }, (_, i) => wrap<PrepareApi>(new Worker(new URL('../workers/prepare.ts', import.meta.url), { type: 'module', name: `gradcam-thumbnails-${i}` })));
  const own = bytes.slice(); // a stored zip entry is a view of the whole zip: moving it would take the zip away
  return workers[next++ % workers.length].thumbnail(transfer(own, [own.buffer]));
}
