// CAM methods: each one is a small pure function of one sample's activations A and
// gradients G (both H×W×K, channels last), returning the raw map (H×W, not normalised).
// Formulas: shared REFERENCE.md §5.

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

/** Per-channel sum over the spatial grid of f(G). */
function poolGradients(input: CamInput, f: (g: number) => number): Float32Array {
  const { gradients, channels } = input;
  const cells = input.height * input.width;
  const w = new Float32Array(channels);
  for (let i = 0; i < cells; i++) {
    const base = i * channels;
    for (let c = 0; c < channels; c++) w[c] += f(gradients[base + c]);
  }
  return w;
}

/** Grad-CAM: w_k = mean of G over the grid. */
export const gradCamMean: CamMethod = (input) => {
  const cells = input.height * input.width;
  const w = poolGradients(input, (g) => g).map((v) => v / cells);
  return weightedSum(input.activations, w, cells);
};

/** The old deployment block's pooling: w_k = Σ |G|; always positive, so it loses the sign. */
export const gradCamSumAbs: CamMethod = (input) => {
  const w = poolGradients(input, Math.abs);
  return weightedSum(input.activations, w, input.height * input.width);
};

export const CAM_METHODS = {
  mean: gradCamMean,
  sum_abs: gradCamSumAbs,
} satisfies Record<string, CamMethod>;

export type CamMethodName = keyof typeof CAM_METHODS;
export const CAM_METHOD_NAMES = Object.keys(CAM_METHODS) as CamMethodName[];

export function allMaps(input: CamInput): Record<CamMethodName, Float32Array> {
  const out = {} as Record<CamMethodName, Float32Array>;
  for (const name of CAM_METHOD_NAMES) out[name] = CAM_METHODS[name](input);
  return out;
}
