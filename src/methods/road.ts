// ROAD (Rong et al. 2022, "A Consistent and Efficient Evaluation Strategy for Attribution
// Methods"), pure: removing pixels by painting them black teaches the model nothing about the
// map but a lot about black patches, so ROAD fills the removed pixels by noisy linear imputation
// instead: each removed pixel is the weighted mean of its 8 neighbours (edges 1/6, diagonals 1/12;
// neighbours outside the image left out), all removed pixels solved together, plus a little noise.
// The top p % of the map removed (MoRF, "most relevant first": f should fall fast) and the bottom
// p % (LeRF: f should stay), p = 10 … 90; combined = (mean f LeRF − mean f MoRF) / 2, higher is better.
import { normal, seeded } from '../common/random';
import { rankPixels } from './faithfulness';

export const ROAD_PERCENTS = [10, 20, 30, 40, 50, 60, 70, 80, 90] as const;
/** ROAD's noise: the original's 0.01 on inputs scaled to unit range, here 1 % of the input's black-to-white range. */
export const ROAD_NOISE = 0.01;

const NEIGHBOURS: [number, number, number][] = [
  [-1, 0, 1 / 6], [1, 0, 1 / 6], [0, -1, 1 / 6], [0, 1, 1 / 6],
  [-1, -1, 1 / 12], [1, -1, 1 / 12], [-1, 1, 1 / 12], [1, 1, 1 / 12],
];

/**
 * x (H × W × C) with the `removed` pixels imputed: solves D·v − Σ w·v(unknown neighbours) =
 * Σ w·x(known neighbours) for every removed pixel at once, D the sum of its in-image neighbours'
 * weights. The matrix is symmetric and positive definite whenever any pixel is kept (each group of
 * removed pixels touches a kept one), so conjugate gradients (Jacobi-preconditioned) solve it; one
 * solve per channel. `noise` is one standard deviation per channel, drawn from `random`.
 */
export function imputeLinear(x: Float32Array, width: number, height: number, channels: number, removed: Uint8Array, noise: ArrayLike<number> = [], random: () => number = Math.random): Float32Array {
  const out = Float32Array.from(x);
  const index = new Int32Array(width * height).fill(-1);
  const unknown: number[] = [];
  for (let p = 0; p < removed.length; p++) if (removed[p]) index[p] = unknown.push(p) - 1;
  const m = unknown.length;
  if (m === 0) return out;
  const diag = new Float64Array(m);
  const link = new Int32Array(m * 8).fill(-1);
  const linkWeight = new Float64Array(m * 8);
  const rhs = new Float64Array(m * channels);
  for (let i = 0; i < m; i++) {
    const px = unknown[i] % width, py = (unknown[i] - px) / width;
    NEIGHBOURS.forEach(([dx, dy, w], k) => {
      const qx = px + dx, qy = py + dy;
      if (qx < 0 || qy < 0 || qx >= width || qy >= height) return;
      const q = qy * width + qx;
      diag[i] += w;
      if (index[q] >= 0) {
        link[i * 8 + k] = index[q];
        linkWeight[i * 8 + k] = w;
      } else for (let c = 0; c < channels; c++) rhs[i * channels + c] += w * x[q * channels + c];
    });
  }
  const solved = m === width * height ? meanFill(x, channels, m) : conjugateGradients(diag, link, linkWeight, rhs, channels, pushPull(x, width, height, channels, unknown, index));
  for (let i = 0; i < m; i++)
    for (let c = 0; c < channels; c++) out[unknown[i] * channels + c] = solved[i * channels + c] + (noise[c] ? noise[c] * normal(random) : 0);
  return out;
}

/** Nothing kept: the system is singular; every pixel gets the image's mean colour. */
function meanFill(x: Float32Array, channels: number, m: number): Float64Array {
  const mean = new Float64Array(channels);
  for (let i = 0; i < x.length; i++) mean[i % channels] += x[i] / m;
  return Float64Array.from({ length: m * channels }, (_, i) => mean[i % channels]);
}

/**
 * A first guess for the removed pixels, per channel (interleaved): push-pull, i.e. the kept pixels
 * averaged down a pyramid of 2 × 2 blocks and the holes filled back up from the coarser levels.
 * It gets the smooth part of the answer right, which is what conjugate gradients learn slowest
 * across a large hole (a 200-pixel blob would take hundreds of iterations from zero).
 */
