// HiResCAM (docs/methods.md#hirescam): L = Σ_k G_k ⊙ A_k, no pooling, so it stays faithful to the model.
import { cellSums } from './kinds';
import type { CamMethod } from './method';

export const hiResCam = { id: 'hirescam', label: 'HiResCAM', kind: 'per cell', classSensitive: true, compute: (input) => cellSums(input, (a, g) => a * g) } as const satisfies CamMethod;
