// Heatmap and overlay pixels, shared by gallery tiles, the detail view and the export,
// so the export is exactly what the screen shows (docs/methods.md#rendering).
import { placement, resizeRgb, type ResizeMethod, type ResizeMode } from '../image/preprocess';
import type { RgbaImage } from '../image/rgba';
import { colormapTable, type ColormapName } from './colormap';
import { normalizeMap, type MapScale, type Normalization } from './normalize';
import { decodeImage } from '../image/decode';
import { rowsAcross, upsample, upsampleRows } from '../common/grid';
import { wasmLevels, wasmMix } from './overlayWasm';

/** How the image was fitted into the model input, so the map can be laid back over the image. */
export interface InputGeometry {
  width: number;
  height: number;
  resizeMode: ResizeMode;
  resizeMethod?: ResizeMethod;
}

export interface OverlaySettings {
  alpha: number;
  normalization: Normalization;
  colormap: ColormapName;
  /** Clip point of `percentile` normalisation (default 99). */
  percentile?: number;
  /** Draw over the original image (default), or over the model's input as the model saw it. */
  drawAt?: 'image' | 'model';
}

/** The image as the model saw it: resized (cropped or letterboxed) to the input size. */
export function modelInputImage(image: RgbaImage, geometry: InputGeometry): RgbaImage {
  const rgb = resizeRgb(image, geometry.width, geometry.height, geometry.resizeMode, geometry.resizeMethod);
  const data = new Uint8ClampedArray(geometry.width * geometry.height * 4);
  for (let i = 0; i < geometry.width * geometry.height; i++) {
    data[i * 4] = Math.round(rgb[i * 3]);
    data[i * 4 + 1] = Math.round(rgb[i * 3 + 1]);
    data[i * 4 + 2] = Math.round(rgb[i * 3 + 2]);
    data[i * 4 + 3] = 255;
  }
  return { width: geometry.width, height: geometry.height, data };
}

/**
 * The map (over the model input) sampled at every pixel of an image of width × height, undoing
 * the crop (fit-short) or letterbox (fit-long); NaN where the model did not see the image.
 */
export function mapOverImage(map: Float32Array, gridW: number, gridH: number, width: number, height: number, geometry?: InputGeometry): Float32Array {
  if (!geometry || geometry.resizeMode === 'squash') return upsample(map, gridW, gridH, width, height);
  // geometry is in original-image pixels; the drawn image may be enlarged by a whole factor
  const { src, dst } = placement(width, height, geometry.width, geometry.height, geometry.resizeMode);
  const out = new Float32Array(width * height);
  const at = (gx: number, gy: number) => {
    const x0 = Math.floor(gx), y0 = Math.floor(gy), x1 = Math.min(x0 + 1, gridW - 1), y1 = Math.min(y0 + 1, gridH - 1);
    const dx = gx - x0, dy = gy - y0;
    return (map[y0 * gridW + x0] * (1 - dx) + map[y0 * gridW + x1] * dx) * (1 - dy) + (map[y1 * gridW + x0] * (1 - dx) + map[y1 * gridW + x1] * dx) * dy;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = x >= src.x && x < src.x + src.w && y >= src.y && y < src.y + src.h;
      if (!inside) {
        out[y * width + x] = NaN;
        continue;
      }
      const u = dst.x + ((x + 0.5 - src.x) * dst.w) / src.w; // model-input coordinates
      const v = dst.y + ((y + 0.5 - src.y) * dst.h) / src.h;
      const gx = Math.min(Math.max((u * gridW) / geometry.width - 0.5, 0), gridW - 1);
      const gy = Math.min(Math.max((v * gridH) / geometry.height - 0.5, 0), gridH - 1);
      out[y * width + x] = at(gx, gy);
    }
  }
  return out;
}

/**
 * The map at every pixel of the drawn image as a colormap index, round(v·255) in 0..255, and where
 * the model did not see the image (cropped away), if anywhere. A colormap change recolours these
 * without sampling the map again (half of a heatmap's cost).
 */
export interface HeatLevels {
  width: number;
  height: number;
  levels: Uint8Array;
  /** 1 where the model did not see the image; absent when it saw all of it. */
  unseen?: Uint8Array;
}

/** A map in 0..1 (over the model input) as colormap indices at every pixel of an image of width × height. */
export function heatLevels(map01: Float32Array, gridW: number, gridH: number, width: number, height: number, geometry?: InputGeometry): HeatLevels {
  if (!geometry || geometry.resizeMode === 'squash') return upsampledLevels(map01, gridW, gridH, width, height);
  const up = mapOverImage(map01, gridW, gridH, width, height, geometry);
  const levels = new Uint8Array(width * height);
  let unseen: Uint8Array | undefined;
  for (let i = 0; i < up.length; i++) {
    const k = levelOf(up[i]);
    if (k < 0) (unseen ??= new Uint8Array(width * height))[i] = 1;
    else levels[i] = k;
  }
  return { width, height, levels, unseen };
}

