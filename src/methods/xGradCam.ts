// XGrad-CAM (docs/methods.md#xgrad-cam): gradients weighted by each cell's share of the channel's activation.
import { channelSums, fromChannelWeights } from './kinds';
import type { CamMethod } from './method';

/** w_k = Σ_ij (A_ijk / Σ_ab A_abk) G_ijk. */
const compute = fromChannelWeights((input) => {
  const sumA = channelSums(input, (a) => a);
  return channelSums(input, (a, g, k) => (sumA[k] !== 0 ? (a / sumA[k]) * g : 0));
});

export const xGradCam = { id: 'xgradcam', label: 'XGrad-CAM', kind: 'channel weights', classSensitive: true, compute } as const satisfies CamMethod;
