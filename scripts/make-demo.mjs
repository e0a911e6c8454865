// Writes the embedded demo into public/demo/ from the test fixtures (real data, real model):
//   model/     DoodleNet TF.js model (MIT, ml5.js) with its class names
//   quickdraw-test.zip  an Edge Impulse–style export: testing/<label>.<name>.png + info.labels,
//                       the first ROWS doodles of each Quick, Draw! class (CC BY 4.0, Google).
// Run: npm run demo:make   (the output is committed; re-running gives identical bytes)
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { encode } from 'fast-png';

const ROWS = 100;
const root = path.resolve(import.meta.dirname, '..');
const fixtures = path.join(root, 'tests/fixtures');
const out = path.join(root, 'public/demo');
const DATE = new Date('2019-04-28T00:00:00Z'); // fixed, so the zip is reproducible

fs.mkdirSync(path.join(out, 'model'), { recursive: true });
for (const f of ['model.json', 'group1-shard1of1.bin', 'class_names.txt', 'LICENSE.upstream']) {
  fs.copyFileSync(path.join(fixtures, 'tfjs-doodlenet', f), path.join(out, 'model', f));
}

const zip = new JSZip();
const files = [];
for (const label of ['bowtie', 'lollipop', 'rainbow']) {
  const npy = fs.readFileSync(path.join(fixtures, 'quickdraw-npy-3class', `${label}5000.npy`));
  for (let i = 0; i < ROWS; i++) {
    const pixels = npy.subarray(128 + i * 784, 128 + (i + 1) * 784);
    const png = encode({ width: 28, height: 28, data: new Uint8Array(pixels), channels: 1, depth: 8 });
    const name = `${label}${String(i).padStart(4, '0')}`;
    const file = `testing/${label}.${name}.png`;
    zip.file(file, png, { date: DATE });
    files.push({ path: file, name, category: 'testing', label: { type: 'label', label }, metadata: { source: `${label}5000.npy row ${i}` }, boundingBoxes: [] });
  }
}
zip.file('info.labels', JSON.stringify({ version: 1, files }, null, 1), { date: DATE });
zip.file('README.txt', 'Quick, Draw! doodles (c) Google Creative Lab, CC BY 4.0. https://quickdraw.withgoogle.com/data\n', { date: DATE });
const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
fs.writeFileSync(path.join(out, 'quickdraw-test.zip'), bytes);
console.log(`wrote ${files.length} images, ${bytes.length} bytes → public/demo/quickdraw-test.zip`);
