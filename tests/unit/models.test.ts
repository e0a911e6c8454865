import { describe, expect, it } from 'vitest';
import api from '../../src/engine/workerApi';
import { loadLayersModel } from '../../src/engine/loadModel';
import { classNamesFromFiles, readModelDrop } from '../../src/sources/models/modelFiles';
import { DOODLENET_INDEX, doodlePng, doodlenetZip, modelFiles, quickdrawRows } from '../helpers';
import * as tf from '@tensorflow/tfjs';

const text = (path: string, s: string) => ({ path, bytes: new TextEncoder().encode(s) });

describe('class names next to a model', () => {
  it('reads class_names.txt in output order', () => {
    const names = classNamesFromFiles(modelFiles('tfjs-doodlenet').map((f) => ({ path: f.name, bytes: f.bytes })))!;
    expect(names).toHaveLength(345);
    expect([names[17], names[94], names[204]]).toEqual(['lollipop', 'bowtie', 'rainbow']);
  });
  it("strips Teachable Machine's index prefixes from labels.txt", () => {
    expect(classNamesFromFiles([text('labels.txt', '0 Cat\n1 Dog\n2 Big bird\n')])).toEqual(['Cat', 'Dog', 'Big bird']);
  });
  it('reads metadata.json labels', () => {
    expect(classNamesFromFiles([text('m/metadata.json', JSON.stringify({ labels: ['a', 'b'] }))])).toEqual(['a', 'b']);
  });
  it('finds the model and names inside a zip', async () => {
    const drop = await readModelDrop([{ path: 'doodlenet.zip', bytes: await doodlenetZip() }]);
    expect(drop.files.map((f) => f.path).sort()).toEqual(['doodlenet/class_names.txt', 'doodlenet/group1-shard1of1.bin', 'doodlenet/model.json']);
    expect(drop.classNames).toHaveLength(345);
  });
});

describe('loading a TF.js model from dropped files', () => {
  const files = () => modelFiles('tfjs-doodlenet');
  it('names the missing weight file', async () => {
    await expect(loadLayersModel(files().filter((f) => !f.name.endsWith('.bin')))).rejects.toThrow(/needs the weight file "group1-shard1of1.bin", which was not dropped/);
  });
  it('says when a weight file is truncated', async () => {
    const cut = files().map((f) => (f.name.endsWith('.bin') ? { ...f, bytes: f.bytes.slice(0, 1000) } : f));
    await expect(loadLayersModel(cut)).rejects.toThrow(/hold 1000 bytes but model.json needs 2176804/);
  });
  it('says when there is no model.json', async () => {
    await expect(loadLayersModel([{ name: 'weights.bin', bytes: new Uint8Array(4) }])).rejects.toThrow(/No model found: drop a Keras .h5/);
  });
  it('keeps the previous model when a new one fails, and rejects a model with no spatial layer', async () => {
    await api.init('wasm');
    const info = await api.loadModel(files(), 'doodlenet');
    expect(info.name).toBe('doodlenet');
    const dense = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 2 })] });
    let saved: tf.io.ModelArtifacts | undefined;
    await dense.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const json = JSON.stringify({ modelTopology: saved!.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: saved!.weightSpecs }] });
    const bad = [{ name: 'model.json', bytes: new TextEncoder().encode(json) }, { name: 'w.bin', bytes: new Uint8Array(saved!.weightData as ArrayBuffer) }];
    await expect(api.loadModel(bad, 'dense')).rejects.toThrow(/image input|no layer with a spatial output/);
    const png = doodlePng(quickdrawRows('bowtie', 0, 1)[0]);
    const [out] = await api.explainImages([{ id: 'a', bytes: png }]);
    expect(out).toMatchObject({ id: 'a', predictedIndex: DOODLENET_INDEX.bowtie }); // DoodleNet still answers
  });
});
