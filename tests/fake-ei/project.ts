// A fake project built from real fixtures: DoodleNet's Keras .h5 as the trained model, and real
// Quick, Draw! doodles as an Edge Impulse export (training/ + testing/ + info.labels).
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { doodlePng, FIXTURES, QUICKDRAW_CLASSES, quickdrawRows } from '../helpers';
import type { FakeProject } from './server';

export const DOODLENET_CLASSES = fs.readFileSync(path.join(FIXTURES, 'keras-h5-doodlenet/class_names.txt'), 'utf8').split('\n').map((s) => s.trim());

/** An export with `perClass` testing and 2 training doodles per class; info.labels as JSON or NDJSON. */
export async function exportZip(perClass: number, options: { ndjson?: boolean; withTesting?: boolean } = {}): Promise<Uint8Array> {
  const zip = new JSZip();
  const files: object[] = [];
  for (const label of QUICKDRAW_CLASSES) {
    const rows = quickdrawRows(label, 4500, perClass + 2);
    rows.forEach((row, i) => {
      const category = i < 2 || options.withTesting === false ? 'training' : 'testing';
      const name = `${label}${i}.png.4f1a${i}`;
      const p = `${category}/${label}.${name}.ingestion-5d8f7c-abcde.png`;
      zip.file(p, doodlePng(row));
      files.push({ path: p, name, category, label: { type: 'label', label }, metadata: {}, boundingBoxes: [] });
    });
  }
  const header = { version: 1 };
  zip.file('info.labels', options.ndjson ? [JSON.stringify({ __ndjson: true, ...header }), ...files.map((f) => JSON.stringify({ __key: 'files', __item: f }))].join('\n') + '\n' : JSON.stringify({ ...header, files }));
  zip.file('README.txt', 'Exported from a fake Edge Impulse project for tests.\n');
  return zip.generateAsync({ type: 'uint8array' });
}

export async function modelZip(): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file('model.h5', fs.readFileSync(path.join(FIXTURES, 'keras-h5-doodlenet/doodleNet-model.h5')));
  return zip.generateAsync({ type: 'uint8array' });
}

export async function doodleProject(overrides: Partial<FakeProject> = {}): Promise<FakeProject> {
  return {
    apiKey: 'ei_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    role: 'admin',
    projectId: 4242,
    name: 'Doodles',
    hasImpulse: true,
    inputType: 'image',
    learnType: 'keras',
    image: { width: 28, height: 28, resizeMode: 'squash', resizeMethod: 'lanczos3' },
    channels: 'Grayscale',
    mode: 'classification',
    classNames: DOODLENET_CLASSES,
    imageInputScaling: '0..1',
    hasTrainedModel: true,
    exportZip: await exportZip(10),
    modelZip: await modelZip(),
    jobPolls: 2,
    jobFails: false,
    jobHangs: false,
    staleExportAnswers: 1,
    urlExpired: false,
    invalidKeyStatus: 401,
    cors: true,
    faults: [],
    ...overrides,
  };
}
