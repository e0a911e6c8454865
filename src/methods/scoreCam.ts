// Score-CAM (docs/methods.md#score-cam): channel weights from the model's score on the input
// masked by each channel; the forward passes run in the engine (engine/scoreCam.ts).
import { cellsOf, weightedSum } from './kinds';
import type { CamMethod } from './method';

export const scoreCam = { id: 'scorecam', label: 'Score-CAM', kind: 'channel weights', classSensitive: true, onRequest: 'forward passes' } as const satisfies CamMethod;

/** The map from one image's activations (H×W×K) and the K masked scores. */
export const scoreCamMap = (activations: Float32Array, scores: Float32Array, grid: { height: number; width: number }) => weightedSum(activations, scores, cellsOf(grid));
