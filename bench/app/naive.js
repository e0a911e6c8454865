// Naive Grad-CAM, batch 1, as a user porting the old Python block would write it: for each JPEG
// decode → fromPixels → resize to the model input → /255 → a gradient model built again for every
// image ([last conv output, predictions]) → tf.grad of the predicted class score w.r.t. the last
// conv activations (through the plain tail of layers after it) → mean-pool the gradients →
// weighted sum → ReLU → normalise → read the map back. window.runNaive(...) is driven by bench/app/run.mjs.
import * as tf from '@tensorflow/tfjs';
import JSZip from 'jszip';

async function useBackend(name) {
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm'); // only registered when asked for
    wasm.setWasmPaths('/wasm/');
    await tf.setBackend('wasm');
  }
  await tf.ready(); // 'default': whatever TF.js picks by itself
  return tf.getBackend();
}

window.runNaive = async ({ backend, modelUrl, zipUrl, limit }) => {
  const used = await useBackend(backend);
  const tm = performance.now();
  const model = await tf.loadLayersModel(modelUrl);
  const modelLoadMs = performance.now() - tm;
  const zip = await JSZip.loadAsync(await (await fetch(zipUrl)).arrayBuffer());
  const names = Object.keys(zip.files).filter((n) => /\.(jpe?g|png)$/i.test(n)).sort().slice(0, limit);
  const blobs = await Promise.all(names.map((n) => zip.file(n).async('blob')));
  // last layer with a spatial (H×W > 1) output, and the plain chain of layers after it
  const i = model.layers.findLastIndex((l) => l.outputShape.length === 4 && l.outputShape[1] * l.outputShape[2] > 1);
  const conv = model.layers[i], tail = model.layers.slice(i + 1);
  const [, H, W] = model.inputs[0].shape;
  const t0 = performance.now();
  let checksum = 0, firstMs = 0;
  for (const blob of blobs) {
    const bitmap = await createImageBitmap(blob);
    const gradModel = tf.model({ inputs: model.inputs, outputs: [conv.output, model.output] });
    const cam = tf.tidy(() => {
      const x = tf.image.resizeBilinear(tf.browser.fromPixels(bitmap), [H, W]).div(255).expandDims(0);
      const [A, preds] = gradModel.predict(x);
      const cls = preds.argMax(-1).dataSync()[0];
      const grads = tf.grad((a) => tail.reduce((t, l) => l.apply(t), a).mul(tf.oneHot([cls], preds.shape[1])).sum())(A); // gather's gradient has no WASM kernel
      const weights = grads.mean([0, 1, 2]);
      const map = tf.relu(A.mul(weights).sum(-1)).squeeze();
      return map.div(map.max().add(1e-8));
    });
    const values = await cam.data();
    checksum += values.reduce((a, b) => a + b, 0);
    if (!firstMs) firstMs = performance.now() - t0;
    cam.dispose();
    bitmap.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  model.dispose();
  return { backend: used, modelLoadMs, images: blobs.length, seconds, rate: blobs.length / seconds, firstMs, steadyRate: (blobs.length - 1) / (seconds - firstMs / 1000), checksum, layer: conv.name, tensors: tf.memory().numTensors };
};
document.getElementById('status').textContent = 'loaded';