function pushPull(x: Float32Array, width: number, height: number, channels: number, unknown: number[], index: Int32Array): Float64Array {
  type Level = { w: number; h: number; weight: Float64Array; value: Float64Array };
  const levels: Level[] = [];
  let level: Level = { w: width, h: height, weight: new Float64Array(width * height), value: new Float64Array(width * height * channels) };
  for (let p = 0; p < width * height; p++)
    if (index[p] < 0) { level.weight[p] = 1; for (let c = 0; c < channels; c++) level.value[p * channels + c] = x[p * channels + c]; }
  levels.push(level);
  while (level.w > 1 || level.h > 1) {
    const w = Math.ceil(level.w / 2), h = Math.ceil(level.h / 2);
    const next: Level = { w, h, weight: new Float64Array(w * h), value: new Float64Array(w * h * channels) };
    for (let y = 0; y < level.h; y++)
      for (let xx = 0; xx < level.w; xx++) {
        const p = y * level.w + xx, q = (y >> 1) * w + (xx >> 1), wt = level.weight[p];
        if (!wt) continue;
        next.weight[q] += wt;
        for (let c = 0; c < channels; c++) next.value[q * channels + c] += wt * level.value[p * channels + c];
      }
    for (let q = 0; q < w * h; q++) if (next.weight[q]) for (let c = 0; c < channels; c++) next.value[q * channels + c] /= next.weight[q];
    for (let q = 0; q < w * h; q++) next.weight[q] = Math.min(1, next.weight[q]);
    levels.push((level = next));
  }
  for (let l = levels.length - 2; l >= 0; l--) {
    const fine = levels[l], coarse = levels[l + 1];
    for (let y = 0; y < fine.h; y++)
      for (let xx = 0; xx < fine.w; xx++) {
        const p = y * fine.w + xx, q = (y >> 1) * coarse.w + (xx >> 1), wt = fine.weight[p];
        if (wt >= 1) continue;
        for (let c = 0; c < channels; c++) fine.value[p * channels + c] = wt * fine.value[p * channels + c] + (1 - wt) * coarse.value[q * channels + c];
        fine.weight[p] = 1;
      }
  }
  return Float64Array.from({ length: unknown.length * channels }, (_, i) => levels[0].value[unknown[Math.floor(i / channels)] * channels + (i % channels)]);
}

/**
 * Solves (D − W)·v = b for each channel's column of b (interleaved), from the first guess `start`,
 * to a relative residual of 1e-4: far below ROAD's own noise (1 % of the range).
 */
function conjugateGradients(diag: Float64Array, link: Int32Array, linkWeight: Float64Array, rhs: Float64Array, channels: number, start: Float64Array): Float64Array {
  const m = diag.length;
  const out = new Float64Array(m * channels);
  const b = new Float64Array(m), v = new Float64Array(m), r = new Float64Array(m), z = new Float64Array(m), d = new Float64Array(m), q = new Float64Array(m);
  const apply = (src: Float64Array, dst: Float64Array) => {
    for (let i = 0; i < m; i++) {
      let s = diag[i] * src[i];
      for (let k = i * 8; k < i * 8 + 8; k++) if (link[k] >= 0) s -= linkWeight[k] * src[link[k]];
      dst[i] = s;
    }
  };
  const dot = (a: Float64Array, c: Float64Array) => { let s = 0; for (let i = 0; i < m; i++) s += a[i] * c[i]; return s; };
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < m; i++) { b[i] = rhs[i * channels + c]; v[i] = start[i * channels + c]; }
    apply(v, q);
    for (let i = 0; i < m; i++) { r[i] = b[i] - q[i]; z[i] = r[i] / diag[i]; d[i] = z[i]; }
    const target = 1e-8 * Math.max(dot(b, b), 1e-30);
    let rz = dot(r, z);
    for (let it = 0; it < 4 * m + 50 && rz > 0 && dot(r, r) > target; it++) {
      apply(d, q);
      const step = rz / dot(d, q);
      for (let i = 0; i < m; i++) { v[i] += step * d[i]; r[i] -= step * q[i]; z[i] = r[i] / diag[i]; }
      const next = dot(r, z);
      for (let i = 0; i < m; i++) d[i] = z[i] + (next / rz) * d[i];
      rz = next;
    }
    for (let i = 0; i < m; i++) out[i * channels + c] = v[i];
  }
  return out;
}

/** Which pixels ROAD removes at p %: the top p % of the ranking (MoRF) or the bottom p % (LeRF). */
export function roadRemoved(order: Uint32Array, percent: number, mostRelevantFirst: boolean): Uint8Array {
  const n = order.length;
  const count = Math.round((percent / 100) * n);
  const removed = new Uint8Array(n);
  for (let j = 0; j < count; j++) removed[order[mostRelevantFirst ? j : n - 1 - j]] = 1;
  return removed;
}

/** The inputs ROAD needs for one map, one after another: MoRF at 10 … 90 %, then LeRF at 10 … 90 %. */
export function roadInputs(x: Float32Array, m01: Float32Array, width: number, height: number, channels: number, noise: ArrayLike<number>, seed: number): Float32Array {
  const order = rankPixels(m01);
  const random = seeded(seed);
  const out = new Float32Array(x.length * 2 * ROAD_PERCENTS.length);
  [true, false].forEach((morf, half) =>
    ROAD_PERCENTS.forEach((p, k) => out.set(imputeLinear(x, width, height, channels, roadRemoved(order, p, morf), noise, random), x.length * (half * ROAD_PERCENTS.length + k))),
  );
  return out;
}

/** ROAD from f on roadInputs()' inputs, in order. */
export function roadFrom(f: readonly number[]): { road: number; morf: number[]; lerf: number[] } {
  const n = ROAD_PERCENTS.length;
  const morf = f.slice(0, n), lerf = f.slice(n, 2 * n);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  return { road: (mean(lerf) - mean(morf)) / 2, morf, lerf };
}
