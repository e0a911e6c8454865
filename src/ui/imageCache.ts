// Decoded images for the page: tiles draw a thumbnail decoded from the file when they come on
// screen, or ahead of that after a run (thumbnailsAhead.ts); the detail view decodes the original.
// Both caches are bounded, so scrolling through 10,000 photos does not keep 10,000 decoded images.
import type { RgbaImage } from '../image/rgba';
import { decodeImage } from '../image/decode';
import type { Sample } from '../sources/datasets/dataset';
import { readBytes } from '../sources/datasets/files';
import { takeThumbnailsOfRuns, thumbnailsOffThread } from '../state/thumbnails';
import { THUMBNAIL_SIDE } from '../image/thumbnail';
import { boundedCache } from '../common/boundedCache';
import { useStore } from '../state/store';

const originals = boundedCache<Sample, RgbaImage>(16, () => 1, 1);
/**
 * Thumbnails kept, by what they hold: 96 MB is ~2,000 photos at 128×96 (a whole 1,000-photo test
 * set, so any order or filter finds its tiles' images decoded) or every one of 10,000 doodles.
 * Keyed by sample; all are dropped when the tiles change size.
 */
export const THUMBNAIL_BYTES = 96 * 1024 * 1024;
/** What may be filled ahead of the tiles shown (decoded ahead, or made by a run); the rest is for the tiles shown. */
export const AHEAD_BYTES = (THUMBNAIL_BYTES * 3) / 4;
// until decoded, a thumbnail counts as a 4:3 photo's at the tiles' size
const thumbnails = boundedCache<Sample, RgbaImage>(THUMBNAIL_BYTES, (image) => image.data.byteLength, () => side * side * 3);

/** Of the thumbnails decoded for this data set at this tile size: how many were no larger than a tile, and how many larger. */
let decoded = { small: 0, large: 0 };

/** Every thumbnail dropped (another data set, another tile size), and what was counted of them. */
function dropThumbnails() {
  thumbnails.clear();
  decoded = { small: 0, large: 0 };
}

// another data set: the images of the one before are dropped now, not as new ones push them out
useStore.subscribe((s, prev) => {
  if (s.dataset === prev.dataset) return;
  dropThumbnails();
  originals.clear();
});

/**
 * Whether the images are (nearly all) no larger than a tile, so decoding one when its tile is shown
 * is cheap (a 28×28 doodle: nothing to scale) and decoding them ahead would only take the cores from
 * the sliders: 10,000 doodles' 2,000 decoded ahead took ~8 s after a run, and bench:app's alpha
 * changes then read p50 / p95 12–14 / 24–29 ms, without 11 / 20 (scroll, cells, orders as before).
 */
export const tileImagesAreSmall = (): boolean => decoded.small >= 8 && decoded.large * 10 <= decoded.small;

/** The original image, decoded (the detail view). */
export function sampleImage(sample: Sample): Promise<RgbaImage> {
  return originals.get(sample, async () => decodeImage(await readBytes(sample), { native: true }));
}

/** Whether a tile's image is decoded or on its way (thumbnailsAhead.ts skips those). */
export const hasTileImage = (sample: Sample): boolean => thumbnails.has(sample);

/** What the kept thumbnails hold, in bytes. */
export const tileImagesHeld = (): number => thumbnails.held();

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
  dropThumbnails();
  return true;
}

/** What a tile draws: the image at most tileSide() on its long side. */
export function tileImage(sample: Sample): Promise<RgbaImage> {
  const at = side;
  return thumbnails.get(sample, async () => counted(await decodedSoon(sample, at), at));
}

/** The images of tiles not yet shown, decoded ahead (those not kept yet); settles when all have. */
export const tileImagesAhead = (samples: Sample[]): Promise<unknown> => Promise.allSettled(samples.map(tileImage));

/**
 * Images asked for in one task go to the workers together, TILE_IMAGES_A_REQUEST a request: a
 * worker reads a request's photos on disk together (nearby entries of a zip in one read, where a
 * read each cost ~2.6 ms, more than the decode). A scroll's new screen of tiles, or a group decoded
 * ahead, is such a task. 10,000 photos decoding ahead with the page idle: ~300 → ~650 images/s.
 */
export const TILE_IMAGES_A_REQUEST = 12;
let asked: { sample: Sample; at: number; resolve(image: RgbaImage): void; reject(e: unknown): void }[] = [];
function decodedSoon(sample: Sample, at: number): Promise<RgbaImage> {
  return new Promise((resolve, reject) => {
    if (asked.push({ sample, at, resolve, reject }) === 1) queueMicrotask(sendAsked);
  });
}
function sendAsked() {
  const list = asked;
  asked = [];
  for (let i = 0; i < list.length; ) {
    // the same size a request (the tiles may change size within a task)
    let end = i + 1;
    while (end < list.length && end - i < TILE_IMAGES_A_REQUEST && list[end].at === list[i].at) end++;
    const group = list.slice(i, end);
    thumbnailsOffThread(group.map((x) => x.sample), group[0].at).forEach((p, k) => p.then(group[k].resolve, group[k].reject));
    i = end;
  }
}

function counted(image: RgbaImage, at: number): RgbaImage {
  if (at === side) decoded[Math.max(image.width, image.height) < at ? 'small' : 'large']++;
  return image;
}

// A run's thumbnails (made with its model inputs: image/prepare.ts), at the tiles' size, where
// all of its images' fit in what may be filled ahead: then no order or filter of the gallery
// decodes a photo again. A larger set (10,000 photos) keeps decoding ahead in the gallery's order
// after its run, for the tiles it will show first, which a run's order does not know.
takeThumbnailsOfRuns({
  wanted(samples) {
    const ids = new Set(samples.filter((s) => !thumbnails.has(s)).map((s) => s.id));
    const room = Math.floor((AHEAD_BYTES - thumbnails.held()) / (side * side * 3));
    return ids.size > 0 && ids.size <= room ? { side, ids } : undefined;
  },
  take(sample, image, at) {
    if (at === side) thumbnails.put(sample, counted(image, at));
  },
});

export function paint(canvas: HTMLCanvasElement, image: RgbaImage) {
  if (canvas.width !== image.width) canvas.width = image.width;
  if (canvas.height !== image.height) canvas.height = image.height;
  const ctx = canvas.getContext('2d');
  ctx?.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
}
