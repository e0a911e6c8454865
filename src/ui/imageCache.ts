// Decoded sample images for the page, decoded once on first view.
import type { RgbaImage } from '../engine/preprocess';
import { decodeImage } from '../sources/images';
import type { Sample } from '../sources/datasets/dataset';

const cache = new Map<Sample, Promise<RgbaImage>>();

export function sampleImage(sample: Sample): Promise<RgbaImage> {
  let p = cache.get(sample);
  if (!p) {
    p = decodeImage(sample.bytes);
    cache.set(sample, p);
  }
  return p;
}

export function clearImageCache() {
  cache.clear();
}

export function paint(canvas: HTMLCanvasElement, image: RgbaImage) {
  if (canvas.width !== image.width) canvas.width = image.width;
  if (canvas.height !== image.height) canvas.height = image.height;
  const ctx = canvas.getContext('2d');
  ctx?.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
}
