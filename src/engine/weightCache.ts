// Tensors worked out from layers' weights (folded filters, transposed kernels), kept with the
// engine until the weights they came from change: a layer's setWeights gives its variables new
// data (the sanity checks re-initialise layers), and the next use works them out again.
import * as tf from '@tensorflow/tfjs';
import type { LayerCall } from './graph';

export class WeightCache {
  private readonly cache = new Map<LayerCall, { tensors: tf.Tensor[]; from: object[] }>();

  /** What `compute` gives from the weights of `layers`, kept under `key`. */
  get(key: LayerCall, layers: LayerCall[], compute: () => tf.Tensor[]): tf.Tensor[] {
    const from = layers.flatMap((c) => c.layer.weights.map((w) => (w.read() as unknown as { dataId: object }).dataId));
    const known = this.cache.get(key);
    if (known && known.from.length === from.length && known.from.every((d, i) => d === from[i])) return known.tensors;
    if (known) tf.dispose(known.tensors);
    const tensors = tf.tidy(() => compute().map((t) => tf.keep(t)));
    this.cache.set(key, { tensors, from });
    return tensors;
  }

  dispose() {
    for (const { tensors } of this.cache.values()) tf.dispose(tensors);
    this.cache.clear();
  }
}
