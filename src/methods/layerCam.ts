// LayerCAM (docs/methods.md#layercam): L = ReLU(Σ_k ReLU(G_k) ⊙ A_k).
import { cellSums, relu } from './kinds';
import type { CamMethod } from './method';

export const layerCam = { id: 'layercam', label: 'LayerCAM', kind: 'per cell', classSensitive: true, compute: (input) => cellSums(input, (a, g) => relu(g) * a).map(relu) } as const satisfies CamMethod;
