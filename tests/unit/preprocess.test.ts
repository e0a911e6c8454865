// Edge Impulse preprocessing parity on known pixels: resize modes, grayscale, every input scaling,
// and laying the map back over the original image.
import { describe, expect, it } from 'vitest';
import { placement, resizedToModelInput, resizeRgb, toModelInput, INPUT_SCALINGS } from '../../src/image/preprocess';
import type { RgbaImage } from '../../src/image/rgba';
import { mapOverImage } from '../../src/render/overlay';

/** A w × h image whose pixel (x, y) is RGB (10x, 10y, 0). */
function ramp(w: number, h: number): RgbaImage {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([10 * x, 10 * y, 0, 255], (y * w + x) * 4);
  return { width: w, height: h, data };
}
const px = (rgb: Float32Array, w: number, x: number, y: number) => [...rgb.subarray((y * w + x) * 3, (y * w + x) * 3 + 3)].map((v) => Math.round(v * 1000) / 1000);

describe('resize modes', () => {
  it('squash: plain resize, aspect ignored (nearest picks the pixel under each centre)', () => {
    const out = resizeRgb(ramp(4, 2), 2, 2, 'squash', 'nearest');
    expect([px(out, 2, 0, 0), px(out, 2, 1, 0), px(out, 2, 0, 1), px(out, 2, 1, 1)]).toEqual([[10, 0, 0], [30, 0, 0], [10, 10, 0], [30, 10, 0]]);
  });

  it('fit-short: centre crop to the target aspect, then resize', () => {
    expect(placement(4, 2, 2, 2, 'fit-short')).toEqual({ src: { x: 1, y: 0, w: 2, h: 2 }, dst: { x: 0, y: 0, w: 2, h: 2 } });
    const out = resizeRgb(ramp(4, 2), 2, 2, 'fit-short', 'nearest');
    expect([px(out, 2, 0, 0), px(out, 2, 1, 0), px(out, 2, 1, 1)]).toEqual([[10, 0, 0], [20, 0, 0], [20, 10, 0]]);
  });

  it('fit-long: letterbox, centred, black padding', () => {
    expect(placement(4, 2, 4, 4, 'fit-long')).toEqual({ src: { x: 0, y: 0, w: 4, h: 2 }, dst: { x: 0, y: 1, w: 4, h: 2 } });
    const out = resizeRgb(ramp(4, 2), 4, 4, 'fit-long', 'nearest');
    expect(px(out, 4, 2, 0)).toEqual([0, 0, 0]);
    expect(px(out, 4, 2, 1)).toEqual([20, 0, 0]);
    expect(px(out, 4, 2, 2)).toEqual([20, 10, 0]);
    expect(px(out, 4, 3, 3)).toEqual([0, 0, 0]);
  });

  it('bilinear and lanczos3 keep a constant image constant and an unscaled image unchanged', () => {
    const flat: RgbaImage = { width: 7, height: 5, data: new Uint8ClampedArray(7 * 5 * 4).fill(77) };
    for (const method of ['bilinear', 'lanczos3'] as const) {
      for (const [w, h] of [[3, 2], [20, 11]]) expect(resizeRgb(flat, w, h, 'squash', method).every((v) => Math.abs(v - 77) < 1e-3)).toBe(true);
      const same = resizeRgb(ramp(5, 4), 5, 4, 'squash', method);
      expect(px(same, 5, 3, 2)).toEqual([30, 20, 0]);
    }
  });

  it('bilinear halves between neighbours when doubling', () => {
    const out = resizeRgb(ramp(2, 1), 4, 1, 'squash', 'bilinear');
    expect([0, 1, 2, 3].map((x) => px(out, 4, x, 0)[0])).toEqual([0, 2.5, 7.5, 10]);
  });
});

