// Grad-CAM (docs/methods.md#grad-cam): channel weights pooled from the gradients.
import { cellsOf, channelTotals, fromChannelWeights, type CamInput } from './kinds';
import type { CamMethod, Pooling } from './method';

/** w_k = mean of G_k over the grid (the paper), or Σ|G_k| (the old block: always positive, so it loses the sign). */
export const gradCamWeights: Record<Pooling, (input: CamInput) => Float32Array> = {
  mean: (input) => {
    const w = channelTotals(input.gradients, cellsOf(input), input.channels);
    for (let c = 0; c < w.length; c++) w[c] /= cellsOf(input);
    return w;
  },
  sum_abs: ({ gradients: g, channels: k }) => {
    const w = new Float32Array(k);
    for (let base = 0; base < g.length; base += k) for (let c = 0; c < k; c++) w[c] += Math.abs(g[base + c]);
    return w;
  },
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
