// The engine decodes with the browser's own decoder where it has one (a worker in Chromium) and
// with its own elsewhere (Node, the command line): PNG in pure JS, JPEG with mozjpeg in WebAssembly
// (image/jpegWasm.ts; "pure JS" below is that path). PNG must give identical pixels; JPEG decoders
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

  it('give JPEG pixels within 3 levels (mean under 0.3), and model inputs within 0.6 % (mean under 0.1 %)', async () => {
    const rows = quickdrawRows('rainbow', 0, 12);
    const files = await Promise.all(rows.map((r, i) => photoJpeg(r, i)));
    const got = await compare(files);
    const worst = (k: keyof Comparison) => Math.max(...got.map((c) => c[k]));
    console.log(`JPEG native vs pure JS over ${got.length} 320×240 images: pixels max ${worst('maxPixel')} levels, mean ${worst('meanPixel').toFixed(3)}; 96×96 model input (0..1) max ${worst('maxInput').toFixed(4)}, mean ${worst('meanInput').toFixed(5)}`);
    // measured here (Chromium's libjpeg-turbo vs mozjpeg): pixels max 1 level, mean 0.125; input max 0.0039, mean 0.00065
    // (against jpeg-js, the pure-JS decoder before: max 3 levels, mean 0.43; input max 0.005, mean 0.0018)
    expect(worst('maxPixel')).toBeLessThanOrEqual(3);
    expect(worst('meanPixel')).toBeLessThan(0.3);
    expect(worst('maxInput')).toBeLessThan(0.006);
    expect(worst('meanInput')).toBeLessThan(0.001);
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

describe('JPEGs decoded at a reduced scale for the model input (scaled DCT)', () => {
  it('give model inputs within a few levels of the whole image decoded and resized', async () => {
    const rows = quickdrawRows('rainbow', 0, 12);
    const files = await Promise.all(rows.map((r, i) => photoJpeg(r, i)));
    const got = await page.evaluate(async (encoded) => {
      const load = new Function('p', 'return import(p)') as (p: string) => Promise<unknown>;
      const { decodeAtLeast, decodeImage, decodeResized } = (await load('/src/image/decode.ts')) as typeof import('../../src/image/decode');
      const out = [];
      for (const list of encoded) {
        const bytes = new Uint8Array(list);
        // a 320×240 photo for a 96×96 input: decoded at 1/2
        const d = await decodeAtLeast(bytes, () => ({ width: 96, height: 96 }));
        const frame = d?.image as VideoFrame | undefined;
        const decoded = `${frame?.codedWidth}×${frame?.codedHeight}`;
        d?.close();
        const small = await decodeResized(bytes, 96, 96);
        // the whole image decoded and resized by createImageBitmap
        const bitmap = await createImageBitmap(new Blob([bytes]), { colorSpaceConversion: 'none', premultiplyAlpha: 'none', resizeWidth: 96, resizeHeight: 96, resizeQuality: 'medium' });
        const ctx = new OffscreenCanvas(96, 96).getContext('2d')!;
        ctx.drawImage(bitmap, 0, 0);
        const whole = ctx.getImageData(0, 0, 96, 96).data;
        let max = 0, sum = 0;
        for (let i = 0; i < whole.length; i++) {
          const dd = Math.abs(whole[i] - small.data[i]);
          max = Math.max(max, dd);
          sum += dd;
        }
        out.push({ decoded, max, mean: sum / whole.length });
      }
      return out;
    }, files.map((f) => [...f]));
    const max = Math.max(...got.map((g) => g.max)), mean = Math.max(...got.map((g) => g.mean));
    console.log(`96×96 model inputs of ${got.length} 320×240 JPEGs, decoded at 1/2 vs whole (both resized by the browser): max ${max} levels, mean ${mean.toFixed(3)}`);
    for (const g of got) expect(g.decoded).toBe('160×120');
    // measured here: max 6 levels, mean 0.33
    expect(max).toBeLessThanOrEqual(16);
    expect(mean).toBeLessThan(1);
  });

  it('give gallery thumbnails within a few levels of the whole image decoded and scaled', async () => {
    const rows = quickdrawRows('rainbow', 0, 12);
    const files = await Promise.all(rows.map((r, i) => photoJpeg(r, i)));
    const got = await page.evaluate(async (encoded) => {
      const load = new Function('p', 'return import(p)') as (p: string) => Promise<unknown>;
      const { decodeThumbnail } = (await load('/src/image/thumbnail.ts')) as typeof import('../../src/image/thumbnail');
      const out = [];
      for (const list of encoded) {
        const bytes = new Uint8Array(list);
        // a tile 150 pixels wide: the 320×240 photo decoded at 1/2, then scaled to 150×113
        const thumb = await decodeThumbnail(bytes, 150);
        const bitmap = await createImageBitmap(new Blob([bytes]), { colorSpaceConversion: 'none' });
        const ctx = new OffscreenCanvas(thumb.width, thumb.height).getContext('2d')!;
        ctx.imageSmoothingQuality = 'medium';
        ctx.drawImage(bitmap, 0, 0, thumb.width, thumb.height);
        const whole = ctx.getImageData(0, 0, thumb.width, thumb.height).data;
        let max = 0, sum = 0;
        for (let i = 0; i < whole.length; i++) {
          const d = Math.abs(whole[i] - thumb.data[i]);
          max = Math.max(max, d);
          sum += d;
        }
        out.push({ size: `${thumb.width}×${thumb.height}`, max, mean: sum / whole.length });
      }
      return out;
    }, files.map((f) => [...f]));
    const max = Math.max(...got.map((g) => g.max)), mean = Math.max(...got.map((g) => g.mean));
    console.log(`150-pixel thumbnails of ${got.length} 320×240 JPEGs, decoded at 1/2 vs whole: max ${max} levels, mean ${mean.toFixed(3)}`);
    for (const g of got) expect(g.size).toBe('150×113');
    // measured here: max 22 levels (a stroke's edge, scaled from 160 rather than 320 pixels), mean 0.79
    expect(max).toBeLessThanOrEqual(32);
    expect(mean).toBeLessThan(1.5);
  });

  it('give a run its gallery thumbnails from the model input\'s decode where it covers the tile: at the same scale pixel for pixel those decoded alone, from a larger one within the thumbnails\' tolerance, the input as it was', async () => {
    const rows = quickdrawRows('rainbow', 0, 6);
    const files = await Promise.all(rows.map((r, i) => photoJpeg(r, i)));
    const png = doodlePng(rows[0]);
    const got = await page.evaluate(async ([encoded, pngList]) => {
      const load = new Function('p', 'return import(p)') as (p: string) => Promise<unknown>;
      const { prepareImages } = (await load('/src/image/prepare.ts')) as typeof import('../../src/image/prepare');
      const { decodeThumbnail } = (await load('/src/image/thumbnail.ts')) as typeof import('../../src/image/thumbnail');
      const spec = { width: 96, height: 96, channels: 3 as const, scaling: '0..1' as const };
      const same = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && Array.prototype.every.call(a, (v: number, i: number) => v === b[i]);
      const diff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
        let max = 0, sum = 0;
        for (let i = 0; i < a.length; i++) {
          max = Math.max(max, Math.abs(a[i] - b[i]));
          sum += Math.abs(a[i] - b[i]);
        }
        return { max, mean: sum / a.length };
      };
      const out = [];
      for (const list of encoded) {
        const bytes = new Uint8Array(list);
        // the 96×96 input decodes a 320×240 photo at 4/8; a 128-pixel tile needs 4/8 too, a 112-pixel one 3/8, a 192-pixel one 5/8
        const [plain, with128, with112, with192] = await Promise.all([undefined, 128, 112, 192].map(async (thumbnail) => (await prepareImages([{ id: 'a', bytes, thumbnail }], spec))[0]));
        if (!('input' in plain) || !('input' in with128) || !('input' in with112) || !('input' in with192)) throw new Error('not prepared');
        const alone128 = await decodeThumbnail(bytes, 128);
        // the whole image decoded and scaled to 112×84, as the thumbnails' tolerance is stated (above)
        const bitmap = await createImageBitmap(new Blob([bytes]), { colorSpaceConversion: 'none' });
        const ctx = new OffscreenCanvas(112, 84).getContext('2d')!;
        ctx.imageSmoothingQuality = 'medium';
        ctx.drawImage(bitmap, 0, 0, 112, 84);
        const whole112 = ctx.getImageData(0, 0, 112, 84).data;
        out.push({
          inputSame: [with128, with112, with192].every((p) => same(plain.input, p.input)),
          size: with128.thumbnail ? `${with128.thumbnail.width}×${with128.thumbnail.height}` : 'none',
          thumbnailSame: !!with128.thumbnail && same(with128.thumbnail.data, alone128.data),
          size112: with112.thumbnail ? `${with112.thumbnail.width}×${with112.thumbnail.height}` : 'none',
          off112: with112.thumbnail ? diff(with112.thumbnail.data, whole112) : undefined,
          at192: !!with192.thumbnail,
        });
      }
      const p = (await prepareImages([{ id: 'p', bytes: new Uint8Array(pngList), thumbnail: 128 }], spec))[0];
      return { out, png: 'thumbnail' in p && !!p.thumbnail };
    }, [files.map((f) => [...f]), [...png]] as const);
    const max = Math.max(...got.out.map((g) => g.off112?.max ?? Infinity)), mean = Math.max(...got.out.map((g) => g.off112?.mean ?? Infinity));
    console.log(`112-pixel thumbnails of ${got.out.length} 320×240 JPEGs from the input's 4/8 decode vs the whole image decoded and scaled: max ${max} levels, mean ${mean.toFixed(3)}`);
    for (const g of got.out) expect({ ...g, off112: undefined }).toEqual({ inputSame: true, size: '128×96', thumbnailSame: true, size112: '112×84', off112: undefined, at192: false });
    // the thumbnails' tolerance against the whole image (above: max 32 levels, mean under 1.5)
    expect(max).toBeLessThanOrEqual(32);
    expect(mean).toBeLessThan(1.5);
    // a PNG is decoded in pure JS whatever the tile (a doodle's thumbnail costs next to nothing)
    expect(got.png).toBe(false);
  });

  it('are turned as the file\'s orientation says, as the whole-image decode turns them', async () => {
    const got = await page.evaluate(async () => {
      const load = new Function('p', 'return import(p)') as (p: string) => Promise<unknown>;
      const { decodeAtLeast, decodeImage, decodeResized } = (await load('/src/image/decode.ts')) as typeof import('../../src/image/decode');
      // 320×160: left half red, right half blue
      const c = new OffscreenCanvas(320, 160);
      const x = c.getContext('2d')!;
      x.fillStyle = '#f00';
      x.fillRect(0, 0, 160, 160);
      x.fillStyle = '#00f';
      x.fillRect(160, 0, 160, 160);
      const jpeg = new Uint8Array(await (await c.convertToBlob({ type: 'image/jpeg', quality: 0.95 })).arrayBuffer());
      // an Exif segment (APP1) whose only entry is Orientation = 6: shown turned 90° clockwise
      const tiff = [0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0];
      const app1 = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
      const turned = new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0, app1.length + 2, ...app1, ...jpeg.subarray(2)]);
      // decoded at 1/2 for a 40×80 input, its size as shown
      const d = await decodeAtLeast(turned, () => ({ width: 40, height: 80 }));
      const frame = d?.image as VideoFrame | undefined;
      const decoded = [d?.width, d?.height, frame?.codedWidth, frame?.codedHeight];
      d?.close();
      const t = await decodeResized(turned, 40, 80);
      const at = (px: number, py: number) => [...t.data.subarray((py * t.width + px) * 4, (py * t.width + px) * 4 + 3)];
      // the whole image (the detail view, the export's overlays): 160×320, turned the same way
      const w = await decodeImage(turned, { native: true });
      const whole = (px: number, py: number) => [...w.data.subarray((py * w.width + px) * 4, (py * w.width + px) * 4 + 3)];
      return { decoded, top: at(20, 5), bottom: at(20, 75), whole: [w.width, w.height], wholeTop: whole(80, 20), wholeBottom: whole(80, 300) };
    });
    expect(got.whole).toEqual([160, 320]);
    expect(got.wholeTop[0]).toBeGreaterThan(200);
    expect(got.wholeTop[2]).toBeLessThan(50);
    expect(got.wholeBottom[2]).toBeGreaterThan(200);
    expect(got.wholeBottom[0]).toBeLessThan(50);
    expect(got.decoded).toEqual([160, 320, 160, 80]);
    expect(got.top[0]).toBeGreaterThan(200); // red on top
    expect(got.top[2]).toBeLessThan(50);
    expect(got.bottom[2]).toBeGreaterThan(200); // blue below
    expect(got.bottom[0]).toBeLessThan(50);
  });
});
