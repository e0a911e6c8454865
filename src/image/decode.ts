// Image decoding for the engine (worker or Node), the page and the export.
import { decode as decodePng, convertIndexedToRgb } from 'fast-png';
import { decodeJpegWasm } from './jpegWasm';
import type { RgbaImage } from './rgba';
import { imageSize } from './imageSize';
import { checkImage, limits, LimitError } from '../common/limits';

export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'bmp', 'gif', 'webp'];

export function isImagePath(path: string): boolean {
  const ext = path.split('.').pop()?.toLowerCase() ?? '';
  return IMAGE_EXTENSIONS.includes(ext);
}

export const isPng = (b: Uint8Array) => b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

export class ImageDecodeError extends Error {}

function pngToRgba(bytes: Uint8Array): RgbaImage {
  let png = decodePng(bytes);
  let data = png.data;
  let channels = png.channels;
  if (png.palette) {
    data = convertIndexedToRgb(png);
    channels = png.palette[0]?.length ?? 3;
  }
  const n = png.width * png.height;
  const out = new Uint8ClampedArray(n * 4);
  const shift = png.depth === 16 ? 8 : 0;
  const max = png.depth < 8 && !png.palette ? (1 << png.depth) - 1 : 0;
  for (let i = 0; i < n; i++) {
    const px = (c: number) => {
      const v = data[i * channels + c];
      return max ? Math.round((v * 255) / max) : v >> shift;
    };
    if (channels <= 2) {
      const v = px(0);
      out[i * 4] = out[i * 4 + 1] = out[i * 4 + 2] = v;
      out[i * 4 + 3] = channels === 2 ? px(1) : 255;
    } else {
      out[i * 4] = px(0);
      out[i * 4 + 1] = px(1);
      out[i * 4 + 2] = px(2);
      out[i * 4 + 3] = channels === 4 ? px(3) : 255;
    }
  }
  return { width: png.width, height: png.height, data: out };
}

/** The browser's own decoder (a page or a worker): off the JS thread, several times faster than pure JS. */
export const hasNativeDecoder = () => typeof createImageBitmap === 'function' && typeof OffscreenCanvas === 'function';

async function nativeDecode(bytes: Uint8Array): Promise<RgbaImage> {
  if (!hasNativeDecoder()) throw new ImageDecodeError('not a PNG or JPEG file, and no other image decoder is available here');
  if (isJpeg(bytes) && typeof ImageDecoder === 'function') {
    const image = await jpegFrame(bytes);
    try {
      return (await uprightPixels(image)) ?? drawn(image, image.displayWidth, image.displayHeight);
    } finally {
      image.close();
    }
  }
  const bitmap = await createImageBitmap(new Blob([bytes as BlobPart]), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  try {
    return drawn(bitmap, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}

/** An image drawn on the thread's scratch canvas and read back. */
function drawn(image: CanvasImageSource, width: number, height: number): RgbaImage {
  const ctx = scratchContext(width, height);
  ctx.drawImage(image, 0, 0, width, height);
  return { width, height, data: ctx.getImageData(0, 0, width, height).data };
}

/**
 * A JPEG through ImageDecoder, from its bytes as they are: no Blob (~0.8 ms each in a worker here)
 * and no createImageBitmap. No colour-profile conversion: the file's own values, as mozjpeg gives them.
 */
async function jpegFrame(bytes: Uint8Array): Promise<VideoFrame> {
  const decoder = new ImageDecoder({ data: bytes, type: 'image/jpeg', colorSpaceConversion: 'none' });
  try {
    return (await decoder.decode()).image;
  } finally {
    decoder.close();
  }
}

/**
 * A frame's pixels converted to RGBA by the frame itself (libyuv), where it is upright (neither
 * turned nor mirrored by the file's orientation) and the browser can: a 320×240 photo decoded
 * and converted in ~1.2 ms, against ~2 drawn and read back and ~3.5 through a Blob and
 * createImageBitmap (a worker on this 2-core machine), within a level of the latter.
 * Undefined where it cannot: the caller draws the frame, which turns it as the file says.
 */
async function uprightPixels(frame: VideoFrame): Promise<RgbaImage | undefined> {
  const f = frame as VideoFrame & { rotation?: number; flip?: boolean };
  if (f.rotation !== 0 || f.flip !== false) return undefined;
  const { displayWidth: width, displayHeight: height } = frame;
  const data = new Uint8ClampedArray(width * height * 4);
  try {
    await frame.copyTo(data, { format: 'RGBA' } as VideoFrameCopyToOptions);
  } catch {
    return undefined;
  }
  return { width, height, data };
}

/**
 * One canvas per thread to draw a decoded image on and read it back (a context per image cost as
 * much as the reading). Safe to share: drawing and reading back happen in one synchronous step.
 * Cleared, sized width × height, its state reset.
 */
let scratch: OffscreenCanvasRenderingContext2D | undefined;
export function scratchContext(width: number, height: number): OffscreenCanvasRenderingContext2D {
  scratch ??= new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true })!;
  const canvas = scratch.canvas;
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width; // resets the context's state
    canvas.height = height;
  } else {
    scratch.reset();
  }
  return scratch;
}

