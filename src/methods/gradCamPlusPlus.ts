// Grad-CAM++ (docs/methods.md#grad-cam-gradcampp), closed form for an exponential score.
import { channelSums, fromChannelWeights, relu } from './kinds';
import type { CamMethod } from './method';

/** α = G² / (2G² + ΣA·G³), w_k = Σ_ij α ReLU(G). */
const compute = fromChannelWeights((input) => {
  const sumA = channelSums(input, (a) => a);
  return channelSums(input, (_a, g, k) => {
    const g2 = g * g;
    const denom = 2 * g2 + sumA[k] * g2 * g;
    const alpha = denom !== 0 ? g2 / denom : 0;
    return alpha * relu(g);
  });
});

export const gradCamPlusPlus = { id: 'gradcampp', label: 'Grad-CAM++', kind: 'channel weights', classSensitive: true, compute } as const satisfies CamMethod;
