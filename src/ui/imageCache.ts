// Decoded sample images for the page, decoded once on first view; a sample that is dropped
// (a new data set) takes its image with it.
import type { RgbaImage } from '../image/rgba';
import { decodeImage } from '../image/decode';
import type { Sample } from '../sources/datasets/dataset';

const cache = new WeakMap<Sample, Promise<RgbaImage>>();

export function sampleImage(sample: Sample): Promise<RgbaImage> {
  let p = cache.get(sample);
  if (!p) {
    p = decodeImage(sample.bytes);
    cache.set(sample, p);
  }
  return p;
}

export function paint(canvas: HTMLCanvasElement, image: RgbaImage) {
  if (canvas.width !== image.width) canvas.width = image.width;
  if (canvas.height !== image.height) canvas.height = image.height;
  const ctx = canvas.getContext('2d');
  ctx?.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
}
