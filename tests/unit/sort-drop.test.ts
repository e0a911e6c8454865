// One drop for everything: real model files and real doodles, dropped together in every shape a
// user has them (two zips, loose files, one folder, one zip holding both), sorted by content.
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { sortDrop } from '../../src/sources/sortDrop';
import { buildDataset } from '../../src/sources/datasets/dataset';
import { expandDrop, type DroppedFile } from '../../src/sources/datasets/files';
import { loadModelFiles } from '../../src/engine/loadModel';
import { classFolderZip, doodlePng, doodlenetZip, FIXTURES, modelFiles, quickdrawRows } from '../helpers';

const fixture = (dir: string, name: string): DroppedFile => ({ path: name, bytes: new Uint8Array(fs.readFileSync(path.join(FIXTURES, dir, name))) });
const paths = (files: DroppedFile[]) => files.map((f) => f.path).sort();
const doodles = (folder = ''): DroppedFile[] => quickdrawRows('rainbow', 0, 3).map((r, i) => ({ path: `${folder}rainbow/${i}.png`, bytes: doodlePng(r) }));

describe('one drop: model and data set told apart by content', () => {
  it('a data-set zip and a model zip dropped together', async () => {
    const data = { path: 'doodles.zip', bytes: await classFolderZip(2) };
    const model = { path: 'doodlenet.zip', bytes: await doodlenetZip() };
    const sorted = await sortDrop([data, model]);
    expect(paths(sorted.model)).toEqual(['doodlenet.zip']);
    expect(paths(sorted.dataset)).toEqual(['doodles.zip']);
  });

  it('loose files: a Keras .h5 with its class names among images and info.labels', async () => {
    const files = [fixture('keras-h5-doodlenet', 'doodleNet-model.h5'), fixture('keras-h5-doodlenet', 'class_names.txt'), ...doodles('testing/'), { path: 'info.labels', bytes: new TextEncoder().encode('{"version":1,"files":[]}') }];
    const sorted = await sortDrop(files);
    expect(paths(sorted.model)).toEqual(['class_names.txt', 'doodleNet-model.h5']);
    expect(paths(sorted.dataset)).toEqual(['info.labels', 'testing/rainbow/0.png', 'testing/rainbow/1.png', 'testing/rainbow/2.png']);
  });

  it('one folder holding a TF.js model (sniffed: the JSON is not named model.json) and class folders', async () => {
    const tfjs = modelFiles('tfjs-doodlenet').filter((f) => !f.name.startsWith('LICENSE'));
    const files = [...tfjs.map((f) => ({ path: `project/model/${f.name === 'model.json' ? 'doodlenet.json' : f.name}`, bytes: f.bytes })), ...doodles('project/images/'), { path: 'project/README.md', bytes: new Uint8Array([35]) }];
    const sorted = await sortDrop(files);
    expect(paths(sorted.model)).toEqual(['project/model/class_names.txt', 'project/model/doodlenet.json', 'project/model/group1-shard1of1.bin']);
    expect(paths(sorted.dataset)).toEqual(['project/README.md', 'project/images/rainbow/0.png', 'project/images/rainbow/1.png', 'project/images/rainbow/2.png']);
    const { model } = await loadModelFiles(sorted.model.map((f) => ({ name: f.path, bytes: f.bytes })));
    expect(model.outputs[0].shape).toEqual([null, 345]);
    model.dispose();
    expect(buildDataset('project', sorted.dataset).samples.map((s) => s.label)).toEqual(['rainbow', 'rainbow', 'rainbow']);
  });

  it('one zip holding both is split entry by entry, and each side loads', async () => {
    const zip = new JSZip();
    zip.file('bundle/model.keras', fs.readFileSync(path.join(FIXTURES, 'keras3-mnist-cnn', 'model.keras')));
    for (const d of doodles()) zip.file(`bundle/data/${d.path}`, d.bytes);
    const sorted = await sortDrop([{ path: 'bundle.zip', bytes: await zip.generateAsync({ type: 'uint8array' }) }]);
    expect(paths(sorted.model)).toEqual(['bundle/bundle/model.keras']);
    expect(paths(sorted.dataset)).toEqual(['bundle/bundle/data/rainbow/0.png', 'bundle/bundle/data/rainbow/1.png', 'bundle/bundle/data/rainbow/2.png']);
    const { format, model } = await loadModelFiles(await expandDrop(sorted.model).then((fs) => fs.map((f) => ({ name: f.path, bytes: f.bytes }))));
    expect(format).toBe('keras3');
    model.dispose();
    expect(buildDataset('bundle', sorted.dataset).samples).toHaveLength(3);
  });

  it('a class-folder data set with a labels.txt is not taken for a model (no model file in it)', async () => {
    const files = [...doodles('set/'), { path: 'set/labels.txt', bytes: new TextEncoder().encode('rainbow\n') }];
    expect(await sortDrop(files)).toEqual({ model: [], dataset: files });
  });

  it('only a model, wherever it was dropped, goes to the model (a Keras .h5 with no extension is sniffed)', async () => {
    const h5 = fixture('keras-h5-mlperf-vww-mobilenetv1', 'vww_96.h5');
    const bare = { path: 'vww', bytes: h5.bytes };
    expect(await sortDrop([bare], 'dataset')).toEqual({ model: [bare], dataset: [], modelFile: 'vww' });
    const dotKeras = fixture('keras3-mnist-cnn', 'model.keras');
    expect(await sortDrop([dotKeras, { path: 'notes.txt', bytes: new Uint8Array([104]) }])).toEqual({ model: [dotKeras, { path: 'notes.txt', bytes: new Uint8Array([104]) }], dataset: [], modelFile: 'model.keras' });
  });

  it('images dropped on the model area go to the data set; what is neither goes where it was dropped', async () => {
    const imgs = doodles();
    expect(await sortDrop(imgs, 'model')).toEqual({ model: [], dataset: imgs });
    const broken = { path: 'holiday.zip', bytes: new TextEncoder().encode('PK\u0003\u0004 this is not really a zip') };
    expect(await sortDrop([broken], 'model')).toEqual({ model: [broken], dataset: [] });
    expect(await sortDrop([broken], 'dataset')).toEqual({ model: [], dataset: [broken] });
    expect(await sortDrop([broken])).toEqual({ model: [], dataset: [broken] });
  });

  it('never inflates an image to sort it', async () => {
    let reads = 0;
    const lazy = doodles().map((d) => ({ path: d.path, get bytes() { reads++; return d.bytes; } }));
    await sortDrop([...lazy, fixture('keras-h5-doodlenet', 'doodleNet-model.h5')]);
    expect(reads).toBe(0);
  });
});