/** round(v·255) clamped to 0..255, written out (3× faster than Math.round/min/max here); −1 for NaN (unseen). */
function levelOf(v: number): number {
  const t = v * 255 + 0.5;
  return t !== t ? -1 : t <= 0 ? 0 : t >= 255 ? 255 : t | 0;
}

/**
 * heatLevels() where the model saw the whole image (squashed): the index written as each value is
 * interpolated, not a map at the image's size first and its indices after (a gallery tile's
 * heatmap in ~half the time). The value rounded to 32 bits as that map stored it: the same indices.
 */
function upsampledLevels(map01: Float32Array, gridW: number, gridH: number, width: number, height: number): HeatLevels {
  const levels = new Uint8Array(width * height);
  // in WebAssembly where every value is finite (a NaN is unseen, and ∞ − ∞ would make one): the same indices, ~3× faster
  if (map01.every(Number.isFinite) && wasmLevels(rowsAcross(map01, gridW, gridH, width), width, height, gridH, levels)) return { width, height, levels };
  let unseen: Uint8Array | undefined;
  upsampleRows(map01, gridW, gridH, width, height, (o, rows, top, bottom, dy) => {
    for (let x = 0; x < width; x++) {
      const k = levelOf(Math.fround(rows[top + x] * (1 - dy) + rows[bottom + x] * dy));
      if (k < 0) (unseen ??= new Uint8Array(width * height))[o + x] = 1;
      else levels[o + x] = k;
    }
  });
  return { width, height, levels, unseen };
}

/** The levels in a colormap's colours; transparent (all zero) where the model did not see the image: blend() dims the image there. */
export function colourLevels({ width, height, levels, unseen }: HeatLevels, colormap: ColormapName = 'jet'): RgbaImage {
  const colours = colormapWords(colormap);
  const data = new Uint8ClampedArray(width * height * 4);
  const words = new Uint32Array(data.buffer); // whole RGBA pixels (little-endian: R lowest)
  for (let i = 0; i < levels.length; i++) words[i] = colours[levels[i]];
  if (unseen) for (let i = 0; i < unseen.length; i++) if (unseen[i]) words[i] = 0;
  return { width, height, data };
}

/** The heatmap alone, at the image's size; black where the model did not see the image. */
export function renderHeatmap(map01: Float32Array, gridW: number, gridH: number, width: number, height: number, colormap: ColormapName = 'jet', geometry?: InputGeometry): RgbaImage {
  return colourLevels(heatLevels(map01, gridW, gridH, width, height, geometry), colormap);
}

/** A colormap as 256 opaque RGBA pixels packed in 32-bit words. */
const wordTables = new Map<ColormapName, Uint32Array>();
function colormapWords(name: ColormapName): Uint32Array {
  let w = wordTables.get(name);
  if (!w) {
    const t = colormapTable(name);
    w = Uint32Array.from({ length: 256 }, (_, i) => (0xff000000 | (t[i * 3 + 2] << 16) | (t[i * 3 + 1] << 8) | t[i * 3]) >>> 0);
    wordTables.set(name, w);
  }
  return w;
}

/**
 * Alpha in 1/32768ths, the blend's one number: 0..32767 (1 gives 32767, which still yields the
 * heatmap exactly: |h − b|·32767/32768 rounds to h − b).
 */
export const alphaSteps = (alpha: number): number => Math.min(32767, Math.max(0, Math.round(alpha * 32768)));

/**
 * One channel of the blend: b + round(A·(h − b) / 32768), halves up — round((1 − alpha)·b +
 * alpha·h) with alpha in 1/32768ths. Integer maths, so the WebAssembly SIMD blend (overlay.wat:
 * i16x8.q15mulr_sat_s is exactly this) and this table give the same pixels everywhere. Against
 * the same sum in floating point, 0–6 % of the (b, h) pairs differ by one, all at halves.
 */
export const mixChannel = (b: number, h: number, a: number): number => b + (((h - b) * a + 16384) >> 15);

/**
 * mixChannel() for every pair of 0..255 values at index b·256 + h, where the WebAssembly blend
 * cannot load: a slider move then costs one table (65,536 entries) and a lookup per channel.
 * One table, refilled in place: a new array and object on each change were code the optimised
 * blend (which inlines this) had not seen run in a whole run at one alpha, so the first slider
 * move threw the blend back to the interpreter (V8 --trace-deopt: "insufficient type feedback").
 */