/**
 * Decodes an image file to RGBA; throws ImageDecodeError with a reason when it cannot. PNG is
 * decoded in pure JS and JPEG by mozjpeg in WebAssembly (jpegWasm.ts): identical pixels in the
 * page, a worker and Node; except JPEG when `native` asks for the browser's decoder where there is
 * one: within a few levels (tests/e2e/decode.test.ts). PNG stays pure JS: a canvas premultiplies
 * alpha, which loses the colour of transparent pixels. Other formats always use the browser's decoder.
 */
export async function decodeImage(bytes: Uint8Array, { native = false, maxPixels = limits().imagePixels } = {}): Promise<RgbaImage> {
  const known = remembered.get(bytes);
  if (known) return known;
  const image = await decodeFresh(bytes, native, maxPixels);
  if (remembered.has(bytes)) remembered.set(bytes, image);
  return image;
}

/**
 * Files whose decoded image is kept for as long as their bytes live (a WeakMap on the bytes), so a
 * second use of the same bytes is not decoded again: the command line explains an image and then
 * draws its overlay from the one decode. Only the bytes named here: nothing else is kept.
 */
const remembered = new WeakMap<Uint8Array, RgbaImage | null>();
export function rememberDecodesOf(files: Uint8Array[]) {
  for (const bytes of files) if (!remembered.has(bytes)) remembered.set(bytes, null);
}

/** A decoded image to draw, with the size of the whole image as it is shown (turned as its file says). */
export interface Drawable { image: CanvasImageSource; width: number; height: number; close(): void }

/**
 * A JPEG decoded at a reduced scale inside the browser's decoder (scaled DCT: n/8 of each side,
 * n = 1…7), the smallest at least `want(width, height)` on both sides: 1/2 of a 320×240 photo costs
 * ~0.5 ms here against ~1.6 ms decoded whole. Undefined where this does not apply (not a JPEG, no
 * ImageDecoder, no reduction possible); the caller decodes the whole image then.
 */
export async function decodeAtLeast(bytes: Uint8Array, want: (width: number, height: number) => { width: number; height: number }): Promise<Drawable | undefined> {
  const size = isJpeg(bytes) && typeof ImageDecoder === 'function' ? imageSize(bytes) : undefined;
  if (!size) return undefined;
  // the file's orientation is known only once decoded: assume upright, and if it is turned (and
  // came out too small for the turned size), decode again
  for (const turned of [false, true]) {
    const [width, height] = turned ? [size.height, size.width] : [size.width, size.height];
    const n = reducedScale(width, height, want(width, height));
    if (n >= 8) return undefined;
    // Chromium picks n = floor(8·sqrt(desired area / image area)): ask for exactly n/8 of each side
    const decoder = new ImageDecoder({ data: bytes, type: 'image/jpeg', desiredWidth: Math.ceil((size.width * n) / 8), desiredHeight: Math.ceil((size.height * n) / 8), colorSpaceConversion: 'none' });
    let image: VideoFrame;
    try {
      ({ image } = await decoder.decode());
    } finally {
      decoder.close();
    }
    const isTurned = image.displayWidth > image.displayHeight !== image.codedWidth > image.codedHeight;
    const shown = isTurned ? { width: size.height, height: size.width } : size;
    const need = want(shown.width, shown.height);
    if (image.displayWidth >= need.width && image.displayHeight >= need.height) return { image, ...shown, close: () => image.close() };
    image.close();
  }
  return undefined;
}

/** The n of the smallest scaled-DCT decode (n/8 of each side) of a `width` × `height` JPEG that is at least `w` on both sides; 8 and up: the whole image. */
export const reducedScale = (width: number, height: number, w: { width: number; height: number }): number => Math.ceil(8 * Math.max(w.width / width, w.height / height) - 1e-9);

/**
 * Whether `decodeResized` can make this file's model input: the browser's decoder, a file it decodes
 * natively (not PNG, see decodeImage), and the plain bilinear squash. Edge Impulse's resize methods
 * (lanczos3, nearest) and the crop/letterbox modes stay in pure JS, exact.
 */
