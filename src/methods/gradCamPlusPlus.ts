// Grad-CAM++ (docs/methods.md#grad-cam-gradcampp), closed form for an exponential score.
import { cellsOf, channelTotals, fromChannelWeights } from './kinds';
import type { CamMethod } from './method';

/** α = G² / (2G² + ΣA·G³), w_k = Σ_ij α ReLU(G). */
const compute = fromChannelWeights((input) => {
  const { gradients, channels: k } = input;
  const sumA = channelTotals(input.activations, cellsOf(input), k);
  const w = new Float32Array(k);
  for (let base = 0; base < gradients.length; base += k) {
    for (let c = 0; c < k; c++) {
      const g = gradients[base + c];
      if (!(g > 0)) continue; // ReLU(G) = 0: no weight
      const g2 = g * g;
      const denom = 2 * g2 + sumA[c] * g2 * g;
      if (denom !== 0) w[c] += (g2 / denom) * g;
    }
  }
  return w;
});

export const gradCamPlusPlus = { id: 'gradcampp', label: 'Grad-CAM++', kind: 'channel weights', classSensitive: true, compute } as const satisfies CamMethod;
