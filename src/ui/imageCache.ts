// Decoded images for the page: tiles draw a thumbnail decoded from the file when they come on
// screen; the detail view decodes the original. Both caches are bounded, so scrolling through
// 10,000 photos does not keep 10,000 decoded images.
import type { RgbaImage } from '../image/rgba';
import { decodeImage } from '../image/decode';
import type { Sample } from '../sources/datasets/dataset';
import { readBytes } from '../sources/datasets/files';
import { thumbnailOffThread } from '../state/thumbnails';

/** A map that forgets its least recently used entries beyond `limit`. */
function lru<K, V>(limit: number) {
  const m = new Map<K, V>();
  return (key: K, make: () => V): V => {
    const hit = m.get(key);
    if (hit !== undefined) {
      m.delete(key);
      m.set(key, hit);
      return hit;
    }
    const v = make();
    m.set(key, v);
    if (m.size > limit) m.delete(m.keys().next().value as K);
    return v;
  };
}

const originals = lru<Sample, Promise<RgbaImage>>(16);
// the tiles painted (a screen each way of the one shown: ~170 at 1280×900) and some to scroll back to;
// a 192 px photo thumbnail decodes to ~110 kB (600 of them held ~65 MB)
const thumbnails = lru<Sample, Promise<RgbaImage>>(300);

/** The original image, decoded (the detail view). */
export function sampleImage(sample: Sample): Promise<RgbaImage> {
  return originals(sample, async () => decodeImage(await readBytes(sample), { native: true }));
}

/** What a tile draws: the image at most THUMBNAIL_SIDE on its long side. */
export function tileImage(sample: Sample): Promise<RgbaImage> {
  return thumbnails(sample, () => thumbnailOffThread(sample));
}

export function paint(canvas: HTMLCanvasElement, image: RgbaImage) {
  if (canvas.width !== image.width) canvas.width = image.width;
  if (canvas.height !== image.height) canvas.height = image.height;
  const ctx = canvas.getContext('2d');
  ctx?.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
}
