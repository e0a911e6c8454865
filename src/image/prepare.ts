// Image files → the model's input values: decoded (the browser's JPEG decoder where there is
// one) and preprocessed. Runs in a preparation worker or in-process.
import { inflateSync } from 'fflate';
import { canDecodeResized, decodeImage, decodeResized } from './decode';
import { resizedToModelInput, toModelInput, type ModelInputSpec } from './preprocess';

/** A file's bytes, or a deflated zip entry's compressed data and size (inflated here, off the page's thread). */
export type FileToPrepare = { id: string; bytes: Uint8Array } | { id: string; deflated: Uint8Array; size: number };

export const bytesOf = (f: { bytes: Uint8Array } | { deflated: Uint8Array; size: number }): Uint8Array => ('bytes' in f ? f.bytes : inflateSync(f.deflated, { out: new Uint8Array(f.size) }));

export type PreparedImage = { id: string; input: Float32Array } | { id: string; error: string };

/** The buffers of the prepared inputs, to move them to another thread rather than copy them. */
export const inputBuffers = (prepared: PreparedImage[]): ArrayBuffer[] => prepared.flatMap((p) => ('input' in p ? [p.input.buffer as ArrayBuffer] : []));

/**
 * Images a worker decodes at once. A batch's 32 at once (the browser's JPEG decoders each holding
 * their buffers) put 10,000 photos' peak at 1,010 MB against 978 with 4, for ~5 % more speed.
 */
const AT_ONCE = 4;

export async function prepareImages(files: FileToPrepare[], spec: ModelInputSpec, maxPixels?: number): Promise<PreparedImage[]> {
  const prepareOne = async (f: FileToPrepare) => {
    const bytes = bytesOf(f);
    if (canDecodeResized(bytes, spec.resizeMode, spec.resizeMethod)) return resizedToModelInput(await decodeResized(bytes, spec.width, spec.height, { maxPixels }), spec);
    return toModelInput(await decodeImage(bytes, { native: true, maxPixels }), spec);
  };
  const inputs: PromiseSettledResult<Float32Array>[] = [];
  for (let i = 0; i < files.length; i += AT_ONCE) inputs.push(...(await Promise.allSettled(files.slice(i, i + AT_ONCE).map(prepareOne))));
  return files.map((f, i) => {
    const d = inputs[i];
    return d.status === 'rejected' ? { id: f.id, error: (d.reason as Error).message } : { id: f.id, input: d.value };
  });
}
