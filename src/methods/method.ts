// What a CAM method declares about itself; the registry (registry.ts) lists them.
import type { CamInput } from './kinds';

/** How Grad-CAM pools gradients into channel weights (a setting of its own, not a method). */
export type Pooling = 'mean' | 'sum_abs';

/**
 * channel weights: map = Σ_k w_k A_k, one weight per channel (Grad-CAM, Grad-CAM++, XGrad-CAM, Score-CAM);
 * per cell: a value per cell from A ⊙ G, no pooling (HiResCAM, LayerCAM);
 * principal component: the activations' first principal component (Eigen-CAM).
 */
export type MethodKind = 'channel weights' | 'per cell' | 'principal component';

export interface CamMethod {
  id: string;
  label: string;
  kind: MethodKind;
  /** false: the map is the same whichever class is explained (Eigen-CAM). */
  classSensitive: boolean;
  /** Takes the pooling setting (Grad-CAM). */
  pooled?: boolean;
  /** The raw map from one sample's A and G, computed in the run's own pass. */
  compute?: (input: CamInput, pooling?: Pooling) => Float32Array;
  /** Needs forward passes of its own (Score-CAM: one per channel), so it is computed on request. */
  onRequest?: 'forward passes';
}
