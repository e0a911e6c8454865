// LayerCAM (docs/methods.md#layercam): L = ReLU(Σ_k ReLU(G_k) ⊙ A_k).
import { cellsOf, eigenSmoothed, relu, type CamInput } from './kinds';
import type { CamMethod } from './method';

/** L = ReLU(Σ_k ReLU(G_k) ⊙ A_k). */
function compute(input: CamInput): Float32Array {
  const { activations: a, gradients: g, channels: k } = input;
  if (input.eigenSmooth) return eigenSmoothed(a.map((v, i) => relu(g[i]) * v), cellsOf(input), k).map(relu);
  const map = new Float32Array(cellsOf(input));
  for (let i = 0; i < map.length; i++) {
    let s = 0;
    for (let j = i * k, end = j + k; j < end; j++) if (g[j] > 0) s += g[j] * a[j];
    map[i] = s > 0 ? s : 0;
  }
  return map;
}

export const layerCam = { id: 'layercam', label: 'LayerCAM', kind: 'per cell', classSensitive: true, compute } as const satisfies CamMethod;