export const canDecodeResized = (bytes: Uint8Array, mode: string | undefined, method: string | undefined) =>
  hasNativeDecoder() && !isPng(bytes) && (mode ?? 'squash') === 'squash' && (method ?? 'bilinear') === 'bilinear';

/**
 * Decodes and resizes in the browser's decoder (a JPEG decoded at a reduced scale where it can,
 * then Skia's bilinear with mipmaps, the "medium" quality): the full-size pixels never reach JS.
 * A 320×240 JPEG to 96×96 costs ~0.5 ms instead of ~1.6 (decoded whole and resized by
 * createImageBitmap) or ~4 (read back and resampled in JS). Within the tolerance
 * tests/e2e/decode.test.ts states of decodeImage + resizeRgb (filters differ).
 */
export async function decodeResized(bytes: Uint8Array, width: number, height: number, { maxPixels = limits().imagePixels } = {}): Promise<RgbaImage> {
  return (await decodeResizedWith(bytes, width, height, undefined, { maxPixels })).image;
}

/**
 * decodeResized, and from the same decode an image at `also`'s size for the decoded image's size
 * (a gallery thumbnail: image/thumbnail.ts) where that decode covers it: an upright JPEG decoded at
 * a reduced scale no smaller than `also` alone would ask for. At the same scale its pixels are
 * exactly those of decoding it alone; from a larger one (a smaller tile), within a few levels.
 */
export async function decodeResizedWith(bytes: Uint8Array, width: number, height: number, also: ((width: number, height: number) => { width: number; height: number }) | undefined, { maxPixels = limits().imagePixels } = {}): Promise<{ image: RgbaImage; also?: RgbaImage }> {
  const size = imageSize(bytes);
  if (size) checkImage(size.width, size.height, { ...limits(), imagePixels: maxPixels });
  try {
    // a reduced-scale decode, resized as it is drawn; else the whole image, resized as it is decoded
    const decoded = await decodeAtLeast(bytes, () => ({ width, height }));
    if (!decoded) return { image: drawnAt(await resizedBitmap(bytes, width, height), width, height) };
    const other = also?.(decoded.width, decoded.height);
    const shared = !!other && !!size && decoded.width === size.width && decoded.height === size.height && reducedScale(size.width, size.height, other) <= reducedScale(size.width, size.height, { width, height });
    const image = drawnAt(decoded, width, height, !shared);
    return shared ? { image, also: drawnAt(decoded, other.width, other.height) } : { image };
  } catch (e) {
    if (e instanceof LimitError) throw e;
    throw new ImageDecodeError(`the image could not be decoded (${(e as Error).message || 'unknown format'})`);
  }
}

/** A decoded image drawn at width × height (Skia's bilinear with mipmaps) on the scratch canvas, read back, and closed (unless `close` is false). */
export function drawnAt(decoded: Drawable, width: number, height: number, close = true): RgbaImage {
  const ctx = scratchContext(width, height);
  ctx.imageSmoothingQuality = 'medium';
  ctx.drawImage(decoded.image, 0, 0, width, height);
  if (close) decoded.close();
  return { width, height, data: ctx.getImageData(0, 0, width, height).data };
}

/** The whole image decoded and resized to width × height by createImageBitmap (its size: the resized one). */
async function resizedBitmap(bytes: Uint8Array, width: number, height: number): Promise<Drawable> {
  const bitmap = await createImageBitmap(new Blob([bytes as BlobPart]), { colorSpaceConversion: 'none', premultiplyAlpha: 'none', resizeWidth: width, resizeHeight: height, resizeQuality: 'medium' });
  return { image: bitmap, width, height, close: () => bitmap.close() };
}

async function decodeFresh(bytes: Uint8Array, native: boolean, maxPixels: number): Promise<RgbaImage> {
  const size = imageSize(bytes);
  if (size) checkImage(size.width, size.height, { ...limits(), imagePixels: maxPixels });
  try {
    if (native && hasNativeDecoder() && isJpeg(bytes)) return await nativeDecode(bytes);
    if (isPng(bytes)) return pngToRgba(bytes);
    if (isJpeg(bytes)) return await decodeJpegWasm(bytes);
    return await nativeDecode(bytes);
  } catch (e) {
    if (e instanceof ImageDecodeError || e instanceof LimitError) throw e;
    throw new ImageDecodeError(`the image could not be decoded (${(e as Error).message || 'unknown format'})`);
  }
}
