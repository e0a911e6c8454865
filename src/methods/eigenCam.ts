// Eigen-CAM (docs/methods.md#eigen-cam): the centred activations projected on their first
// principal direction; ignores the gradients, so the map is the same for every class. The same
// projection as eigen-smooth (kinds.ts), on A itself; the sign agrees with the summed activation.
import { cellsOf, eigenSmoothed, type CamInput } from './kinds';
import type { CamMethod } from './method';

const compute = (input: CamInput): Float32Array => eigenSmoothed(input.activations, cellsOf(input), input.channels);

export const eigenCam = { id: 'eigencam', label: 'Eigen-CAM', kind: 'principal component', classSensitive: false, compute } as const satisfies CamMethod;