const mixTable = new Uint8Array(65536);
// the alpha it is for, in an array: V8 treats a module variable (or an object's field) written once
// as a constant that optimised code may build in, and throws that code away on the next write
const mixAlpha = new Int32Array([-1]);
function mixFor(a: number): Uint8Array {
  if (a !== mixAlpha[0]) {
    for (let b = 0; b < 256; b++) mixRow(b, a);
    mixAlpha[0] = a;
  }
  return mixTable;
}
// A row per call, not both loops in mixFor: the first table (the first paint) calls this 256 times,
// so it is optimised as a whole from then on. As one double loop it was optimised only mid-loop
// (on-stack replacement), and the first slider move after a run rebuilt the table unoptimised:
// 4–10 ms against 0.3 (10,000 doodles: that move's repaint of the window's tiles 17–21 → 8–9 ms).
function mixRow(b: number, a: number) {
  const row = b << 8;
  for (let h = 0; h < 256; h++) mixTable[row | h] = mixChannel(b, h, a);
}

/**
 * blend() from the heatmap's colormap indices, into `out` (a tile's own pixel buffer, or a new
 * image): each colour looked up as it is blended, with no coloured layer kept (a colormap change
 * is then one blend, and a tile keeps a byte a pixel rather than four). The same pixels as
 * blend(image, colourLevels(heat, colormap), alpha).
 */
export function blendLevelsInto(out: Uint8ClampedArray, image: RgbaImage, heat: HeatLevels, colormap: ColormapName, alpha: number): void {
  const a = alphaSteps(alpha);
  const colours = colormapWords(colormap);
  const { levels, unseen } = heat;
  const n = out.length >> 2;
  const dst = new Uint32Array(out.buffer, out.byteOffset, n);
  const src = new Uint32Array(image.data.buffer, image.data.byteOffset, n);
  if (wasmMix(dst, src, a, { levels, colours })) {
    if (unseen) for (let i = 0; i < n; i++) if (unseen[i] !== 0) dst[i] = dimmed(src[i]);
    return;
  }
  const mix = mixFor(a);
  for (let i = 0; i < n; i++) dst[i] = unseen === undefined || unseen[i] === 0 ? mixed(src[i], colours[levels[i]], mix) : dimmed(src[i]);
}

/** One image pixel `s` and heatmap pixel `h` (RGBA words) through the blend table: an opaque RGBA word. */
function mixed(s: number, h: number, mix: Uint8Array): number {
  const r = mix[((s & 0xff) << 8) | (h & 0xff)];
  const g = mix[(s & 0xff00) | ((h >>> 8) & 0xff)];
  const b = mix[((s >>> 8) & 0xff00) | ((h >>> 16) & 0xff)];
  return (0xff000000 | (b << 16) | (g << 8) | r) >>> 0;
}

/** An image pixel where the model saw nothing: round(v / 2) a channel, opaque. */
function dimmed(s: number): number {
  const r = ((s & 0xff) + 1) >> 1, g = (((s >>> 8) & 0xff) + 1) >> 1, b = (((s >>> 16) & 0xff) + 1) >> 1;
  return (0xff000000 | (b << 16) | (g << 8) | r) >>> 0;
}

/** blendLevelsInto() a new image: the overlay of renderOverlay() from its layers. */
export function blendLevels(image: RgbaImage, heat: HeatLevels, colormap: ColormapName, alpha: number): RgbaImage {
  const data = new Uint8ClampedArray(image.width * image.height * 4);
  blendLevelsInto(data, image, heat, colormap, alpha);
  return { width: image.width, height: image.height, data };
}

/** overlay = (1 − alpha)·image + alpha·colormap(map) (mixChannel), on 0..255 values; where the model saw nothing (a transparent heatmap pixel), the image at half brightness. */
export function blend(image: RgbaImage, heat: RgbaImage, alpha: number): RgbaImage {
  const data = new Uint8ClampedArray(image.width * image.height * 4);
  const a = alphaSteps(alpha);
  // whole pixels as 32-bit words (RGBA bytes, little-endian: R lowest): a quarter of the memory operations
  const n = data.length >> 2;
  const dst = new Uint32Array(data.buffer, 0, n);
  const src = new Uint32Array(image.data.buffer, image.data.byteOffset, n);
  const hot = new Uint32Array(heat.data.buffer, heat.data.byteOffset, n);
  if (wasmMix(dst, src, a, { words: hot })) {
    for (let i = 0; i < n; i++) if (hot[i] >>> 24 === 0) dst[i] = dimmed(src[i]);
  } else {
    const mix = mixFor(a);
    for (let i = 0; i < n; i++) {
      const h = hot[i];
      dst[i] = h >>> 24 ? mixed(src[i], h, mix) : dimmed(src[i]);
    }
  }
  return { width: image.width, height: image.height, data };
}

