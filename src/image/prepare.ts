// Image files → the model's input values: decoded (the browser's JPEG decoder where there is
// one) and preprocessed. Runs in a preparation worker or in-process.
import { inflateSync } from 'fflate';
import { canDecodeResized, decodeImage, decodeResizedWith } from './decode';
import { resizedToModelInput, toModelInput, type ModelInputSpec } from './preprocess';
import { thumbnailSize } from './thumbnail';
import type { RgbaImage } from './rgba';

/** A file's bytes, or a deflated zip entry's compressed data and size (inflated where it is decoded, off the page's thread). */
export type ImageBytes = { bytes: Uint8Array } | { deflated: Uint8Array; size: number };

/** A file to prepare; `thumbnail`: also its gallery thumbnail at that side, where it comes free of the same decode. */
export type FileToPrepare = { id: string; thumbnail?: number } & ImageBytes;

export const bytesOf = (f: ImageBytes): Uint8Array => ('bytes' in f ? f.bytes : inflateSync(f.deflated, { out: new Uint8Array(f.size) }));

export type PreparedImage = { id: string; input: Float32Array; thumbnail?: RgbaImage } | { id: string; error: string };

/** The buffers of the prepared inputs (and thumbnails), to move them to another thread rather than copy them. */
export const inputBuffers = (prepared: PreparedImage[]): ArrayBuffer[] =>
  prepared.flatMap((p) => ('input' in p ? [p.input.buffer as ArrayBuffer, ...(p.thumbnail ? [p.thumbnail.data.buffer as ArrayBuffer] : [])] : []));

/**
 * Images a worker decodes at once. A batch's 32 at once (the browser's JPEG decoders each holding
 * their buffers) put 10,000 photos' peak at 1,010 MB against 978 with 4, for ~5 % more speed.
 */
const AT_ONCE = 4;

/**
 * The decoding slots of this thread, given in the order asked, across calls: a run keeps several
 * batches in preparation, and the engine needs the oldest next. Shared among them all (each call
 * taking its turns of 4), every batch finished late together, and a pause of the page's (its
 * first screen of tiles) left the engine with none ready (timed in the engine worker over a run of
 * 1,000 photos: idle between batches ~1.6 s before, ~0.9 s after).
 */
let decoding = 0;
const queued: (() => void)[] = [];
async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (decoding < AT_ONCE) decoding++;
  else await new Promise<void>((resolve) => queued.push(resolve));
  try {
    return await work();
  } finally {
    const next = queued.shift();
    if (next) next(); // the slot passes straight on
    else decoding--;
  }
}

export async function prepareImages(files: FileToPrepare[], spec: ModelInputSpec, maxPixels?: number): Promise<PreparedImage[]> {
  const prepareOne = async (f: FileToPrepare): Promise<{ input: Float32Array; thumbnail?: RgbaImage }> => {
    const bytes = bytesOf(f);
    if (!canDecodeResized(bytes, spec.resizeMode, spec.resizeMethod)) return { input: toModelInput(await decodeImage(bytes, { native: true, maxPixels }), spec) };
    // a photo's thumbnail from the decode the model's input needs where it covers the tile (a 320×240
    // JPEG at 1/2 for a 96×96 input: tiles up to 160 pixels, a 1× screen's): ~0.5 ms more here
    // (1.3–1.4 → 1.9–2.0 ms, one at a time in a page), against 1.2–1.3 ms decoding it alone later,
    // and the file's read and the messages
    const side = f.thumbnail;
    const { image, also } = await decodeResizedWith(bytes, spec.width, spec.height, side ? (w, h) => thumbnailSize(w, h, side) : undefined, { maxPixels });
    return { input: resizedToModelInput(image, spec), thumbnail: also };
  };
  const inputs = await Promise.allSettled(files.map((f) => inTurn(() => prepareOne(f))));
  return files.map((f, i) => {
    const d = inputs[i];
    if (d.status === 'rejected') return { id: f.id, error: (d.reason as Error).message };
    return d.value.thumbnail ? { id: f.id, input: d.value.input, thumbnail: d.value.thumbnail } : { id: f.id, input: d.value.input };
  });
}
