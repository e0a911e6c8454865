// npm run bench:app [-- --quick] [--only vww,doodles1k,doodles10k (default; also vww10k: 10,000 photos)] [--no-naive] [--no-interactions] [--budget 2700 (s)] [--cap 20000 (ms)]
// Measures the built app in headless Chromium (model load, first tile, run rate, memory, DOM
// size, view-change latencies, export) next to a naive Grad-CAM page in the same run; prints a
// table and one summary line, and writes bench/.data/last-app-bench.json.
import fs from 'node:fs';
import path from 'node:path';
import { DATA, FIXTURES } from './paths.mjs';
import { doodleZip, vwwZip } from './data.mjs';
import { vwwTfjs } from './model.mjs';
import { buildNaive, measureNaive, serveData } from './naive.mjs';
import { buildIfStale, launch, startPreview } from './browser.mjs';
import { measureApp } from './app.mjs';
import { report } from './report.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const opt = (name) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : undefined; };
const quick = flag('quick');
const only = opt('only')?.split(',') ?? ['vww', 'doodles1k', 'doodles10k'];
const budgetS = Number(opt('budget') ?? (quick ? 900 : 2700));
const started = Date.now();
const deadline = started + budgetS * 1000;
const log = (...a) => console.error(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s]`, ...a);

const size = quick ? { vww: 200, doodles1k: 300, doodles10k: 1000, naiveDefault: 30, naiveWasm: 200 } : { vww: 1000, doodles1k: 1000, doodles10k: 10000, naiveDefault: 150, naiveWasm: 1000 };
const reps = quick ? { alpha: 6, normalization: 3, colormap: 3, method: 3, scope: 2, scroll: 3, filter: 4, sort: 4, search: 4, detail: 4 } : { alpha: 20, normalization: 20, colormap: 20, method: 20, scope: 20, scroll: 20, filter: 20, sort: 20, search: 20, detail: 20 };
const fx = (dir, ...f) => f.map((n) => path.join(FIXTURES, dir, n));

fs.mkdirSync(DATA, { recursive: true });
const vwwClassNames = path.join(DATA, 'vww-class-names', 'class_names.txt');
fs.mkdirSync(path.dirname(vwwClassNames), { recursive: true });
fs.writeFileSync(vwwClassNames, 'notperson\nperson\n');
const doodleModel = fx('tfjs-doodlenet', 'model.json', 'group1-shard1of1.bin', 'class_names.txt');

log('data: generating / reusing bench/.data/ …');
const sets = [];
if (only.includes('vww')) sets.push({ key: 'vww', label: `VWW ${size.vww} JPEGs`, size: size.vww, zip: await vwwZip(size.vww), modelFiles: [...fx('keras-h5-mlperf-vww-mobilenetv1', 'vww_96.h5'), vwwClassNames], interactions: true });
// 10,000 photos (opt-in, --only vww10k: the data take ~15 min to make the first time): the target of ≤ 1 GB at 10,000 JPEGs
if (only.includes('vww10k')) sets.push({ key: 'vww10k', label: 'VWW 10000 JPEGs', size: 10_000, zip: await vwwZip(10_000), modelFiles: [...fx('keras-h5-mlperf-vww-mobilenetv1', 'vww_96.h5'), vwwClassNames], interactions: !flag('no-interactions') });
if (only.includes('doodles1k')) sets.push({ key: 'doodles1k', label: `doodles ${size.doodles1k}`, size: size.doodles1k, zip: await doodleZip(size.doodles1k), modelFiles: doodleModel, interactions: false });
if (only.includes('doodles10k')) sets.push({ key: 'doodles10k', label: `doodles ${size.doodles10k}`, size: size.doodles10k, zip: await doodleZip(size.doodles10k), modelFiles: doodleModel, interactions: true });
if (buildIfStale()) log('built the app (dist/ was missing or stale)');

const results = { when: new Date().toISOString(), quick, only, size, reps, capMs: Number(opt('cap') ?? 20_000), naive: {}, app: {} };
const naiveOn = only.includes('vww') && !flag('no-naive');
if (naiveOn) {
  const zip = await vwwZip(size.vww);
  await vwwTfjs();
  await buildNaive();
  const server = await serveData();
  for (const [backend, limit] of [['wasm', size.naiveWasm], ['default', size.naiveDefault]]) {
    log(`naive ${backend}: ${limit} JPEGs …`);
    results.naive[backend] = await measureNaive(launch, server, { backend, zip, limit, capMs: Math.max(30_000, Math.min(600_000, deadline - Date.now())) });
    log(`naive ${backend}:`, results.naive[backend].error ?? `${results.naive[backend].rate.toFixed(1)} img/s on ${results.naive[backend].backend}`);
  }
  await server.close();
}

const app = await startPreview();
for (const set of sets) {
  if (deadline - Date.now() < 60_000) { log(`budget spent: skipping ${set.label}`); results.app[set.key] = { set: set.key, label: set.label, skipped: 'budget' }; continue; }
  log(`app: ${set.label} …`);
  results.app[set.key] = await measureApp(set, { url: app.url, cap: results.capMs, reps, deadline, exportCap: 600_000 });
  const a = results.app[set.key];
  log(`app: ${set.label}: ${a.status ?? a.notes?.join('; ')}, ${a.rate?.toFixed(1)} img/s, ${a.wallS?.toFixed(0)} s`);
}
await app.close();
results.wallS = (Date.now() - started) / 1000;

const { table, summary } = report(results);
console.log(table);
console.log(summary);
results.summary = summary;
fs.writeFileSync(path.join(DATA, 'last-app-bench.json'), JSON.stringify(results, null, 1));
log(`wrote bench/.data/last-app-bench.json (${results.wallS.toFixed(0)} s in all)`);
process.exit(0); // a page still blocked after a capped probe may hold a pending evaluate
