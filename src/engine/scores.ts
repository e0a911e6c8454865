// What Grad-CAM differentiates. A model that ends in softmax/sigmoid is run with that last
// activation removed, so we get logits (the papers' choice; a saturated softmax has ~zero
// gradient), and probabilities are computed from them afterwards.
import * as tf from '@tensorflow/tfjs';
import type { FlatGraph, LayerCall } from './graph';
import type { FinalActivation } from './types';

interface WithActivation { activation?: { getClassName(): string; apply(x: tf.Tensor): tf.Tensor } | null }

const LINEAR = { getClassName: () => 'linear', apply: (x: tf.Tensor) => x };

function activationOf(call: LayerCall): string {
  const cls = call.layer.getClassName();
  if (cls === 'Softmax') return 'softmax';
  if (cls === 'Activation') return ((call.layer.getConfig() as { activation?: string }).activation ?? 'linear').toLowerCase();
  const act = (call.layer as unknown as WithActivation).activation;
  return act ? act.getClassName().toLowerCase() : 'linear';
}

export interface LogitHead {
  finalActivation: FinalActivation;
  /** The model's last layer call. */
  last?: LayerCall;
  /** Replaces the last layer's call so it returns pre-activation values. */
  override: (call: LayerCall, x: tf.Tensor | tf.Tensor[]) => tf.Tensor | undefined;
  activate: (logits: tf.Tensor) => tf.Tensor;
}

export function logitHead(graph: FlatGraph): LogitHead {
  const last = graph.calls.find((c) => c.outputs.includes(graph.output));
  const name = last ? activationOf(last) : 'linear';
  const finalActivation: FinalActivation = name === 'softmax' || name === 'sigmoid' ? name : 'linear';
  const activate = (t: tf.Tensor) => (finalActivation === 'softmax' ? tf.softmax(t) : finalActivation === 'sigmoid' ? tf.sigmoid(t) : t);
  const override = (call: LayerCall, x: tf.Tensor | tf.Tensor[]) => {
    if (call !== last || finalActivation === 'linear') return undefined;
    const cls = call.layer.getClassName();
    if (cls === 'Softmax' || cls === 'Activation') return x as tf.Tensor;
    const layer = call.layer as unknown as WithActivation;
    const saved = layer.activation;
    layer.activation = LINEAR;
    try {
      return call.layer.call(x, { training: false }) as tf.Tensor;
    } finally {
      layer.activation = saved;
    }
  };
  return { finalActivation, last, override, activate };
}
