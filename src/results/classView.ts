// Class views: where the model looks on average. The mean of the normalised maps of a class's
// images laid over the mean of its images at the model's input size; a shortcut the model learned
// (a watermark, a border, a background) shows up here before it shows in any single image. Pure.
import type { RgbaImage } from '../image/rgba';

/**
 * The mean of maps each already scaled to [0, 1], at grid size. Upsampling is linear, so the
 * mean upsampled equals the mean of the upsampled maps: averaging small grids is exact and cheap.
 * Maps of another grid size (none within one run) are left out.
 */
export function meanMap(maps01: Float32Array[]): Float32Array | undefined {
  const first = maps01[0];
  if (!first) return undefined;
  const sum = new Float64Array(first.length);
  let n = 0;
  for (const m of maps01) {
    if (m.length !== first.length) continue;
    for (let i = 0; i < m.length; i++) sum[i] += m[i];
    n++;
  }
  return Float32Array.from(sum, (v) => v / n);
}

/** A running mean of same-size images (the model-size input of each sample). */
export class MeanImage {
  private readonly sum: Float64Array;
  count = 0;
  constructor(readonly width: number, readonly height: number) {
    this.sum = new Float64Array(width * height * 3);
  }

  add(image: RgbaImage) {
    if (image.width !== this.width || image.height !== this.height) throw new Error(`MeanImage: ${image.width}×${image.height} is not ${this.width}×${this.height}`);
    for (let i = 0, j = 0; j < this.sum.length; i += 4, j += 3) {
      this.sum[j] += image.data[i];
      this.sum[j + 1] += image.data[i + 1];
      this.sum[j + 2] += image.data[i + 2];
    }
    this.count++;
  }

  image(): RgbaImage {
    const data = new Uint8ClampedArray(this.width * this.height * 4);
    const n = Math.max(1, this.count);
    for (let i = 0, j = 0; j < this.sum.length; i += 4, j += 3) {
      data[i] = Math.round(this.sum[j] / n);
      data[i + 1] = Math.round(this.sum[j + 1] / n);
      data[i + 2] = Math.round(this.sum[j + 2] / n);
      data[i + 3] = 255;
    }
    return { width: this.width, height: this.height, data };
  }
}

/** At most `limit` items spread evenly over the list (first and last included), in order. */
export function evenlySpaced<T>(items: readonly T[], limit: number): T[] {
  if (items.length <= limit) return [...items];
  if (limit <= 1) return items.slice(0, Math.max(0, limit));
  return Array.from({ length: limit }, (_, k) => items[Math.round((k * (items.length - 1)) / (limit - 1))]);
}

/** The groups class views show: one per true label (sorted), each with its members. */
export function groupByLabel<T>(items: readonly T[], labelOf: (item: T) => string | undefined): { label: string; items: T[] }[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const label = labelOf(item) ?? '';
    let list = groups.get(label);
    if (!list) groups.set(label, (list = []));
    list.push(item);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([label, members]) => ({ label, items: members }));
}
