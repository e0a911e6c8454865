// CAM methods: each one is a small pure function of one sample's activations A and
// gradients G (both H×W×K, channels last), returning the raw map (H×W, not normalised).
// Formulas: shared REFERENCE.md §5. Score-CAM needs forward passes: see scoreCam.ts.

export interface CamInput {
  activations: Float32Array;
  gradients: Float32Array;
  height: number;
  width: number;
  channels: number;
}

export type CamMethod = (input: CamInput) => Float32Array;

/** Weighted sum over channels: map_ij = Σ_k w_k A_ijk. */
export function weightedSum(activations: Float32Array, weights: Float32Array, cells: number): Float32Array {
  const k = weights.length;
  const map = new Float32Array(cells);
  for (let i = 0; i < cells; i++) {
    let s = 0;
    const base = i * k;
    for (let c = 0; c < k; c++) s += weights[c] * activations[base + c];
    map[i] = s;
  }
  return map;
}

/** Per-channel sum over the grid of f(A, G). */
function channelSums(input: CamInput, f: (a: number, g: number, k: number) => number): Float32Array {
  const { activations, gradients, channels } = input;
  const cells = input.height * input.width;
  const w = new Float32Array(channels);
  for (let i = 0; i < cells; i++) {
    const base = i * channels;
    for (let c = 0; c < channels; c++) w[c] += f(activations[base + c], gradients[base + c], c);
  }
  return w;
}

/** Σ_k f(A_ijk, G_ijk) at every cell. */
function cellSums(input: CamInput, f: (a: number, g: number) => number): Float32Array {
  const { activations, gradients, channels } = input;
  const cells = input.height * input.width;
  const map = new Float32Array(cells);
  for (let i = 0; i < cells; i++) {
    let s = 0;
    const base = i * channels;
    for (let c = 0; c < channels; c++) s += f(activations[base + c], gradients[base + c]);
    map[i] = s;
  }
  return map;
}

const relu = (v: number) => (v > 0 ? v : 0);
const cellsOf = (input: CamInput) => input.height * input.width;

/** Grad-CAM: w_k = mean of G over the grid. */
export const gradCamMean: CamMethod = (input) => {
  const w = channelSums(input, (_a, g) => g).map((v) => v / cellsOf(input));
  return weightedSum(input.activations, w, cellsOf(input));
};

/** The old deployment block's pooling: w_k = Σ |G|; always positive, so it loses the sign. */
export const gradCamSumAbs: CamMethod = (input) => weightedSum(input.activations, channelSums(input, (_a, g) => Math.abs(g)), cellsOf(input));

/** Grad-CAM++ closed form (exponential score): α = G² / (2G² + ΣA·G³), w_k = Σ α ReLU(G). */
export const gradCamPlusPlus: CamMethod = (input) => {
  const sumA = channelSums(input, (a) => a);
  const w = channelSums(input, (_a, g, k) => {
    const g2 = g * g;
    const denom = 2 * g2 + sumA[k] * g2 * g;
    const alpha = denom !== 0 ? g2 / denom : 0;
    return alpha * relu(g);
  });
  return weightedSum(input.activations, w, cellsOf(input));
};

/** HiResCAM: L = Σ_k G_k ⊙ A_k (no pooling, so it stays faithful to the model). */
export const hiResCam: CamMethod = (input) => cellSums(input, (a, g) => a * g);

/** XGrad-CAM: w_k = Σ_ij (A_ijk / Σ_ab A_abk) G_ijk. */
export const xGradCam: CamMethod = (input) => {
  const sumA = channelSums(input, (a) => a);
  const w = channelSums(input, (a, g, k) => (sumA[k] !== 0 ? (a / sumA[k]) * g : 0));
  return weightedSum(input.activations, w, cellsOf(input));
};

/** LayerCAM: L = ReLU(Σ_k ReLU(G_k) ⊙ A_k). */
export const layerCam: CamMethod = (input) => cellSums(input, (a, g) => relu(g) * a).map(relu);

/** Leading eigenvector of a symmetric n×n matrix (power iteration). */
function leadingEigenvector(m: Float64Array, n: number): Float64Array {
  let v = new Float64Array(n).map((_, i) => 1 + i * 1e-3);
  for (let iter = 0; iter < 200; iter++) {
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += m[i * n + j] * v[j];
      next[i] = s;
    }
    let norm = 0;
    for (const x of next) norm += x * x;
    norm = Math.sqrt(norm);
    if (!(norm > 0)) return next;
    let change = 0;
    for (let i = 0; i < n; i++) {
      next[i] /= norm;
      change += Math.abs(next[i] - v[i]);
    }
    v = next;
    if (change < 1e-12) break;
  }
  return v;
}

/**
 * Eigen-CAM: projection of the centred activations X (Z×K) on their first principal direction,
 * i.e. X·v₁ = σ₁u₁; computed from the smaller Gram matrix (XXᵀ or XᵀX). The sign is chosen so
 * the map agrees with the summed activation.
 */
export const eigenCam: CamMethod = (input) => {
  const { activations, channels: k } = input;
  const z = cellsOf(input);
  const x = new Float64Array(z * k);
  for (let c = 0; c < k; c++) {
    let mean = 0;
    for (let i = 0; i < z; i++) mean += activations[i * k + c];
    mean /= z;
    for (let i = 0; i < z; i++) x[i * k + c] = activations[i * k + c] - mean;
  }
  const map = new Float32Array(z);
  if (z <= k) {
    const gram = new Float64Array(z * z); // X Xᵀ
    for (let i = 0; i < z; i++) {
      for (let j = i; j < z; j++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += x[i * k + c] * x[j * k + c];
        gram[i * z + j] = gram[j * z + i] = s;
      }
    }
    const u = leadingEigenvector(gram, z);
    let lambda = 0;
    for (let i = 0; i < z; i++) for (let j = 0; j < z; j++) lambda += u[i] * gram[i * z + j] * u[j];
    const sigma = Math.sqrt(Math.max(lambda, 0));
    for (let i = 0; i < z; i++) map[i] = sigma * u[i];
  } else {
    const cov = new Float64Array(k * k); // Xᵀ X
    for (let i = 0; i < z; i++) for (let a = 0; a < k; a++) for (let b = a; b < k; b++) cov[a * k + b] += x[i * k + a] * x[i * k + b];
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) cov[a * k + b] = cov[b * k + a];
    const v = leadingEigenvector(cov, k);
    for (let i = 0; i < z; i++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += x[i * k + c] * v[c];
      map[i] = s;
    }
  }
  let agreement = 0;
  for (let i = 0; i < z; i++) {
    let total = 0;
    for (let c = 0; c < k; c++) total += activations[i * k + c];
    agreement += map[i] * total;
  }
  return agreement < 0 ? map.map((v) => -v) : map;
};

/** Every method that needs only (A, G): all computed in the same pass, so switching is instant. */
export const CAM_METHODS = {
  mean: gradCamMean,
  sum_abs: gradCamSumAbs,
  gradcampp: gradCamPlusPlus,
  hirescam: hiResCam,
  xgradcam: xGradCam,
  layercam: layerCam,
  eigencam: eigenCam,
} satisfies Record<string, CamMethod>;

export type CamMethodName = keyof typeof CAM_METHODS;
export const CAM_METHOD_NAMES = Object.keys(CAM_METHODS) as CamMethodName[];

export function allMaps(input: CamInput): Record<CamMethodName, Float32Array> {
  const out = {} as Record<CamMethodName, Float32Array>;
  for (const name of CAM_METHOD_NAMES) out[name] = CAM_METHODS[name](input);
  return out;
}
