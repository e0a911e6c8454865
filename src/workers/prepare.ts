// A preparation worker, on another core than the page and the engine: decodes and preprocesses
// images for the engine worker, draws and encodes overlays for the export, and decodes the
// gallery's thumbnails for the page.
import { expose, transfer } from 'comlink';
import { bytesOf, inputBuffers, type ImageBytes } from '../image/prepare';
import { readAndPrepare, type FileOrOnDisk } from '../sources/datasets/readAndPrepare';
import type { ModelInputSpec } from '../image/preprocess';
import { decodeImage } from '../image/decode';
import { decodeThumbnail } from '../image/thumbnail';
import { readAllOnDisk, readOnDisk, type OnDisk } from '../sources/datasets/files';
import { messageOf } from '../common/errors';
import { drawOverlay, type OverlayOrder } from '../render/overlay';
import { withCrc, type WithCrc } from '../common/zipCrc';
import type { RgbaImage } from '../image/rgba';
import { wasmPngEncoder } from '../image/wasmPng';
import pngWasm from '@jsquash/png/codec/pkg/squoosh_png_bg.wasm?url';

/** An image as the page hands it over: its bytes, a zip entry's deflated data, or where it lies on disk. */
type ImageFile = ImageBytes | OnDisk;
const bytesOfFile = async (file: ImageFile): Promise<Uint8Array> => ('blob' in file ? readOnDisk(file) : bytesOf(file));

const api = {
  async prepare(files: FileOrOnDisk[], spec: ModelInputSpec, maxPixels?: number) {
    const out = await readAndPrepare(files, spec, maxPixels);
    return transfer(out, inputBuffers(out));
  },

  /**
   * Gallery tiles' images (image/thumbnail.ts), decoded and scaled here rather than on the page's
   * thread, several a call: the files on disk read together (nearby entries of a zip in one read:
   * each read of a File here cost ~2.6 ms, more than the decode), each image its own result, an
   * image or why it failed.
   */
  async thumbnails(files: ImageFile[], side?: number): Promise<(RgbaImage | { error: string })[]> {
    const onDisk = files.flatMap((f, i) => ('blob' in f ? [i] : []));
    const read = await readAllOnDisk(onDisk.map((i) => files[i] as OnDisk));
    const bytes = new Map(onDisk.map((i, k) => [i, read[k]]));
    const out = await Promise.all(files.map(async (f, i): Promise<RgbaImage | { error: string }> => {
      try {
        const r = bytes.get(i);
        if (r?.status === 'rejected') throw r.reason;
        return await decodeThumbnail(r ? r.value : bytesOf(f as ImageBytes), side);
      } catch (e) {
        return { error: messageOf(e) };
      }
    }));
    return transfer(out, out.flatMap((x) => ('data' in x ? [x.data.buffer as ArrayBuffer] : [])));
  },

  /**
   * One export overlay as PNG bytes (lossless: the pixels drawn) and their CRC-32, its image read
   * here as a thumbnail's is: the page's thread only writes what comes back into the zip.
   */
  async overlayPng(order: OverlayOrder & { image: ImageFile }): Promise<WithCrc> {
    const { image: file, ...rest } = order;
    const png = await encodePng(await drawOverlay({ ...rest, bytes: await bytesOfFile(file) }, (b) => decodeImage(b, { native: true })));
    return transfer(withCrc(png), [png.buffer as ArrayBuffer]);
  },

  /** Serves another worker too (the engine's inputs: engine/preparationWorkers.ts), through this port. */
  connect(port: MessagePort) {
    expose(api, port);
  },
};

/** The WebAssembly encoder (image/wasmPng.ts); the browser's own where it cannot load. */
let wasmEncoder: Promise<((image: RgbaImage) => Uint8Array) | undefined> | undefined;
async function encodePng(image: RgbaImage): Promise<Uint8Array> {
  wasmEncoder ??= wasmPngEncoder(pngWasm).catch((e) => (console.warn('PNG encoder: the browser\'s own is used', e), undefined));
  const encode = await wasmEncoder;
  if (encode) return encode(image);
  // one canvas a size, reused: a new canvas and context an overlay cost ~0.4 ms and its first
  // putImageData ~2 ms more; put and encoded in one step, so overlays in flight do not meet on it
  const ctx = overlayCanvas(image.width, image.height);
  ctx.putImageData(new ImageData(new Uint8ClampedArray(image.data.buffer as ArrayBuffer, image.data.byteOffset, image.data.length), image.width, image.height), 0, 0);
  return new Uint8Array(await (await ctx.canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
}

let drawn: OffscreenCanvasRenderingContext2D | undefined;
function overlayCanvas(width: number, height: number): OffscreenCanvasRenderingContext2D {
  if (drawn?.canvas.width !== width || drawn.canvas.height !== height) drawn = new OffscreenCanvas(width, height).getContext('2d')!;
  return drawn;
}

export type PrepareApi = typeof api;
expose(api);
