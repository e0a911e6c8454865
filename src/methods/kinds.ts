// The two kinds of CAM method, as building blocks (formulas: docs/methods.md#two-kinds-of-method):
// channel weights (one weight per channel, map = Σ_k w_k A_k) and per cell (a value per cell
// from the products of A and G, no pooling).

/** One sample's activations A and gradients G at the target layer, both H×W×K, channels last. */
export interface CamInput {
  activations: Float32Array;
  gradients: Float32Array;
  height: number;
  width: number;
  channels: number;
}

export const relu = (v: number) => (v > 0 ? v : 0);
export const cellsOf = (input: Pick<CamInput, 'height' | 'width'>) => input.height * input.width;

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
export function channelSums(input: CamInput, f: (a: number, g: number, k: number) => number): Float32Array {
  const { activations, gradients, channels } = input;
  const w = new Float32Array(channels);
  for (let i = 0; i < cellsOf(input); i++) {
    const base = i * channels;
    for (let c = 0; c < channels; c++) w[c] += f(activations[base + c], gradients[base + c], c);
  }
  return w;
}

/** Σ_k f(A_ijk, G_ijk) at every cell. */
export function cellSums(input: CamInput, f: (a: number, g: number) => number): Float32Array {
  const { activations, gradients, channels } = input;
  const map = new Float32Array(cellsOf(input));
  for (let i = 0; i < map.length; i++) {
    let s = 0;
    const base = i * channels;
    for (let c = 0; c < channels; c++) s += f(activations[base + c], gradients[base + c]);
    map[i] = s;
  }
  return map;
}

/** A channel-weights method from its weights: map = Σ_k w_k A_k. */
export const fromChannelWeights = (weights: (input: CamInput) => Float32Array) => (input: CamInput) => weightedSum(input.activations, weights(input), cellsOf(input));
