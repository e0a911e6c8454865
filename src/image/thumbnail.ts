// The small copy of each image the page keeps for the gallery, so it never holds every decoded
// original (10,000 photos would be gigabytes).
import type { RgbaImage } from './rgba';

/** Long side of a thumbnail, in pixels: a tile is ~112–160 px wide. */
export const THUMBNAIL_SIDE = 160;

/** The thumbnail's size: the image's own when it is small, else scaled so its long side is `side`. */
export function thumbnailSize(width: number, height: number, side = THUMBNAIL_SIDE): { width: number; height: number } {
  const f = side / Math.max(width, height);
  if (f >= 1) return { width, height };
  return { width: Math.max(1, Math.round(width * f)), height: Math.max(1, Math.round(height * f)) };
}

/**
 * An encoded thumbnail: the file itself when the image is already small (doodles: exact pixels),
 * else a JPEG scaled down by the browser; undefined where there is no OffscreenCanvas (Node).
 */
export async function makeThumbnail(file: Uint8Array, image: RgbaImage, side = THUMBNAIL_SIDE): Promise<Uint8Array | undefined> {
  const size = thumbnailSize(image.width, image.height, side);
  if (size.width === image.width && size.height === image.height) return file;
  if (typeof OffscreenCanvas !== 'function' || typeof createImageBitmap !== 'function') return undefined;
  const full = new ImageData(new Uint8ClampedArray(image.data.buffer as ArrayBuffer, image.data.byteOffset, image.data.byteLength), image.width, image.height);
  const small = await createImageBitmap(full, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'high' });
  const canvas = new OffscreenCanvas(size.width, size.height);
  canvas.getContext('2d')!.drawImage(small, 0, 0);
  small.close();
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
  return new Uint8Array(await blob.arrayBuffer());
}
