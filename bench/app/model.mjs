// Converts the VWW Keras .h5 fixture into a TF.js layers model (model.json + weights.bin) for the
// naive baseline page, using the app's own loader (src/engine/loadModel.ts via Vite's runner).
import fs from 'node:fs';
import path from 'node:path';
import { runnerImport } from 'vite';
import { ROOT, DATA } from './paths.mjs';

const H5 = path.join(ROOT, 'tests/fixtures/keras-h5-mlperf-vww-mobilenetv1/vww_96.h5');

/** Returns the folder holding model.json + weights.bin (cached). */
export async function vwwTfjs() {
  const out = path.join(DATA, 'vww-tfjs');
  if (fs.existsSync(path.join(out, 'model.json'))) return out;
  const { module } = await runnerImport(path.join(ROOT, 'src/engine/loadModel.ts'), { configFile: false, logLevel: 'error' });
  const tf = await import('@tensorflow/tfjs');
  const { model } = await module.loadModelFiles([{ name: 'vww_96.h5', bytes: new Uint8Array(fs.readFileSync(H5)) }]);
  fs.mkdirSync(out, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (a) => {
    const data = Array.isArray(a.weightData) ? tf.io.concatenateArrayBuffers(a.weightData) : a.weightData;
    fs.writeFileSync(path.join(out, 'weights.bin'), new Uint8Array(data));
    const json = { format: 'layers-model', generatedBy: 'bench/app/model.mjs', modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] };
    fs.writeFileSync(path.join(out, 'model.json'), JSON.stringify(json));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  fs.writeFileSync(path.join(out, 'class_names.txt'), 'notperson\nperson\n');
  return out;
}
