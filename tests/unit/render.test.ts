import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mapScale, normalizeMap, percentile, scaleOfMany } from '../../src/render/normalize';
import { colormapTable } from '../../src/render/colormap';
import { alphaSteps, blend, blendLevelsInto, colourLevels, enlargeSmall, heatLevels, mapOverImage, renderHeatmap, renderOverlay } from '../../src/render/overlay';
import { COLORMAPS } from '../../src/render/colormap';
import { hasOverlayWasm, useOverlayWasm } from '../../src/render/overlayWasm';
import { upsample } from '../../src/common/grid';
import { datasetScaleOf, datasetScaleSoon, scaleOf } from '../../src/state/selectors';
import { DEFAULT_VIEW } from '../../src/results/view';
import type { AppState } from '../../src/state/store';

const f32 = (a: number[]) => Float32Array.from(a);
const firstDifference = (a: Uint8Array | Uint8ClampedArray, b: Uint8Array | Uint8ClampedArray) => (a.length !== b.length ? 0 : a.findIndex((v: number, i: number) => v !== b[i]));

describe('normalisation', () => {
  it('simple: ReLU then divide by the max', () => {
    expect([...normalizeMap(f32([-1, 0, 1, 2, 4]), 'simple')]).toEqual([0, 0, 0.25, 0.5, 1]);
  });

  it('percentile: clips at the 99th percentile of the positive values, so one hot cell cannot wash out the rest', () => {
    const map = f32([...Array(99).fill(1), 100]);
    const p99 = percentile(f32(Array.from(map)), 99);
    expect(p99).toBeCloseTo(1 + 0.01 * 99, 5); // numpy: np.percentile([1]*99+[100], 99) = 1.99
    const out = normalizeMap(map, 'percentile');
    expect(out[0]).toBeCloseTo(1 / 1.99, 5);
    expect(out[99]).toBe(1);
    expect(normalizeMap(map, 'simple')[0]).toBeCloseTo(0.01, 5);
  });

  it('never yields NaN: an all-negative or all-zero map renders as zeros', () => {
    for (const mode of ['simple', 'percentile'] as const) {
      expect([...normalizeMap(f32([-3, -1, -2]), mode)]).toEqual([0, 0, 0]);
      expect([...normalizeMap(f32([0, 0]), mode)]).toEqual([0, 0]);
    }
  });

  it('percentile interpolates like numpy', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 99)).toBeCloseTo(3.97, 10);
    expect(percentile([], 99)).toBe(0);
  });
});

