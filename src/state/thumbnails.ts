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
  // one worker beside the page and the engine on up to 4 cores, two above
  workers ??= Array.from({ length: (navigator.hardwareConcurrency || 2) > 4 ? 2 : 1 }, (_, i) => wrap<PrepareApi>(new Worker(new URL('../workers/prepare.ts', import.meta.url), { type: 'module', name: `gradcam-thumbnails-${i}` })));
  const own = bytes.slice(); // a stored zip entry is a view of the whole zip: moving it would take the zip away
  return workers[next++ % workers.length].thumbnail(transfer(own, [own.buffer]));
}
