// Eigen-CAM (docs/methods.md#eigen-cam): the centred activations projected on their first
// principal direction; ignores the gradients, so the map is the same for every class.
import { cellsOf, type CamInput } from './kinds';
import { centreColumns, firstComponentScores } from './linalg';
import type { CamMethod } from './method';

/** The sign is chosen so the map agrees with the summed activation (a principal component has none of its own). */
function compute(input: CamInput): Float32Array {
  const { activations, channels: k } = input;
  const z = cellsOf(input);
  const map = firstComponentScores(centreColumns(activations, z, k), z, k);
  let agreement = 0;
  for (let i = 0; i < z; i++) {
    let total = 0;
    for (let c = 0; c < k; c++) total += activations[i * k + c];
    agreement += map[i] * total;
  }
  return agreement < 0 ? map.map((v) => -v) : map;
}

export const eigenCam = { id: 'eigencam', label: 'Eigen-CAM', kind: 'principal component', classSensitive: false, compute } as const satisfies CamMethod;
