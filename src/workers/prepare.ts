// A preparation worker, on another core than the page and the engine: decodes and preprocesses
// images for the engine worker, and draws and encodes overlays for the export.
import { expose, transfer } from 'comlink';
import { prepareImages, type FileToPrepare } from '../image/prepare';
import type { ModelInputSpec } from '../image/preprocess';
import { decodeImage } from '../image/decode';
import { drawOverlay, type OverlayJob } from '../render/overlay';

const api = {
  async prepare(files: FileToPrepare[], spec: ModelInputSpec, maxPixels?: number) {
    const out = await prepareImages(files, spec, maxPixels);
    return transfer(out, out.flatMap((p) => ('input' in p ? [p.input.buffer as ArrayBuffer] : [])));
  },

  /** One export overlay as PNG bytes: the browser's decoder and PNG encoder (lossless: the pixels drawn). */
  async overlayPng(job: OverlayJob): Promise<Uint8Array> {
    const image = await drawOverlay(job, (b) => decodeImage(b, { native: true }));
    const canvas = new OffscreenCanvas(image.width, image.height);
    canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
    const png = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    return transfer(png, [png.buffer]);
  },
};

export type PrepareApi = typeof api;
expose(api);
