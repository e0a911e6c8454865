// The engine decodes with the browser's own decoder where it has one (a worker in Chromium) and
// in pure JS elsewhere (Node, the command line). PNG must give identical pixels; JPEG decoders
// may round differently, within the tolerance stated here and in the README.
import { createServer, type ViteDevServer } from 'vite';
import { chromium, type Browser, type Page } from 'playwright-core';
import { encode as encodePng } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS } from './harness';
import { doodlePng, photoJpeg, photoLike, quickdrawRows } from '../helpers';

let server: ViteDevServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await createServer({ server: { port: 0, host: '127.0.0.1' }, logLevel: 'silent' });
  await server.listen();
  const address = server.httpServer!.address();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Comparison { width: number; height: number; maxPixel: number; meanPixel: number; maxInput: number; meanInput: number }

/** Both decodes of each file in the page, compared pixel by pixel and as the 96×96 model input. */
function compare(files: Uint8Array[]): Promise<Comparison[]> {
  return page.evaluate(async (encoded) => {
    // the dev server serves the source modules themselves (import() in a string: vitest rewrites it in code)
    const load = new Function('p', 'return import(p)') as (p: string) => Promise<unknown>;
    const { decodeImage } = (await load('/src/image/decode.ts')) as typeof import('../../src/image/decode');
    const { toModelInput } = (await load('/src/image/preprocess.ts')) as typeof import('../../src/image/preprocess');
    const out = [];
    for (const list of encoded) {
      const bytes = new Uint8Array(list);
      const native = await decodeImage(bytes, { native: true });
      const pure = await decodeImage(bytes);
      if (native.width !== pure.width || native.height !== pure.height) throw new Error('sizes differ');
      let maxPixel = 0, sumPixel = 0;
      for (let i = 0; i < pure.data.length; i++) {
        const d = Math.abs(native.data[i] - pure.data[i]);
        maxPixel = Math.max(maxPixel, d);
        sumPixel += d;
      }
      const spec = { width: 96, height: 96, channels: 3 as const, scaling: '0..1' as const };
      const a = toModelInput(native, spec), b = toModelInput(pure, spec);
      let maxInput = 0, sumInput = 0;
      for (let i = 0; i < a.length; i++) {
        const d = Math.abs(a[i] - b[i]);
        maxInput = Math.max(maxInput, d);
        sumInput += d;
      }
      out.push({ width: pure.width, height: pure.height, maxPixel, meanPixel: sumPixel / pure.data.length, maxInput, meanInput: sumInput / a.length });
    }
    return out;
  }, files.map((f) => [...f]));
}

describe('native and pure-JS decoding', () => {
  it('give identical pixels for PNG (grayscale doodles, RGB, RGBA)', async () => {
    const rows = quickdrawRows('lollipop', 0, 4);
    const rgb = photoLike(rows[0], 1, 64, 48);
    const rgbBytes = new Uint8Array(64 * 48 * 3).map((_, i) => rgb.data[Math.floor(i / 3) * 4 + (i % 3)]);
    const files = [...rows.map(doodlePng), encodePng({ width: 64, height: 48, data: rgbBytes, channels: 3, depth: 8 }), encodePng({ width: 64, height: 48, data: new Uint8Array(rgb.data.map((v, i) => (i % 4 === 3 ? (i * 7) % 256 : v))), channels: 4, depth: 8 })];
    for (const c of await compare(files)) expect(c.maxPixel).toBe(0);
  });

  it('give JPEG pixels within 8 levels (mean under 1), and model inputs within 1 % (mean under 0.3 %)', async () => {
    const rows = quickdrawRows('rainbow', 0, 12);
    const files = await Promise.all(rows.map((r, i) => photoJpeg(r, i)));
    const got = await compare(files);
    const worst = (k: keyof Comparison) => Math.max(...got.map((c) => c[k]));
    console.log(`JPEG native vs pure JS over ${got.length} 320×240 images: pixels max ${worst('maxPixel')} levels, mean ${worst('meanPixel').toFixed(3)}; 96×96 model input (0..1) max ${worst('maxInput').toFixed(4)}, mean ${worst('meanInput').toFixed(5)}`);
    // measured here (Chromium's libjpeg-turbo vs jpeg-js): pixels max 3 levels, mean 0.43; input max 0.005, mean 0.0018
    expect(worst('maxPixel')).toBeLessThanOrEqual(8);
    expect(worst('meanPixel')).toBeLessThan(1);
    expect(worst('maxInput')).toBeLessThan(0.01);
    expect(worst('meanInput')).toBeLessThan(0.003);
  });

  it('give model inputs within 0.2 (mean under 0.01) when the browser also resizes (squash, bilinear: filters differ at sharp edges)', async () => {
    const rows = quickdrawRows('rainbow', 0, 12);
    const files = await Promise.all(rows.map((r, i) => photoJpeg(r, i)));
    const got = await page.evaluate(async (encoded) => {
      const load = new Function('p', 'return import(p)') as (p: string) => Promise<unknown>;
      const { decodeImage, decodeResized, canDecodeResized } = (await load('/src/image/decode.ts')) as typeof import('../../src/image/decode');
      const { toModelInput, resizedToModelInput } = (await load('/src/image/preprocess.ts')) as typeof import('../../src/image/preprocess');
      const spec = { width: 96, height: 96, channels: 3 as const, scaling: '0..1' as const };
      const out = [];
      for (const list of encoded) {
        const bytes = new Uint8Array(list);
        if (!canDecodeResized(bytes, undefined, undefined) || canDecodeResized(bytes, 'fit-short', 'bilinear') || canDecodeResized(bytes, 'squash', 'lanczos3')) throw new Error('the native resize is for squash + bilinear only');
        const a = resizedToModelInput(await decodeResized(bytes, 96, 96), spec);
        const b = toModelInput(await decodeImage(bytes), spec);
        let max = 0, sum = 0;
        for (let i = 0; i < a.length; i++) {
          const d = Math.abs(a[i] - b[i]);
          max = Math.max(max, d);
          sum += d;
        }
        out.push({ max, mean: sum / a.length });
      }
      return out;
    }, files.map((f) => [...f]));
    const max = Math.max(...got.map((g) => g.max)), mean = Math.max(...got.map((g) => g.mean));
    console.log(`JPEG decoded and resized by the browser vs pure JS over ${got.length} 320×240 images: 96×96 model input (0..1) max ${max.toFixed(4)}, mean ${mean.toFixed(5)}`);
    // measured here (Skia's bilinear with mipmaps vs resample.ts's widened triangle): max 0.160 at a stroke's edge, mean 0.0053
    expect(max).toBeLessThan(0.2);
    expect(mean).toBeLessThan(0.01);
  });
});
