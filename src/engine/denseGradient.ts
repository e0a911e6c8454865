// A Dense layer of the differentiated tail run with its gradient taken through a kept transpose
// of its kernel. TF.js's own gradient of x·W multiplies by W transposed on the fly — WASM's
// BatchMatMul does a transposed product ~12× slower than a plain one (a 32-image batch, 512 →
// 3,136: 2.0 ms an image against 0.16) — and also works out the kernel's gradient xᵀ·dy, which
// Grad-CAM never uses. DoodleNet's two Dense layers made them the largest kernels of its Grad-CAM
// step (Node, batch 32: 2.5–2.7 → 1.5 ms an image). The values are the layer's own.
import * as tf from '@tensorflow/tfjs';
import type { LayerCall } from './graph';
import type { WeightCache } from './weightCache';

interface DenseLike { activation?: { apply(x: tf.Tensor): tf.Tensor } | null }

/**
 * The layer's output for `x` (a batch of vectors), or undefined where this does not apply (not a
 * Dense layer, another rank). `linear`: without the layer's activation (the logits of a last layer).
 */
export function denseWithKeptTranspose(cache: WeightCache, call: LayerCall, x: tf.Tensor | tf.Tensor[], linear = false): tf.Tensor | undefined {
  if (Array.isArray(x) || x.rank !== 2 || call.layer.getClassName() !== 'Dense') return undefined;
  const transposed = transposeOf(cache, call);
  if (!transposed) return undefined;
  const [kernel, bias] = call.layer.weights.map((w) => w.read()) as tf.Tensor2D[];
  const product = tf.customGrad((...args) => ({
    value: tf.matMul(args[0] as tf.Tensor2D, kernel),
    gradFunc: (dy: tf.Tensor | tf.Tensor[]) => tf.matMul(dy as tf.Tensor2D, transposed as tf.Tensor2D),
  }));
  const y = bias ? tf.add(product(x), bias) : product(x);
  const activation = (call.layer as unknown as DenseLike).activation;
  return linear || !activation ? y : activation.apply(y);
}

/**
 * Kernels up to 4M values (16 MB) are kept transposed: a copy of a classifier's Dense layers costs
 * little, but VGG-16's first one (25,088 × 4,096) would be 411 MB more; those take TF.js's own path.
 */
const MAX_KEPT = 4 * 1024 * 1024;
const transposeOf = (cache: WeightCache, call: LayerCall): tf.Tensor | undefined => {
  const kernel = call.layer.weights[0];
  if (!kernel || kernel.shape.length !== 2 || (kernel.shape[0] ?? 0) * (kernel.shape[1] ?? 0) > MAX_KEPT) return undefined;
  return cache.get(call, [call], () => [tf.transpose(kernel.read())])[0];
};

/**
 * The transposes of every Dense layer's kernel, made now rather than at the first gradient: the
 * engine's tensors then stay as many from its first call on (the tests count them for leaks).
 */
export function keepTransposes(cache: WeightCache, calls: LayerCall[]) {
  for (const call of calls) if (call.layer.getClassName() === 'Dense') transposeOf(cache, call);
}