/** Smallest side an overlay is drawn at: tiny inputs (28×28 doodles) are enlarged first. */
export const MIN_RENDER_SIDE = 112;

/** Enlarges a small image by a whole factor (nearest neighbour), so the heatmap over it is smooth. */
export function enlargeSmall(image: RgbaImage, minSide = MIN_RENDER_SIDE): RgbaImage {
  const f = Math.ceil(minSide / Math.max(image.width, image.height));
  if (f <= 1) return image;
  const width = image.width * f, height = image.height * f;
  const data = new Uint8ClampedArray(width * height * 4);
  // whole RGBA pixels as 32-bit words, each source row widened once (each pixel written f times,
  // not a division per pixel) and copied f − 1 times (a doodle's tile, 28×28 → 112×112: ~27 → 17
  // µs in Node, most of it now the new buffer's zeroing)
  const bytes = image.data.byteOffset % 4 ? image.data.slice() : image.data;
  const from = new Uint32Array(bytes.buffer, bytes.byteOffset, image.width * image.height);
  const to = new Uint32Array(data.buffer);
  for (let y = 0; y < image.height; y++) {
    const o = y * f * width;
    let d = o;
    for (let s = y * image.width, end = s + image.width; s < end; s++) {
      const v = from[s];
      for (let r = 0; r < f; r++) to[d++] = v;
    }
    for (let r = 1; r < f; r++) to.copyWithin(o + r * width, o, o + width);
  }
  return { width, height, data };
}

/** What an overlay blends: the image as drawn, and the heatmap's colormap indices at its size. Everything but alpha and the colormap. */
export function overlayLayers(image: RgbaImage, rawMap: Float32Array, gridW: number, gridH: number, view: Omit<OverlaySettings, 'alpha' | 'colormap'>, scale?: MapScale, geometry?: InputGeometry): { base: RgbaImage; levels: HeatLevels } {
  if (view.drawAt === 'model' && geometry) {
    return overlayLayers(modelInputImage(image, geometry), rawMap, gridW, gridH, { ...view, drawAt: 'image' }, scale);
  }
  const base = enlargeSmall(image);
  // placement() works from the drawn image's own size, so an enlarged copy maps the same way
  return { base, levels: heatmapLevels(rawMap, gridW, gridH, base.width, base.height, view, scale, geometry) };
}

/** A raw map normalised as the view says, as colormap indices at width × height (the drawn image's size). */
export function heatmapLevels(rawMap: Float32Array, gridW: number, gridH: number, width: number, height: number, view: Pick<OverlaySettings, 'normalization' | 'percentile'>, scale?: MapScale, geometry?: InputGeometry): HeatLevels {
  return heatLevels(normalizeMap(rawMap, view.normalization, { percentile: view.percentile, scale }), gridW, gridH, width, height, geometry);
}

/** A raw map normalised as the view says and coloured, at width × height (the drawn image's size). */
export function heatmapLayer(rawMap: Float32Array, gridW: number, gridH: number, width: number, height: number, view: Pick<OverlaySettings, 'normalization' | 'percentile' | 'colormap'>, scale?: MapScale, geometry?: InputGeometry): RgbaImage {
  return colourLevels(heatmapLevels(rawMap, gridW, gridH, width, height, view, scale, geometry), view.colormap);
}

/** The overlay as gallery, detail view and export show it. */
export function renderOverlay(image: RgbaImage, rawMap: Float32Array, gridW: number, gridH: number, view: OverlaySettings, scale?: MapScale, geometry?: InputGeometry): RgbaImage {
  const { base, levels } = overlayLayers(image, rawMap, gridW, gridH, view, scale, geometry);
  return blendLevels(base, levels, view.colormap, view.alpha);
}

/** What it takes to draw one overlay: the original file, its raw map and how the view shows it. */
export interface OverlayJob {
  bytes: Uint8Array;
  map: Float32Array;
  gridWidth: number;
  gridHeight: number;
  view: OverlaySettings;
  scale?: MapScale;
  geometry?: InputGeometry;
}

/** What an overlay is drawn from, but the image (the export's workers read that themselves). */
export type OverlayOrder = Omit<OverlayJob, 'bytes'>;

/** One overlay drawn from the file (the export draws what the gallery shows, at the original size). */
export async function drawOverlay(job: OverlayJob, decode: (bytes: Uint8Array) => Promise<RgbaImage> = decodeImage): Promise<RgbaImage> {
  return renderOverlay(await decode(job.bytes), job.map, job.gridWidth, job.gridHeight, job.view, job.scale, job.geometry);
}
