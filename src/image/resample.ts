// Image resampling (pure): a source rectangle of an RGBA image → RGB floats (0..255) at w × h.
import type { RgbaImage } from './rgba';

export type ResizeMethod = 'bilinear' | 'nearest' | 'lanczos3';

type Rect = { x: number; y: number; w: number; h: number };

/** Separable resampling weights for one axis: for each output index, [first source index, weights]. */
function axisWeights(srcStart: number, srcLen: number, outLen: number, limit: number, method: ResizeMethod): { first: number; weights: number[] }[] {
  const scale = srcLen / outLen;
  const out: { first: number; weights: number[] }[] = [];
  for (let o = 0; o < outLen; o++) {
    const centre = srcStart + (o + 0.5) * scale - 0.5; // half-pixel centres
    if (method === 'nearest') {
      const i = Math.min(Math.max(Math.floor(srcStart + (o + 0.5) * scale), 0), limit - 1);
      out.push({ first: i, weights: [1] });
      continue;
    }
    // Lanczos3 and bilinear widen their support when shrinking (antialiasing, as image libraries do).
    const support = (method === 'lanczos3' ? 3 : 1) * Math.max(scale, 1);
    const kernel = method === 'lanczos3' ? lanczos3 : triangle;
    const stretch = Math.max(scale, 1);
    const first = Math.floor(centre - support) + 1;
    const last = Math.ceil(centre + support) - 1;
    const weights: number[] = [];
    let sum = 0;
    for (let i = first; i <= last; i++) {
      const w = kernel((i - centre) / stretch);
      weights.push(w);
      sum += w;
    }
    // clamp indices to the image, folding weights onto the edge pixels
    const folded = new Map<number, number>();
    weights.forEach((w, k) => {
      const i = Math.min(Math.max(first + k, 0), limit - 1);
      folded.set(i, (folded.get(i) ?? 0) + w / (sum || 1));
    });
    const lo = Math.min(...folded.keys());
    const hi = Math.max(...folded.keys());
    out.push({ first: lo, weights: Array.from({ length: hi - lo + 1 }, (_, k) => folded.get(lo + k) ?? 0) });
  }
  return out;
}

const triangle = (x: number) => Math.max(0, 1 - Math.abs(x));
function lanczos3(x: number): number {
  if (x === 0) return 1;
  if (Math.abs(x) >= 3) return 0;
  const px = Math.PI * x;
  return (3 * Math.sin(px) * Math.sin(px / 3)) / (px * px);
}

// A data set's images mostly share one size, so each axis' weights are worked out once.
const weightCache = new Map<string, { first: number; weights: Float32Array }[]>();
function cachedAxisWeights(srcStart: number, srcLen: number, outLen: number, limit: number, method: ResizeMethod) {
  const key = `${srcStart},${srcLen},${outLen},${limit},${method}`;
  let w = weightCache.get(key);
  if (!w) {
    w = axisWeights(srcStart, srcLen, outLen, limit, method).map(({ first, weights }) => ({ first, weights: Float32Array.from(weights) }));
    if (weightCache.size > 64) weightCache.clear();
    weightCache.set(key, w);
  }
  return w;
}

export function resample(image: RgbaImage, src: Rect, w: number, h: number, method: ResizeMethod): Float32Array {
  const xs = cachedAxisWeights(src.x, src.w, w, image.width, method);
  const ys = cachedAxisWeights(src.y, src.h, h, image.height, method);
  const data = image.data;
  const stride = image.width * 4;
  // horizontal pass over the rows the vertical pass needs
  const rows = new Map<number, Float32Array>();
  const row = (y: number) => {
    let r = rows.get(y);
    if (!r) {
      r = new Float32Array(w * 3);
      for (let x = 0; x < w; x++) {
        const { first, weights } = xs[x];
        let a = 0, b = 0, c = 0;
        for (let k = 0, p = y * stride + first * 4; k < weights.length; k++, p += 4) {
          const wk = weights[k];
          a += wk * data[p];
          b += wk * data[p + 1];
          c += wk * data[p + 2];
        }
        r[x * 3] = a;
        r[x * 3 + 1] = b;
        r[x * 3 + 2] = c;
      }
      rows.set(y, r);
    }
    return r;
  };
  const out = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const { first, weights } = ys[y];
    for (let k = 0; k < weights.length; k++) {
      const r = row(first + k);
      const wk = weights[k];
      for (let i = 0, o = y * w * 3; i < w * 3; i++, o++) out[o] += wk * r[i];
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = Math.min(255, Math.max(0, out[i]));
  return out;
}
