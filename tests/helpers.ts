// Test helpers: fixture files, Quick, Draw! rows as images.
import fs from 'node:fs';
import path from 'node:path';
import { encode as encodePng, type DecodedPng } from 'fast-png';
import type { ModelFile } from '../src/engine/types';
import type { RgbaImage } from '../src/image/rgba';

export const FIXTURES = path.join(import.meta.dirname, 'fixtures');

export function modelFiles(dir: string): ModelFile[] {
  const full = path.join(FIXTURES, dir);
  return fs.readdirSync(full).filter((n) => !n.endsWith('.md')).map((n) => ({ name: n, bytes: new Uint8Array(fs.readFileSync(path.join(full, n))) }));
}

export const QUICKDRAW_CLASSES = ['bowtie', 'lollipop', 'rainbow'] as const;
/** DoodleNet output index of each class (fixture SOURCE.md). */
export const DOODLENET_INDEX = { bowtie: 94, lollipop: 17, rainbow: 204 } as const;

/** Rows of a Quick, Draw! .npy file: 28×28 uint8 bitmaps (header is 128 bytes). */
export function quickdrawRows(cls: string, start = 0, count = 5000): Uint8Array[] {
  const buf = fs.readFileSync(path.join(FIXTURES, 'quickdraw-npy-3class', `${cls}5000.npy`));
  const rows: Uint8Array[] = [];
  for (let i = start; i < start + count; i++) rows.push(new Uint8Array(buf.buffer, buf.byteOffset + 128 + i * 784, 784));
  return rows;
}

export function grayToRgba(row: Uint8Array, width = 28, height = 28): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data[i * 4] = data[i * 4 + 1] = data[i * 4 + 2] = row[i];
    data[i * 4 + 3] = 255;
  }
  return { width, height, data };
}

/** One Quick, Draw! row as a 28×28 grayscale PNG. */
export function doodlePng(row: Uint8Array): Uint8Array {
  return encodePng({ width: 28, height: 28, data: new Uint8Array(row), channels: 1, depth: 8 });
}

/** A class-folder zip (`<label>/<n>.png`) of real Quick, Draw! doodles, `count` per class from `start`. */
export async function classFolderZip(count: number, start = 0): Promise<Uint8Array> {
  const { default: JSZip } = await import('jszip');
  const zip = new JSZip();
  for (const cls of QUICKDRAW_CLASSES) {
    quickdrawRows(cls, start, count).forEach((row, i) => {
      zip.file(`doodles/${cls}/${String(start + i).padStart(4, '0')}.png`, doodlePng(row));
    });
  }
  return zip.generateAsync({ type: 'uint8array' });
}

/** The DoodleNet TF.js files (model.json, weights, class names) as one zip. */
export async function doodlenetZip(): Promise<Uint8Array> {
  const { default: JSZip } = await import('jszip');
  const zip = new JSZip();
  for (const f of modelFiles('tfjs-doodlenet')) if (!f.name.startsWith('LICENSE')) zip.file(`doodlenet/${f.name}`, f.bytes);
  return zip.generateAsync({ type: 'uint8array' });
}

/**
 * A photo-like RGB image made from a real doodle: the strokes scaled up and tinted over a smooth
 * colour gradient with mild noise (seeded, so the same every run). No photo fixture exists with a
 * licence that allows shipping thousands of them; these exercise JPEG decode and resize alike.
 */
export function photoLike(row: Uint8Array, seed: number, width = 320, height = 240): RgbaImage {
  let s = seed * 2654435761 >>> 0;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const [r0, g0, b0, r1, g1, b1] = Array.from({ length: 6 }, () => 40 + rand() * 180);
  const ink = [rand() * 255, rand() * 255, rand() * 255];
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x / width + y / height) / 2;
      const v = row[Math.floor((y / height) * 28) * 28 + Math.floor((x / width) * 28)] / 255;
      const base = [r0 + (r1 - r0) * t, g0 + (g1 - g0) * t, b0 + (b1 - b0) * t];
      const i = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) data[i + c] = base[c] * (1 - v) + ink[c] * v + (rand() - 0.5) * 12;
      data[i + 3] = 255;
    }
  }
  return { width, height, data };
}

/** A photo-like image as a JPEG file (quality 90), as cameras and Edge Impulse exports give them. */
export async function photoJpeg(row: Uint8Array, seed: number, width = 320, height = 240): Promise<Uint8Array> {
  const { default: jpeg } = await import('jpeg-js');
  const img = photoLike(row, seed, width, height);
  return new Uint8Array(jpeg.encode({ width, height, data: Buffer.from(img.data.buffer) }, 90).data);
}

/** A decoded 8-bit PNG's pixels as opaque RGBA (an RGB file widened; an RGBA one as it is), to compare encoders that write either. */
export function opaqueRgba(png: DecodedPng): number[] {
  if (png.channels === 4) return [...png.data];
  return Array.from({ length: png.width * png.height * 4 }, (_, i) => (i % 4 === 3 ? 255 : png.data[(i >> 2) * 3 + (i % 4)]));
}
