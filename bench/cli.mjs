// npm run bench:cli [-- --rounds 2] [--only vww,doodles]
// The built command line (dist-cli/main.js) on 1,000 VWW JPEGs (the 96×96 MobileNetV1 .h5) and
// 10,000 doodles (DoodleNet .h5), with one engine (--jobs 1) and with one per core (the default),
// run alternately in the same session so both see the same machine; prints each rate and the
// ratio of the medians. The rate is the command line's own "images/s" (explaining only: reading
// the zip, loading the model and writing deploy.zip are outside it); the wall time includes them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { doodleZip, vwwZip } from './app/data.mjs';
import { FIXTURES, ROOT } from './app/paths.mjs';

const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : undefined; };
const rounds = Number(opt('rounds') ?? 2);
const only = opt('only')?.split(',') ?? ['vww', 'doodles'];
const cli = process.env.CLI ?? path.join(ROOT, 'dist-cli/main.js'); // CLI=another build's main.js, side by side
if (!fs.existsSync(cli)) throw new Error('Build first: npm run build');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gradcam-bench-cli-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const sets = [];
if (only.includes('vww')) sets.push({ label: 'VWW 1,000 JPEGs', dataset: await vwwZip(1000), model: path.join(FIXTURES, 'keras-h5-mlperf-vww-mobilenetv1', 'vww_96.h5'), extra: ['--scaling', '0..1'] });
if (only.includes('doodles')) sets.push({ label: 'DoodleNet 10,000 doodles', dataset: await doodleZip(10000), model: path.join(FIXTURES, 'keras-h5-doodlenet', 'doodleNet-model.h5'), extra: ['--model', path.join(FIXTURES, 'keras-h5-doodlenet', 'class_names.txt')] });

const cores = os.availableParallelism();
console.log(`command line, --jobs 1 against --jobs ${cores} (this machine's cores), ${rounds} rounds each, alternating`);
for (const set of sets) {
  const rate = { one: [], all: [] };
  const wall = { one: [], all: [] };
  for (let r = 0; r < rounds; r++) {
    for (const [key, jobs] of [['one', 1], ['all', cores]]) {
      const t0 = performance.now();
      const stdout = execFileSync(process.execPath, [cli, '--dataset', set.dataset, '--model', set.model, ...set.extra, '--split', 'all', '--jobs', String(jobs), '--out-directory', out], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      wall[key].push((performance.now() - t0) / 1000);
      const m = /\(([\d.]+) images\/s\)/.exec(stdout);
      if (!m) throw new Error(`no rate in the output:\n${stdout}`);
      rate[key].push(Number(m[1]));
      console.log(`  ${set.label}, --jobs ${jobs}: ${m[1]} images/s, ${wall[key].at(-1).toFixed(1)} s in all`);
    }
  }
  console.log(`${set.label}: --jobs 1 ${median(rate.one).toFixed(1)} img/s, --jobs ${cores} ${median(rate.all).toFixed(1)} img/s (${(median(rate.all) / median(rate.one)).toFixed(2)}×); wall ${median(wall.one).toFixed(1)} s → ${median(wall.all).toFixed(1)} s (${(median(wall.one) / median(wall.all)).toFixed(2)}×)`);
}
fs.rmSync(out, { recursive: true, force: true });
