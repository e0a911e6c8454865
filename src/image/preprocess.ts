// Turns decoded RGBA pixels into the model's input values, as Edge Impulse does (pure, no TF.js):
// resize mode (squash / fit-short / fit-long), resize method, colour depth, input scaling.
import { resample, type ResizeMethod } from './resample';
import type { RgbaImage } from './rgba';

export type InputScaling = '0..1' | '-1..1' | '0..255' | '-128..127' | 'torch' | 'bgr-subtract-imagenet-mean';
export const INPUT_SCALINGS: InputScaling[] = ['0..1', '-1..1', '0..255', '-128..127', 'torch', 'bgr-subtract-imagenet-mean'];
export type ResizeMode = 'squash' | 'fit-short' | 'fit-long';
export const RESIZE_MODES: ResizeMode[] = ['squash', 'fit-short', 'fit-long'];
export type { ResizeMethod };
export const RESIZE_METHODS: ResizeMethod[] = ['bilinear', 'lanczos3', 'nearest'];

/** How images become model input (Edge Impulse's impulse settings, or chosen by hand). */
export interface Preprocessing {
  scaling?: InputScaling;
  resizeMode?: ResizeMode;
  resizeMethod?: ResizeMethod;
}

export const DEFAULT_PREPROCESS: Required<Preprocessing> = { scaling: '0..1', resizeMode: 'squash', resizeMethod: 'bilinear' };

export interface ModelInputSpec {
  width: number;
  height: number;
  channels: 1 | 3;
  scaling: InputScaling;
  resizeMode?: ResizeMode;
  resizeMethod?: ResizeMethod;
}

/** The spec of a model whose input is [h, w, c] (channels last), with the chosen preprocessing. */
export const modelInputSpec = ([h, w, c]: number[], p: Preprocessing = {}): ModelInputSpec => ({ width: w, height: h, channels: c === 1 ? 1 : 3, scaling: p.scaling ?? '0..1', resizeMode: p.resizeMode, resizeMethod: p.resizeMethod });

/** Where the image lands in the model input: a source rectangle drawn into a target rectangle. */
export interface Placement {
  /** Part of the image used (fit-short crops it). */
  src: { x: number; y: number; w: number; h: number };
  /** Where it goes in the model input (fit-long pads around it). */
  dst: { x: number; y: number; w: number; h: number };
}

export function placement(imageW: number, imageH: number, width: number, height: number, mode: ResizeMode = 'squash'): Placement {
  const full = { x: 0, y: 0, w: imageW, h: imageH };
  const all = { x: 0, y: 0, w: width, h: height };
  if (mode === 'fit-short') {
    // centre crop to the target aspect
    const scale = Math.max(width / imageW, height / imageH);
    const w = Math.round(width / scale), h = Math.round(height / scale);
    return { src: { x: Math.floor((imageW - w) / 2), y: Math.floor((imageH - h) / 2), w, h }, dst: all };
  }
  if (mode === 'fit-long') {
    // letterbox: the longer side fits, black padding centred
    const scale = Math.min(width / imageW, height / imageH);
    const w = Math.round(imageW * scale), h = Math.round(imageH * scale);
    return { src: full, dst: { x: Math.floor((width - w) / 2), y: Math.floor((height - h) / 2), w, h } };
  }
  return { src: full, dst: all };
}

/** RGB floats (0..255) at the model's input size, per the resize mode and method. */
export function resizeRgb(image: RgbaImage, width: number, height: number, mode: ResizeMode = 'squash', method: ResizeMethod = 'bilinear'): Float32Array {
  const { src, dst } = placement(image.width, image.height, width, height, mode);
  const part = resample(image, src, dst.w, dst.h, method);
  if (dst.w === width && dst.h === height) return part;
  const out = new Float32Array(width * height * 3); // black padding
  for (let y = 0; y < dst.h; y++) out.set(part.subarray(y * dst.w * 3, (y + 1) * dst.w * 3), ((dst.y + y) * width + dst.x) * 3);
  return out;
}

const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];
const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68];

