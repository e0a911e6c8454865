// Grad-CAM (docs/methods.md#grad-cam): channel weights pooled from the gradients.
import { cellsOf, channelSums, fromChannelWeights, type CamInput } from './kinds';
import type { CamMethod, Pooling } from './method';

/** w_k = mean of G_k over the grid (the paper), or Σ|G_k| (the old block: always positive, so it loses the sign). */
export const gradCamWeights: Record<Pooling, (input: CamInput) => Float32Array> = {
  mean: (input) => channelSums(input, (_a, g) => g).map((v) => v / cellsOf(input)),
  sum_abs: (input) => channelSums(input, (_a, g) => Math.abs(g)),
};

const byPooling = { mean: fromChannelWeights(gradCamWeights.mean), sum_abs: fromChannelWeights(gradCamWeights.sum_abs) };

export const gradCam = {
  id: 'gradcam',
  label: 'Grad-CAM',
  kind: 'channel weights',
  classSensitive: true,
  pooled: true,
  compute: (input, pooling = 'mean') => byPooling[pooling](input),
} as const satisfies CamMethod;
