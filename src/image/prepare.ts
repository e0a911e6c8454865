// Image files → the model's input values: decoded (the browser's JPEG decoder where there is
// one) and preprocessed. Runs in a preparation worker or in-process.
import { decodeImage } from './decode';
import { toModelInput, type ModelInputSpec } from './preprocess';

export interface FileToPrepare {
  id: string;
  bytes: Uint8Array;
}

export type PreparedImage = { id: string; input: Float32Array } | { id: string; error: string };

/** The buffers of the prepared inputs, to move them to another thread rather than copy them. */
export const inputBuffers = (prepared: PreparedImage[]): ArrayBuffer[] => prepared.flatMap((p) => ('input' in p ? [p.input.buffer as ArrayBuffer] : []));

export async function prepareImages(files: FileToPrepare[], spec: ModelInputSpec, maxPixels?: number): Promise<PreparedImage[]> {
  const decoded = await Promise.allSettled(files.map((f) => decodeImage(f.bytes, { native: true, maxPixels })));
  return files.map((f, i) => {
    const d = decoded[i];
    return d.status === 'rejected' ? { id: f.id, error: (d.reason as Error).message } : { id: f.id, input: toModelInput(d.value, spec) };
  });
}
