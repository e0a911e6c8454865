// A preparation worker, on another core than the page and the engine: decodes and preprocesses
// images for the engine worker, draws and encodes overlays for the export, and decodes the
// gallery's thumbnails for the page.
import { expose, transfer } from 'comlink';
import { bytesOf, inputBuffers, prepareImages, type FileToPrepare } from '../image/prepare';
import type { ModelInputSpec } from '../image/preprocess';
import { decodeImage } from '../image/decode';
import { decodeThumbnail } from '../image/thumbnail';
import { readOnDisk, type OnDisk } from '../sources/datasets/files';
import { drawOverlay, type OverlayJob } from '../render/overlay';

const api = {
  async prepare(files: FileToPrepare[], spec: ModelInputSpec, maxPixels?: number) {
    const out = await prepareImages(files, spec, maxPixels);
    return transfer(out, inputBuffers(out));
  },

  /** A gallery tile's image (image/thumbnail.ts), decoded and scaled here rather than on the page's thread. */
  async thumbnail(file: { bytes: Uint8Array } | { deflated: Uint8Array; size: number } | OnDisk) {
    const image = await decodeThumbnail('blob' in file ? await readOnDisk(file) : bytesOf(file));
    return transfer(image, [image.data.buffer as ArrayBuffer]);
  },

  /** One export overlay as PNG bytes: the browser's decoder and PNG encoder (lossless: the pixels drawn). */
  async overlayPng(job: OverlayJob): Promise<Uint8Array> {
    const image = await drawOverlay(job, (b) => decodeImage(b, { native: true }));
    const canvas = new OffscreenCanvas(image.width, image.height);
    canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
    const png = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    return transfer(png, [png.buffer]);
  },

  /** Serves another worker too (the engine's inputs: engine/preparationWorkers.ts), through this port. */
  connect(port: MessagePort) {
    expose(api, port);
  },
};

export type PrepareApi = typeof api;
expose(api);
