// XGrad-CAM (docs/methods.md#xgrad-cam): gradients weighted by each cell's share of the channel's activation.
import { cellsOf, channelTotals, fromChannelWeights } from './kinds';
import type { CamMethod } from './method';

/** w_k = Σ_ij (A_ijk / Σ_ab A_abk) G_ijk. */
const compute = fromChannelWeights((input) => {
  const { activations: a, gradients: g, channels: k } = input;
  const sumA = channelTotals(a, cellsOf(input), k);
  const w = new Float32Array(k);
  for (let base = 0; base < a.length; base += k) {
    for (let c = 0; c < k; c++) if (sumA[c] !== 0) w[c] += (a[base + c] / sumA[c]) * g[base + c];
  }
  return w;
});

export const xGradCam = { id: 'xgradcam', label: 'XGrad-CAM', kind: 'channel weights', classSensitive: true, compute } as const satisfies CamMethod;