describe('colour depth and input scaling', () => {
  const pixel: RgbaImage = { width: 1, height: 1, data: new Uint8ClampedArray([255, 102, 0, 255]) };
  const spec = (scaling: (typeof INPUT_SCALINGS)[number], channels: 1 | 3 = 3) => ({ width: 1, height: 1, channels, scaling });
  it('grayscale is 0.299R + 0.587G + 0.114B on 0..1 values', () => {
    expect(toModelInput(pixel, spec('0..1', 1))[0]).toBeCloseTo(0.299 + 0.587 * 0.4, 6);
  });
  it.each([
    ['0..1', [1, 0.4, 0]],
    ['-1..1', [1, -0.2, -1]],
    ['0..255', [255, 102, 0]],
    ['-128..127', [127, -26, -128]],
    ['torch', [(1 - 0.485) / 0.229, (0.4 - 0.456) / 0.224, (0 - 0.406) / 0.225]],
    ['bgr-subtract-imagenet-mean', [0 - 103.939, 102 - 116.779, 255 - 123.68]],
  ] as const)('%s', (scaling, expected) => {
    const out = toModelInput(pixel, spec(scaling));
    expected.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 4));
  });
  it('an image the browser resized to the model\'s size (its levels looked up) gives the very numbers of the per-pixel path, every scaling', () => {
    // every level in every channel, in a 16 × 16 image
    const data = new Uint8ClampedArray(16 * 16 * 4);
    for (let i = 0; i < 256; i++) data.set([i, (i * 7 + 3) % 256, 255 - i, 255], i * 4);
    const image: RgbaImage = { width: 16, height: 16, data };
    for (const scaling of INPUT_SCALINGS) {
      for (const channels of [1, 3] as const) {
        const want = toModelInput(image, { width: 16, height: 16, channels, scaling });
        const got = resizedToModelInput(image, { width: 16, height: 16, channels, scaling });
        expect(got.length).toBe(16 * 16 * channels);
        expect([...got], `${scaling}, ${channels} channel(s)`).toEqual([...want]);
      }
    }
  });
});

describe('maps back onto the original image', () => {
  const map = Float32Array.from([0, 1]); // a 2×1 grid: left cold, right hot
  it('fit-short: the cropped-away sides are marked unseen; the crop gets the whole map', () => {
    const over = mapOverImage(map, 2, 1, 4, 2, { width: 2, height: 2, resizeMode: 'fit-short' });
    expect(Number.isNaN(over[0])).toBe(true);
    expect(Number.isNaN(over[3])).toBe(true);
    expect(over[1]).toBe(0);
    expect(over[2]).toBe(1);
  });
  it('fit-long: the padding is cut off; the image gets the part of the map over it', () => {
    const grid = Float32Array.from([9, 9, 0, 1, 9, 9]); // 2×3 grid over a 4×4 letterboxed input
    const over = mapOverImage(grid, 2, 3, 4, 2, { width: 4, height: 4, resizeMode: 'fit-long' });
    expect(over.every((v) => v <= 9 && !Number.isNaN(v))).toBe(true);
    expect(over[0]).toBeLessThan(over[3]);
  });
});

describe('model-size output', () => {
  it('draws the overlay over the input the model saw (letterboxed here)', async () => {
    const { renderOverlay } = await import('../../src/render/overlay');
    const wide: RgbaImage = { width: 224, height: 112, data: new Uint8ClampedArray(224 * 112 * 4).fill(200) };
    const view = { alpha: 0.5, normalization: 'simple' as const, colormap: 'jet' as const, drawAt: 'model' as const };
    const out = renderOverlay(wide, Float32Array.from([1, 1, 1, 1]), 2, 2, view, undefined, { width: 112, height: 112, resizeMode: 'fit-long' });
    expect([out.width, out.height]).toEqual([112, 112]);
    // top rows are padding: black image under a hot (dark red) map
    expect([...out.data.subarray(0, 3)]).toEqual([64, 0, 0]);
    const atImage = renderOverlay(wide, Float32Array.from([1, 1, 1, 1]), 2, 2, { ...view, drawAt: 'image' }, undefined, { width: 112, height: 112, resizeMode: 'fit-long' });
    expect([atImage.width, atImage.height]).toEqual([224, 112]);
  });
});
