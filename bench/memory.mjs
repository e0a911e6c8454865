// Where a run's memory goes: the peak PSS of each Chromium process type during the run (sampled every
// 300 ms), and Chromium's own accounting (memory-infra) of the app's renderer at one moment: V8 heaps of
// the page and the workers, partition_alloc (ArrayBuffer backing stores among them), malloc, Blink's GC.
// The tool behind the memory figures in the README (a developer tool, not a test).
//   npm run build && node bench/memory.mjs dist [/tmp/dist-old …]     (SET=vww|doodles, N, AT=seconds into the run, else its end)
import path from 'node:path';
import fs from 'node:fs';
import { preview } from 'vite';
import { launch } from './app/browser.mjs';
import { childPids } from './app/memory.mjs';
import { doodleZip, vwwZip } from './app/data.mjs';
import { ROOT, DATA, FIXTURES } from './app/paths.mjs';

/** MB of PSS by process type (browser, renderer, gpu-process, …) over this Node's Chromium trees. */
function byType() {
  const stats = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => { try { const f = fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' '); return { pid: Number(d), ppid: Number(f[1]) }; } catch { return undefined; } }).filter(Boolean);
  const tree = new Set(childPids());
  for (let grew = true; grew; ) { grew = false; for (const s of stats) if (!tree.has(s.pid) && tree.has(s.ppid)) { tree.add(s.pid); grew = true; } }
  const out = { total: 0 };
  for (const pid of tree) {
    let type = 'browser', kb = 0;
    try { type = /--type=([a-z-]+)/.exec(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? 'browser'; } catch { /* gone */ }
    try { kb = Number(/^Pss:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))[1]); } catch { /* gone */ }
    out[type] = Math.round((out[type] ?? 0) + kb / 1024);
    out.total = Math.round(out.total + kb / 1024);
  }
  return out;
}

const doodles = process.env.SET !== 'vww';
const N = Number(process.env.N ?? (doodles ? 10000 : 1000));
const zip = doodles ? await doodleZip(N) : await vwwZip(N);
const modelFiles = doodles ? ['model.json', 'group1-shard1of1.bin', 'class_names.txt'].map((f) => path.join(FIXTURES, 'tfjs-doodlenet', f)) : [path.join(FIXTURES, 'keras-h5-mlperf-vww-mobilenetv1', 'vww_96.h5'), path.join(DATA, 'vww-class-names', 'class_names.txt')];
fs.mkdirSync(path.dirname(modelFiles[1]), { recursive: true });
if (!doodles) fs.writeFileSync(modelFiles[1], 'notperson\nperson\n');

for (const dir of process.argv.slice(2).length ? process.argv.slice(2) : ['dist']) {
  const server = await preview({ root: ROOT, build: { outDir: dir }, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'silent' });
  const b = await launch();
  const { page, browser } = b;
  await page.goto(`http://127.0.0.1:${server.httpServer.address().port}/`);
  await page.getByTestId('model-input').setInputFiles(modelFiles);
  await page.waitForSelector('[data-testid="model-summary"]');
  const idle = byType();
  let peak = { total: 0 };
  const timer = setInterval(() => { const m = byType(); if (m.total > peak.total) peak = m; }, 300);
  const cdp = await browser.newBrowserCDPSession();
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const t0 = Date.now();
  await page.getByTestId('dataset-input').setInputFiles(zip);
  // as bench/app does: the gallery scrolled into view, so its tiles are painted during the run
  await page.waitForSelector('[data-testid="gallery-tile"]', { timeout: 120_000 });
  await page.evaluate(() => document.querySelector('[data-testid="gallery-tile"]')?.scrollIntoView({ block: 'center' }));
  const done = () => page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.dataset.status === 'done', null, { timeout: 600_000, polling: 200 });
  if (process.env.AT) await new Promise((r) => setTimeout(r, Number(process.env.AT) * 1000));
  else { await done(); if (process.env.AFTER) await new Promise((r) => setTimeout(r, Number(process.env.AFTER) * 1000)); }
  const atDump = byType();
  clearInterval(timer); // tracing's own buffers (browser and utility processes) are not the app's
  // tracing only for the dump: started earlier, its buffers grew the browser's processes by ~150 MB
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['disabled-by-default-memory-infra'], memoryDumpConfig: { triggers: [] } }, transferMode: 'ReportEvents' });
  await cdp.send('Tracing.requestMemoryDump', { deterministic: false, levelOfDetail: 'detailed' });
  const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.end');
  await complete;
  await done();
  const runS = (Date.now() - t0) / 1000;
  console.log(`${dir}: ${N} ${doodles ? 'doodles' : 'photos'} in ${runS.toFixed(1)} s; PSS MB after the model ${JSON.stringify(idle)}; peak during the run${process.env.AT ? ` (its first ${process.env.AT} s)` : ''} ${JSON.stringify(peak)}; at the dump ${JSON.stringify(atDump)}; ${(await page.getByTestId('backend-status').textContent().catch(() => '')).trim()}`);
  // the renderer with the most memory is the app's (others: a spare, the browser's own WebUI)
  const dumps = events.filter((e) => e.ph === 'v' && e.args?.dumps?.allocators);
  const mb = (a, k) => { const at = a[k]?.attrs; const s = at?.effective_size ?? at?.size; return s ? parseInt(s.value, 16) / 1048576 : 0; };
  const total = (a) => Object.keys(a).filter((k) => !k.includes('/')).reduce((s, k) => s + mb(a, k), 0);
  const app = dumps.map((d) => d.args.dumps.allocators).sort((x, y) => total(y) - total(x))[0];
  if (app) {
    const pa = 'partition_alloc/allocated_objects/partitions';
    const parts = ['v8/main/heap', 'v8/workers/heap', `${pa}/array_buffer`, `${pa}/buffer`, `${pa}/fast_malloc`, `${pa}/layout`, 'malloc', 'blink_gc', 'cc', 'canvas', 'shared_memory'];
    console.log(`  app renderer ${process.env.AT ? `${process.env.AT} s into the run` : 'at the end of the run'} (memory-infra, MB): ${total(app).toFixed(0)} in all; ${parts.map((k) => `${k.replace(pa, 'partition_alloc')} ${mb(app, k).toFixed(1)}`).join(', ')}`);
  }
  await b.close();
  await new Promise((r) => server.httpServer.close(r));
}
