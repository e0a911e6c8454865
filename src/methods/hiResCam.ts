// HiResCAM (docs/methods.md#hirescam): L = Σ_k G_k ⊙ A_k, no pooling, so it stays faithful to the model.
import { cellsOf, eigenSmoothed, type CamInput } from './kinds';
import type { CamMethod } from './method';

/** L = Σ_k G_k ⊙ A_k. */
function compute(input: CamInput): Float32Array {
  const { activations: a, gradients: g, channels: k } = input;
  if (input.eigenSmooth) return eigenSmoothed(a.map((v, i) => v * g[i]), cellsOf(input), k);
  const map = new Float32Array(cellsOf(input));
  for (let i = 0; i < map.length; i++) {
    let s = 0;
    for (let j = i * k, end = j + k; j < end; j++) s += a[j] * g[j];
    map[i] = s;
  }
  return map;
}

export const hiResCam = { id: 'hirescam', label: 'HiResCAM', kind: 'per cell', classSensitive: true, compute } as const satisfies CamMethod;
