// What a gallery tile draws: the image scaled so its long side is at most THUMBNAIL_SIDE,
// decoded from the file when the tile comes on screen and dropped when it leaves, so the page
// never holds every decoded original (10,000 photos would be gigabytes).
import { decodeAtLeast, decodeImage, drawnAt, hasNativeDecoder, isPng, type Drawable } from './decode';
import type { RgbaImage } from './rgba';

/** Longest side of a thumbnail, in pixels (the gallery asks for its tiles' width: ui/imageCache.ts). */
export const THUMBNAIL_SIDE = 192;

/** The thumbnail's size: the image's own when it is small, else scaled so its long side is `side`. */
export function thumbnailSize(width: number, height: number, side = THUMBNAIL_SIDE): { width: number; height: number } {
  const f = side / Math.max(width, height);
  if (f >= 1) return { width, height };
  return { width: Math.max(1, Math.round(width * f)), height: Math.max(1, Math.round(height * f)) };
}

/** Box-filter downscale in pure JS (where there is no canvas). */
function shrink(image: RgbaImage, width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  const fx = image.width / width, fy = image.height / height;
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y * fy), y1 = Math.max(y0 + 1, Math.floor((y + 1) * fy));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x * fx), x1 = Math.max(x0 + 1, Math.floor((x + 1) * fx));
      for (let c = 0; c < 4; c++) {
        let s = 0;
        for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) s += image.data[(yy * image.width + xx) * 4 + c];
        data[(y * width + x) * 4 + c] = s / ((y1 - y0) * (x1 - x0));
      }
    }
  }
  return { width, height, data };
}

/**
 * A tile's image. PNG is decoded in pure JS, so a small image (a doodle) gives exactly the pixels
 * the export draws; a photo is decoded by the browser and scaled as it is drawn.
 */
export async function decodeThumbnail(bytes: Uint8Array, side = THUMBNAIL_SIDE): Promise<RgbaImage> {
  if (isPng(bytes) || !hasNativeDecoder()) {
    const image = await decodeImage(bytes);
    const size = thumbnailSize(image.width, image.height, side);
    return size.width === image.width ? image : shrink(image, size.width, size.height);
  }
  // a JPEG decoded at a reduced scale where the thumbnail is small enough (a 320×240 photo for a
  // 150-pixel tile: 1/2, ~4× fewer pixels), else the whole image; scaled as it is drawn
  const decoded: Drawable = (await decodeAtLeast(bytes, (width, height) => thumbnailSize(width, height, side))) ?? (await wholeBitmap(bytes));
  const size = thumbnailSize(decoded.width, decoded.height, side);
  return drawnAt(decoded, size.width, size.height);
}

async function wholeBitmap(bytes: Uint8Array): Promise<Drawable> {
  const bitmap = await createImageBitmap(new Blob([bytes as BlobPart]), { colorSpaceConversion: 'none' });
  return { image: bitmap, width: bitmap.width, height: bitmap.height, close: () => bitmap.close() };
}