describe('pixels', () => {
  it('JET runs dark blue → cyan → yellow → dark red', () => {
    const t = colormapTable('jet');
    const at = (i: number) => [...t.subarray(i * 3, i * 3 + 3)];
    expect(at(0)).toEqual([0, 0, 128]);
    expect(at(255)).toEqual([128, 0, 0]);
    expect(at(128)[1]).toBe(255); // green peaks in the middle
  });

  it('upsampling keeps a constant map constant and interpolates between cells', () => {
    expect([...upsample(f32([0.5]), 1, 1, 3, 2)]).toEqual(Array(6).fill(0.5));
    const up = upsample(f32([0, 1]), 2, 1, 4, 1); // centres at x=0.5 and 2.5 of 4 pixels
    expect([...up]).toEqual([0, 0.25, 0.75, 1]);
  });

  it('the separable upsampling gives exactly the per-pixel bilinear values', () => {
    // the definition, pixel by pixel (what upsample() computed before it was made separable)
    const reference = (m: Float32Array, gw: number, gh: number, w: number, h: number) => {
      const out = new Float32Array(w * h);
      for (let y = 0; y < h; y++) {
        const fy = Math.min(Math.max((y + 0.5) * (gh / h) - 0.5, 0), gh - 1);
        const y0 = Math.floor(fy), y1 = Math.min(y0 + 1, gh - 1), dy = fy - y0;
        for (let x = 0; x < w; x++) {
          const fx = Math.min(Math.max((x + 0.5) * (gw / w) - 0.5, 0), gw - 1);
          const x0 = Math.floor(fx), x1 = Math.min(x0 + 1, gw - 1), dx = fx - x0;
          const top = m[y0 * gw + x0] * (1 - dx) + m[y0 * gw + x1] * dx;
          const bottom = m[y1 * gw + x0] * (1 - dx) + m[y1 * gw + x1] * dx;
          out[y * w + x] = top * (1 - dy) + bottom * dy;
        }
      }
      return out;
    };
    for (const [gw, gh, w, h] of [[3, 3, 160, 120], [7, 7, 112, 112], [1, 4, 33, 17], [12, 9, 5, 4]]) {
      const m = Float32Array.from({ length: gw * gh }, (_, i) => Math.abs(Math.sin(i * 12.9898 + gw)));
      expect(upsample(m, gw, gh, w, h)).toEqual(reference(m, gw, gh, w, h));
    }
  });

  it('the blend gives round((1 − alpha)·b + alpha·h), alpha in 1/32768ths, for every pair of values (off by one from floating point only at halves), and half brightness where unseen', () => {
    const image = { width: 256, height: 256, data: new Uint8ClampedArray(256 * 256 * 4) };
    const heat = { width: 256, height: 256, data: new Uint8ClampedArray(256 * 256 * 4) };
    for (let b = 0; b < 256; b++) {
      for (let h = 0; h < 256; h++) {
        const i = (b * 256 + h) * 4;
        image.data.set([b, 255 - b, h, 255], i);
        heat.data.set([h, b, 255 - h, b === 7 ? 0 : 255], i); // row b = 7: unseen
      }
    }
    for (const wasm of [true, false]) {
      useOverlayWasm(wasm);
      expect(hasOverlayWasm()).toBe(wasm); // Node 20 has WebAssembly SIMD, as every browser the app runs in
      for (const alpha of [0, 0.05, 0.37, 0.4, 0.5, 0.8, 1]) {
        const a = alphaSteps(alpha);
        const out = blend(image, heat, alpha).data;
        for (let i = 0; i < out.length; i += 4) {
          const seen = heat.data[i + 3] > 0;
          for (let c = 0; c < 3; c++) {
            const [b, h] = [image.data[i + c], heat.data[i + c]];
            // exactly: b + round(a·(h − b) / 32768), halves up, in integers
            const exact = b + Math.floor((a * (h - b)) / 32768 + 0.5);
            const want = seen ? exact : Math.round(b / 2);
            if (out[i + c] !== want) expect([wasm, alpha, i, c, out[i + c]]).toEqual([wasm, alpha, i, c, want]);
            // and the float formula's value, but where that sum sits within a rounding error of a half
            const float = (1 - alpha) * b + alpha * h;
            if (seen && Math.abs((float % 1) - 0.5) > 1e-3 && out[i + c] !== Math.round(float)) expect([alpha, b, h, out[i + c]]).toEqual([alpha, b, h, Math.round(float)]);
          }
          if (out[i + 3] !== 255) expect(out[i + 3]).toBe(255);
        }
      }
    }
    useOverlayWasm(true);
    // alpha 1 is 32767/32768ths, and still the heatmap itself
    expect(alphaSteps(1)).toBe(32767);
  });

  it('the WebAssembly module loaded is the one overlay.wat says', () => {
    // wat2wasm (wabt) on the text, compared with the bytes in overlayWasm.bytes.ts
    expect(() => execFileSync(process.execPath, ['scripts/wasm.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('the WebAssembly SIMD colormap indices are JavaScript\'s, at any size (odd widths, rows in several calls) and any values (out of 0..1, ±Infinity)', () => {
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const cases: [number, number, number, number][] = [[7, 7, 112, 112], [3, 3, 128, 96], [12, 9, 321, 241], [2, 5, 1, 1], [7, 7, 3, 7], [6, 6, 600, 400], [14, 14, 97, 113]];
    for (const [gw, gh, width, height] of cases) {
      for (let trial = 0; trial < 3; trial++) {
        const map = Float32Array.from({ length: gw * gh }, () => next() * 1.4 - 0.2);
        if (trial === 2) map.set([Infinity, -Infinity, 0.5 / 255, 1.5 / 255], 0); // and values whose index sits on a half
        const [simd, js] = [true, false].map((on) => {
          useOverlayWasm(on);
          return heatLevels(map, gw, gh, width, height);
        });
        expect(simd.unseen).toEqual(js.unseen); // none, but where ∞ − ∞ made a NaN (JavaScript's then)
        expect(firstDifference(simd.levels, js.levels)).toBe(-1);
      }
    }
    // a NaN (unseen) is JavaScript's to mark, the module or not
    useOverlayWasm(true);
    expect(heatLevels(f32([NaN, 0.5, 0.2, 1]), 2, 2, 8, 8).unseen).toBeDefined();
  });

  it('the WebAssembly SIMD blend gives the table\'s pixels, at any size (chunks, a tail short of 16 bytes)', () => {
    for (const [width, height] of [[1, 1], [3, 5], [112, 112], [320, 240], [300, 301]]) {
      const n = width * height;
      const image = { width, height, data: Uint8ClampedArray.from({ length: n * 4 }, (_, i) => (i % 4 === 3 ? 255 : (i * 37 + (i >> 7)) % 256)) };
      const heat = { width, height, levels: Uint8Array.from({ length: n }, (_, i) => (i * 11 + (i >> 9)) % 256), unseen: Uint8Array.from({ length: n }, (_, i) => (i % 13 === 0 ? 1 : 0)) };
      for (const alpha of [0.05, 0.35, 1]) {
        const [simd, table] = [true, false].map((on) => {
          useOverlayWasm(on);
          const out = new Uint8ClampedArray(n * 4);
          blendLevelsInto(out, image, heat, 'jet', alpha);
          return { levels: out, coloured: blend(image, colourLevels(heat, 'viridis'), alpha).data };
        });
        // the first differing byte, if any (toEqual over arrays this size takes seconds)
        expect(firstDifference(simd.levels, table.levels)).toBe(-1);
        expect(firstDifference(simd.coloured, table.coloured)).toBe(-1);
      }
    }
    useOverlayWasm(true);
  });

  it('overlay = (1 − alpha)·image + alpha·heatmap', () => {
    const image = { width: 1, height: 1, data: new Uint8ClampedArray([100, 200, 50, 255]) };
    const heat = { width: 1, height: 1, data: new Uint8ClampedArray([255, 0, 0, 255]) };
    expect([...blend(image, heat, 0).data]).toEqual([100, 200, 50, 255]);
    expect([...blend(image, heat, 1).data]).toEqual([255, 0, 0, 255]);
    expect([...blend(image, heat, 0.4).data]).toEqual([162, 120, 30, 255]);
  });

  it('renders a heatmap at the image size, hottest where the map is highest', () => {
    const heat = renderHeatmap(f32([0, 1, 0, 0]), 2, 2, 4, 4);
    expect(heat.width).toBe(4);
    expect([...heat.data.subarray((0 * 4 + 3) * 4, (0 * 4 + 3) * 4 + 3)]).toEqual([128, 0, 0]); // top-right pixel
    expect([...heat.data.subarray((3 * 4 + 0) * 4, (3 * 4 + 0) * 4 + 3)]).toEqual([0, 0, 128]); // bottom-left pixel
    const o = renderOverlay({ width: 4, height: 4, data: new Uint8ClampedArray(64).fill(255) }, f32([NaN, -1, -1, -1]), 2, 2, { alpha: 0.5, normalization: 'simple', colormap: 'jet' });
    expect(o.data.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('a heatmap is the map at each pixel, round(v·255), through the colormap, transparent where the model saw nothing; recoloured indices equal a fresh heatmap', () => {
    // a 3×2 grid over a 30×12 image cropped to a square model input: its sides unseen
    const map = f32([0, 0.2, 1.4, 0.5, -0.3, 0.999]);
    const geometry = { width: 8, height: 8, resizeMode: 'fit-short' as const };
    const up = mapOverImage(map, 3, 2, 30, 12, geometry);
    expect(up.some((v) => Number.isNaN(v))).toBe(true);
    const levels = heatLevels(map, 3, 2, 30, 12, geometry);
    for (const name of COLORMAPS) {
      const table = colormapTable(name);
      const expected = new Uint8ClampedArray(30 * 12 * 4);
      up.forEach((v, i) => {
        if (Number.isNaN(v)) return;
        const k = Math.min(255, Math.max(0, Math.round(v * 255)));
        expected.set([table[k * 3], table[k * 3 + 1], table[k * 3 + 2], 255], i * 4);
      });
      expect(renderHeatmap(map, 3, 2, 30, 12, name, geometry).data).toEqual(expected);
      expect(colourLevels(levels, name).data).toEqual(expected); // the tiles' recolouring
    }
    expect(heatLevels(map, 3, 2, 30, 12).unseen).toBeUndefined(); // squashed: seen everywhere
  });

  it('where the model saw the whole image, the indices written as the map is upsampled are those of the map at the image size', () => {
    // the definition: the upsampled map, each value round(v·255) clamped, NaN unseen (heatLevels' general path)
    const reference = (m: Float32Array, gw: number, gh: number, w: number, h: number) => {
      const up = upsample(m, gw, gh, w, h);
      const levels = new Uint8Array(w * h), unseen = new Uint8Array(w * h);
      up.forEach((v, i) => (Number.isNaN(v) ? (unseen[i] = 1) : (levels[i] = Math.min(255, Math.max(0, Math.round(v * 255))))));
      return { levels, unseen: unseen.some((u) => u) ? unseen : undefined };
    };
    const squash = { width: 8, height: 8, resizeMode: 'squash' as const };
    for (const [gw, gh, w, h] of [[3, 3, 112, 112], [7, 7, 112, 112], [6, 6, 128, 96], [1, 4, 33, 17], [12, 9, 5, 4]]) {
      // values across and beyond 0..1, and the halfway points of the rounding
      const m = Float32Array.from({ length: gw * gh }, (_, i) => (i % 5 === 0 ? (i % 255) / 255 + 0.5 / 255 : Math.sin(i * 12.9898 + gw) * 0.7 + 0.4));
      const want = reference(m, gw, gh, w, h);
      for (const got of [heatLevels(m, gw, gh, w, h), heatLevels(m, gw, gh, w, h, squash)]) {
        expect(got.levels).toEqual(want.levels);
        expect(got.unseen).toEqual(undefined);
      }
    }
    // a NaN in the map: unseen where it reaches, as before
    const withNaN = f32([NaN, 0.5, 0.2, 1]);
    const got = heatLevels(withNaN, 2, 2, 8, 8);
    expect(got.unseen).toEqual(reference(withNaN, 2, 2, 8, 8).unseen);
    expect(got.levels).toEqual(reference(withNaN, 2, 2, 8, 8).levels);
  });

  it('blending from the colormap indices gives the pixels of blending the coloured heatmap, unseen parts at half brightness', () => {
    const width = 64, height = 48, n = width * height;
    const image = { width, height, data: Uint8ClampedArray.from({ length: n * 4 }, (_, i) => (i % 4 === 3 ? 255 : (i * 37 + (i >> 7)) % 256)) };
    const levels = { width, height, levels: Uint8Array.from({ length: n }, (_, i) => (i * 11) % 256), unseen: Uint8Array.from({ length: n }, (_, i) => (i % 13 === 0 ? 1 : 0)) };
    for (const heat of [levels, { ...levels, unseen: undefined }]) {
      for (const name of COLORMAPS) {
        for (const alpha of [0, 0.05, 0.45, 0.8, 1]) {
          const out = new Uint8ClampedArray(n * 4);
          blendLevelsInto(out, image, heat, name, alpha);
          expect(out).toEqual(blend(image, colourLevels(heat, name), alpha).data);
        }
      }
    }
  });

  it('enlarges small images by a whole factor and leaves large ones alone', () => {
    const tiny = { width: 2, height: 1, data: new Uint8ClampedArray([1, 2, 3, 255, 4, 5, 6, 255]) };
    const big = enlargeSmall(tiny, 4);
    expect([big.width, big.height]).toEqual([4, 2]);
    expect([...big.data.subarray(0, 8)]).toEqual([1, 2, 3, 255, 1, 2, 3, 255]);
    expect([...big.data.subarray(8, 16)]).toEqual([4, 5, 6, 255, 4, 5, 6, 255]);
    expect([...big.data.subarray(16, 32)]).toEqual([...big.data.subarray(0, 16)]); // the row again
    // two rows, 3× (each source pixel a 3×3 block), from a view that does not start at a multiple of 4 bytes
    const buffer = new Uint8ClampedArray(1 + 2 * 2 * 4);
    buffer.set([10, 11, 12, 255, 20, 21, 22, 255, 30, 31, 32, 255, 40, 41, 42, 255], 1);
    const odd = enlargeSmall({ width: 2, height: 2, data: buffer.subarray(1) }, 6);
    expect([odd.width, odd.height]).toEqual([6, 6]);
    const at = (x: number, y: number) => odd.data[(y * 6 + x) * 4];
    expect([0, 1, 2, 3, 4, 5].map((y) => [0, 1, 2, 3, 4, 5].map((x) => at(x, y)))).toEqual([
      ...Array(3).fill([10, 10, 10, 20, 20, 20]),
      ...Array(3).fill([30, 30, 30, 40, 40, 40]),
    ]);
    const large = { width: 200, height: 100, data: new Uint8ClampedArray(200 * 100 * 4) };
    expect(enlargeSmall(large)).toBe(large);
  });
});

describe('the data-set-wide scale', () => {
  const result = (id: string, values: number[]) => ({ id, kind: 'classification' as const, confidence: 1, predictedIndex: 0, top: [], targetIndex: 0, gridHeight: 1, gridWidth: values.length, maps: { 'gradcam:mean': f32(values), hirescam: f32(values.map((v) => 2 * v)) } });
  const state = () => {
    const results = { a: result('a', [1, 2, 4]), b: result('b', [-1, 8, 0]) };
    return { results, resultsVersion: 1, scoreCam: {}, view: { ...DEFAULT_VIEW, normalization: 'simple' as const } };
  };

  it('is the scale of all maps together, ready whatever the scope, and only under "the data set" does a tile use it', () => {
    const s = state();
    expect(datasetScaleOf(s)).toEqual({ lo: 0, hi: 8 });
    expect(scaleOf(s as unknown as AppState)).toBeUndefined(); // scope 'image'
    expect(scaleOf({ ...s, view: { ...s.view, scope: 'dataset' } } as unknown as AppState)).toEqual({ lo: 0, hi: 8 });
    expect(datasetScaleOf({ ...s, view: { ...s.view, method: 'hirescam' } })).toEqual({ lo: 0, hi: 16 });
  });

  it('is computed once per map set while results stay, and again when they change', () => {
    const s = state();
    const first = datasetScaleOf(s);
    expect(datasetScaleOf({ ...s, view: { ...s.view, alpha: 0.9, scope: 'dataset' } })).toBe(first);
    s.results.b.maps['gradcam:mean'][1] = 20; // results are changed in place, and the version bumped
    expect(datasetScaleOf(s)).toBe(first);
    expect(datasetScaleOf({ ...s, resultsVersion: 2 })).toEqual({ lo: 0, hi: 20 });
  });

  it('worked out a slice at a time (the idle path) is the scale computed in one go, cached for it', () => {
    // 1,200 results: three slices of 500; every mode, and results that change half-way
    for (const normalization of ['percentile', 'simple', 'min-max'] as const) {
      const results: Record<string, ReturnType<typeof result>> = {};
      for (let i = 0; i < 1200; i++) results[`s${i}`] = result(`s${i}`, [Math.sin(i) * 5, Math.cos(i * 3) * 7, i % 11 === 0 ? 40 : i / 400]);
      const s = { results, resultsVersion: 1, scoreCam: {}, view: { ...DEFAULT_VIEW, normalization } };
      const whole = { ...s, resultsVersion: 0 }; // another cache entry: computed in one go
      const expected = datasetScaleOf(whole);
      let calls = 1;
      while (!datasetScaleSoon(s, () => false)) calls++;
      expect(calls).toBe(3);
      expect(datasetScaleOf(s)).toEqual(expected);
      expect(datasetScaleSoon(s, () => false)).toBe(true);
      // new results part-way through: the work starts again on them
      const next = { ...s, resultsVersion: 2, results: { ...results, extra: result('extra', [1000, -1000, 0]) } };
      expect(datasetScaleSoon(next, () => false)).toBe(false);
      const newer = { ...next, resultsVersion: 3 };
      while (!datasetScaleSoon(newer, () => false));
      expect(datasetScaleOf(newer)).toEqual(datasetScaleOf({ ...newer, resultsVersion: 4 }));
      if (normalization !== 'percentile') expect(datasetScaleOf(newer)?.hi).toBe(1000);
    }
  });

  it('of many maps added one by one equals mapScale of them all, whatever room was guessed', () => {
    const maps = Array.from({ length: 50 }, (_, i) => Float32Array.from({ length: 9 }, (_, k) => Math.sin(i * 9 + k) * (k + 1)));
    for (const mode of ['percentile', 'simple', 'min-max'] as const) {
      for (const room of [0, 7, 450, 10000]) {
        const many = scaleOfMany(mode, 95, room);
        maps.forEach((m) => many.add(m));
        expect(many.result()).toEqual(mapScale(maps, mode, 95));
      }
    }
    const all = Float32Array.from(maps.flatMap((m) => [...m]).filter((v) => v > 0));
    expect(mapScale(maps, 'percentile', 95).hi).toBe(percentile(all, 95));
  });
});
