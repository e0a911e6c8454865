// ROAD's noisy linear imputation and scores, by hand and against a dense solve of the same system
// written out independently; then ROAD on DoodleNet and the demo's doodles.
import { describe, expect, it } from 'vitest';
import { imputeLinear, roadFrom, roadInputs, roadRemoved, ROAD_PERCENTS } from '../../src/methods/road';
import { rankPixels } from '../../src/methods/faithfulness';
import { seeded } from '../../src/common/random';

/** The imputation by its definition: for each removed pixel, v = Σ w·v(neighbour) / Σ w over in-image neighbours; Gaussian elimination. */
function denseImpute(x: number[], width: number, height: number, removed: number[]): number[] {
  const ids = removed.map((r, p) => (r ? p : -1)).filter((p) => p >= 0);
  const n = ids.length;
  const a = ids.map(() => new Array(n + 1).fill(0));
  ids.forEach((p, i) => {
    const px = p % width, py = Math.floor(p / width);
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        if ((!dx && !dy) || px + dx < 0 || py + dy < 0 || px + dx >= width || py + dy >= height) continue;
        const w = dx && dy ? 1 / 12 : 1 / 6, q = (py + dy) * width + px + dx;
        a[i][i] += w;
        if (removed[q]) a[i][ids.indexOf(q)] -= w;
        else a[i][n] += w * x[q];
      }
  });
  for (let c = 0; c < n; c++) {
    const pivot = a.slice(c).reduce((best, row, k) => (Math.abs(row[c]) > Math.abs(a[best][c]) ? c + k : best), c);
    [a[c], a[pivot]] = [a[pivot], a[c]];
    for (let r = 0; r < n; r++) if (r !== c) { const f = a[r][c] / a[c][c]; for (let k = c; k <= n; k++) a[r][k] -= f * a[c][k]; }
  }
  const out = [...x];
  ids.forEach((p, i) => (out[p] = a[i][n] / a[i][i]));
  return out;
}

describe('ROAD: noisy linear imputation', () => {
  it('one removed pixel is the weighted mean of its neighbours (edges 1/6, diagonals 1/12)', () => {
    const x = Float32Array.from([1, 2, 3, 4, 100, 6, 7, 8, 9]);
    const out = imputeLinear(x, 3, 3, 1, Uint8Array.from([0, 0, 0, 0, 1, 0, 0, 0, 0]));
    expect(out[4]).toBeCloseTo((2 + 4 + 6 + 8) / 6 + (1 + 3 + 7 + 9) / 12, 5);
    expect([...out].filter((_, i) => i !== 4)).toEqual([1, 2, 3, 4, 6, 7, 8, 9]);
  });

  it('a removed block inside a linear ramp is filled with the ramp itself', () => {
    const w = 12, h = 10;
    const x = Float32Array.from({ length: w * h * 2 }, (_, i) => { const p = i >> 1, px = p % w, py = Math.floor(p / w); return i & 1 ? 5 - 0.5 * py : 0.25 * px + 2 * py; });
    const removed = Uint8Array.from({ length: w * h }, (_, p) => Number(p % w >= 2 && p % w < 10 && p >= 2 * w && p < 8 * w));
    const broken = Float32Array.from(x, (v, i) => (removed[i >> 1] ? 1000 : v));
    const out = imputeLinear(broken, w, h, 2, removed);
    for (let i = 0; i < x.length; i++) expect(out[i]).toBeCloseTo(x[i], 2); // solved to a relative residual of 1e-4
  });

  it('equals a dense solve of the system, border pixels and 90 % removed included', () => {
    const random = seeded(7);
    for (const share of [0.3, 0.6, 0.9]) {
      const w = 9, h = 7;
      const x = Array.from({ length: w * h }, () => random() * 10);
      const removed = Array.from({ length: w * h }, () => Number(random() < share));
      removed[0] = 0; // at least one pixel kept
      const ours = imputeLinear(Float32Array.from(x), w, h, 1, Uint8Array.from(removed));
      const dense = denseImpute(x, w, h, removed);
      for (let i = 0; i < x.length; i++) expect(ours[i]).toBeCloseTo(dense[i], 2);
    }
  });

  it('adds the noise asked for, per channel and seeded', () => {
    const w = 40, h = 40;
    const x = new Float32Array(w * h * 2).fill(3);
    const order = rankPixels(Float32Array.from({ length: w * h }, (_, i) => i));
    const removed = roadRemoved(order, 90, true);
    const a = imputeLinear(x, w, h, 2, removed, [0, 0.5], seeded(1));
    expect(imputeLinear(x, w, h, 2, removed, [0, 0.5], seeded(1))).toEqual(a);
    const second = [...a].filter((_, i) => i & 1 && removed[i >> 1]).map((v) => v - 3);
    const sd = Math.sqrt(second.reduce((s, v) => s + v * v, 0) / second.length);
    expect(sd).toBeGreaterThan(0.45);
    expect(sd).toBeLessThan(0.55);
    expect([...a].filter((_, i) => !(i & 1)).every((v) => Math.abs(v - 3) < 1e-6)).toBe(true); // channel 0: no noise, the constant
  });

  it('removes the top p % (MoRF) or the bottom p % (LeRF); combined = (mean LeRF − mean MoRF) / 2', () => {
    const order = rankPixels(Float32Array.from([0.1, 0.9, 0.5, 0.3, 0.7, 0, 0.2, 0.8, 0.6, 0.4]));
    expect([...roadRemoved(order, 30, true)]).toEqual([0, 1, 0, 0, 1, 0, 0, 1, 0, 0]);
    expect([...roadRemoved(order, 20, false)]).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    const f = [...ROAD_PERCENTS.map(() => 0.2), ...ROAD_PERCENTS.map(() => 0.8)];
    expect(roadFrom(f).road).toBeCloseTo(0.3, 12);
    const x = Float32Array.from({ length: 5 * 4 }, (_, i) => i);
    const inputs = roadInputs(x, Float32Array.from({ length: 20 }, (_, i) => i / 19), 5, 4, 1, [0], 1);
    expect(inputs.length).toBe(20 * 2 * ROAD_PERCENTS.length);
    // MoRF at 10 % removes the map's top two pixels (the last two here); the rest stays as it was
    expect([...inputs.subarray(0, 18)]).toEqual([...x.subarray(0, 18)]);
  });
});