/** Scales one channel value v (0..1) of channel c (0 = R, or the gray channel). */
function scale(v: number, c: number, scaling: InputScaling): number {
  switch (scaling) {
    case '0..1': return v;
    case '-1..1': return v * 2 - 1;
    case '0..255': return v * 255;
    case '-128..127': return v * 255 - 128;
    case 'torch': return (v - IMAGENET_MEAN[c]) / IMAGENET_STD[c];
    case 'bgr-subtract-imagenet-mean': return v * 255 - CAFFE_MEAN_BGR[c];
  }
}

/** Model input for one image, H×W×C channels-last. Grayscale = 0.299R + 0.587G + 0.114B. */
export function toModelInput(image: RgbaImage, spec: ModelInputSpec): Float32Array {
  return scaledInput(resizeRgb(image, spec.width, spec.height, spec.resizeMode, spec.resizeMethod), spec);
}

/**
 * Each channel's 256 levels scaled (`scale(level / 255, c)`), by scaling: the very numbers the
 * per-pixel arithmetic gives, looked up. A 96×96 photo's input in ~0.05 ms rather than ~0.4 (two
 * float arrays and a call a value) on the preparation worker's core, which a run shares with the page.
 */
const levelTables = new Map<InputScaling, Float64Array>();
function levelTable(scaling: InputScaling): Float64Array {
  let table = levelTables.get(scaling);
  if (!table) {
    table = new Float64Array(3 * 256);
    for (let c = 0; c < 3; c++) for (let v = 0; v < 256; v++) table[c * 256 + v] = scale(v / 255, c, scaling);
    levelTables.set(scaling, table);
  }
  return table;
}

/** Model input from an image already at the model's size (RGBA; `decodeResized`), squashed. */
export function resizedToModelInput(image: RgbaImage, spec: ModelInputSpec): Float32Array {
  if (image.width !== spec.width || image.height !== spec.height) throw new Error(`the image is ${image.width}×${image.height}, not the model's ${spec.width}×${spec.height}`);
  const { data } = image;
  const cells = spec.width * spec.height;
  const out = new Float32Array(cells * spec.channels);
  if (spec.channels === 1) {
    for (let i = 0; i < cells; i++) out[i] = scale(0.299 * (data[i * 4] / 255) + 0.587 * (data[i * 4 + 1] / 255) + 0.114 * (data[i * 4 + 2] / 255), 0, spec.scaling);
    return out;
  }
  const table = levelTable(spec.scaling);
  // out channel c is scaled as channel c; BGR models take it from the other end of the pixel
  const [first, last] = spec.scaling === 'bgr-subtract-imagenet-mean' ? [2, 0] : [0, 2];
  for (let i = 0, j = 0; j < out.length; i += 4, j += 3) {
    out[j] = table[data[i + first]];
    out[j + 1] = table[256 + data[i + 1]];
    out[j + 2] = table[512 + data[i + last]];
  }
  return out;
}

/** RGB values (0..255) at the model's size → the model's input scaling and channels. */
function scaledInput(rgb: Float32Array, spec: ModelInputSpec): Float32Array {
  const cells = spec.width * spec.height;
  const out = new Float32Array(cells * spec.channels);
  const bgr = spec.scaling === 'bgr-subtract-imagenet-mean';
  for (let i = 0; i < cells; i++) {
    const r = rgb[i * 3] / 255, g = rgb[i * 3 + 1] / 255, b = rgb[i * 3 + 2] / 255;
    if (spec.channels === 1) {
      out[i] = scale(0.299 * r + 0.587 * g + 0.114 * b, 0, spec.scaling);
    } else if (bgr) {
      out[i * 3] = scale(b, 0, spec.scaling);
      out[i * 3 + 1] = scale(g, 1, spec.scaling);
      out[i * 3 + 2] = scale(r, 2, spec.scaling);
    } else {
      out[i * 3] = scale(r, 0, spec.scaling);
      out[i * 3 + 1] = scale(g, 1, spec.scaling);
      out[i * 3 + 2] = scale(b, 2, spec.scaling);
    }
  }
  return out;
}
