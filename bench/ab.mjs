// Side by side: the built app of several commits, alternating, each run in a fresh Chromium: files
// chosen → run done, the rate, the CPU time (user + system) of all Chromium processes per image (this
// shared machine's noise moves it far less than wall time), per process type and per renderer
// thread, and the peak memory.
//   git worktree add /tmp/wt-old <commit> && (cd /tmp/wt-old && ln -s /path/to/checkout/node_modules && npx vite build --outDir /tmp/dist-old)
//   npm run build && node bench/ab.mjs /tmp/dist-old dist          (SET=doodles, N=10000, REPS=3)
import path from 'node:path';
import { preview } from 'vite';
import fs from 'node:fs';
import { launch } from './app/browser.mjs';
import { childPids } from './app/memory.mjs';
// CPU seconds of every Chromium process under this one (utime + stime, clock ticks of 10 ms)
function cpuSeconds() {
  const stats = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => { try { const f = fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' '); return { pid: Number(d), ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / 100 }; } catch { return undefined; } }).filter(Boolean);
  const roots = new Set(childPids());
  let total = 0, grew = true;
  const inTree = new Set(roots);
  while (grew) { grew = false; for (const st of stats) if (!inTree.has(st.pid) && inTree.has(st.ppid)) { inTree.add(st.pid); grew = true; } }
  const byType = {};
  for (const st of stats) if (inTree.has(st.pid)) {
    total += st.cpu;
    let type = 'browser';
    try { type = /--type=([a-z-]+)/.exec(fs.readFileSync(`/proc/${st.pid}/cmdline`, 'utf8'))?.[1] ?? 'browser'; } catch {}
    byType[type] = (byType[type] ?? 0) + st.cpu;
  }
  cpuSeconds.byType = byType;
  // threads of the renderers, by name
  const byThread = {};
  for (const st of stats) if (inTree.has(st.pid)) {
    let type = ''; try { type = /--type=([a-z-]+)/.exec(fs.readFileSync(`/proc/${st.pid}/cmdline`, 'utf8'))?.[1] ?? ''; } catch {}
    if (type !== 'renderer') continue;
    for (const t of fs.readdirSync(`/proc/${st.pid}/task`)) {
      try {
        const raw = fs.readFileSync(`/proc/${st.pid}/task/${t}/stat`, 'utf8');
        const name = raw.slice(raw.indexOf('(') + 1, raw.lastIndexOf(')')).replace(/\d+$/, '#') + ' ' + t;
        const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
        byThread[name] = (Number(f[11]) + Number(f[12])) / 100;
      } catch {}
    }
  }
  cpuSeconds.byThread = byThread;
  return total;
}
import { vwwZip, doodleZip } from './app/data.mjs';
import { ROOT, DATA, FIXTURES } from './app/paths.mjs';
const dirs = process.argv.slice(2);
const doodles = process.env.SET === 'doodles';
const N = Number(process.env.N ?? (doodles ? 10000 : 1000));
const zip = doodles ? await doodleZip(N) : await vwwZip(N);
const res = Object.fromEntries(dirs.map((d) => [d, []]));
for (let r = 0; r < Number(process.env.REPS ?? 2); r++) for (const d of dirs) {
  const server = await preview({ root: ROOT, build: { outDir: d }, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'silent' });
  const url = `http://127.0.0.1:${server.httpServer.address().port}/`;
  const b = await launch();
  const { page } = b;
  await page.goto(url);
  await page.getByTestId('model-input').setInputFiles(doodles ? [path.join(FIXTURES, 'keras-h5-doodlenet', 'doodleNet-model.h5'), path.join(FIXTURES, 'keras-h5-doodlenet', 'class_names.txt')] : [path.join(FIXTURES, 'keras-h5-mlperf-vww-mobilenetv1', 'vww_96.h5'), path.join(DATA, 'vww-class-names', 'class_names.txt')]);
  await page.waitForSelector('[data-testid="model-summary"]');
  const c0 = cpuSeconds(); const t0byType = { ...cpuSeconds.byType }; const t0byThread = { ...cpuSeconds.byThread };
  const t0 = Date.now();
  await page.getByTestId('dataset-input').setInputFiles(zip);
  await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.dataset.status === 'done', null, { timeout: 600000, polling: 100 });
  const s = (Date.now() - t0) / 1000;
  const cpu = cpuSeconds() - c0;
  console.log('  renderer threads ms/img:', Object.entries(cpuSeconds.byThread).map(([k, v]) => [k, (v - (t0byThread[k] ?? 0)) * 1000 / N]).filter(([, v]) => v > 0.05).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', '));
  console.log('  cpu ms/img by process:', Object.entries(cpuSeconds.byType).map(([k, v]) => `${k} ${((v - (t0byType[k] ?? 0)) * 1000 / N).toFixed(2)}`).join(', '));
  const label = await page.getByTestId('run-status').textContent();
  const peak = Math.round(b.mem.peak());
  res[d].push(`${(N / s).toFixed(1)} (${(cpu * 1000 / N).toFixed(1)} ms cpu/img)`);
  console.log(d, (N / s).toFixed(1), 'img/s', (cpu * 1000 / N).toFixed(2), 'ms CPU an image', label.slice(0, 60), JSON.stringify(peak));
  await b.close(); await new Promise((r) => server.httpServer.close(r));
}
console.log(JSON.stringify(res));
