// Decoded images for the page: tiles draw a thumbnail decoded from the file when they come on
// screen; the detail view decodes the original. Both caches are bounded, so scrolling through
// 10,000 photos does not keep 10,000 decoded images.
import type { RgbaImage } from '../image/rgba';
import { decodeImage } from '../image/decode';
import type { Sample } from '../sources/datasets/dataset';
import { readBytes } from '../sources/datasets/files';
import { thumbnailOffThread } from '../state/thumbnails';
import { THUMBNAIL_SIDE } from '../image/thumbnail';

/** A map that forgets its least recently used entries beyond `limit`. */
function lru<K, V>(limit: number) {
  const m = new Map<K, V>();
  return Object.assign((key: K, make: () => V): V => {
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
  }, { clear: () => m.clear() });
}

const originals = lru<Sample, Promise<RgbaImage>>(16);
// the tiles painted (a screen each way of the one shown: ~170 at 1280×900) and some to scroll back to;
// a 192 px photo thumbnail decodes to ~110 kB (600 of them held ~65 MB); keyed by sample: all are
// dropped when the tiles change size
const thumbnails = lru<Sample, Promise<RgbaImage>>(300);

/** The original image, decoded (the detail view). */
export function sampleImage(sample: Sample): Promise<RgbaImage> {
  return originals(sample, async () => decodeImage(await readBytes(sample), { native: true }));
}

/**
 * Long side of what a tile draws: the tile's width in device pixels (rounded up to 8), at most
 * THUMBNAIL_SIDE. Pixels the screen does not show cost each repaint all the same: 1280 px wide at
 * 1× gives ~123 px tiles, whose 128×96 photo thumbnails are 52 % fewer pixels than 160×120.
 */
let side = THUMBNAIL_SIDE;
export const tileSide = () => side;

/** The tiles are now `cssPixels` wide; true when their images change size (decoded again then). */
export function tilesAreWide(cssPixels: number): boolean {
  const next = Math.min(THUMBNAIL_SIDE, Math.max(64, Math.ceil((cssPixels * (globalThis.devicePixelRatio || 1)) / 8) * 8));
  if (!Number.isFinite(next) || next === side) return false;
  side = next;
  thumbnails.clear();
  return true;
}

/** What a tile draws: the image at most tileSide() on its long side. */
export function tileImage(sample: Sample): Promise<RgbaImage> {
  return thumbnails(sample, () => thumbnailOffThread(sample, side));
}

export function paint(canvas: HTMLCanvasElement, image: RgbaImage) {
  if (canvas.width !== image.width) canvas.width = image.width;
  if (canvas.height !== image.height) canvas.height = image.height;
  const ctx = canvas.getContext('2d');
  ctx?.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
}
