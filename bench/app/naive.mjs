// Builds the naive baseline page (bench/app/naive.html) with Vite into bench/.data/naive-dist and
// serves it, the generated data and the TF.js WASM binaries from a tiny loopback HTTP server.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { build } from 'vite';
import { DATA, ROOT } from './paths.mjs';
import { within } from './app.mjs';

const DIST = path.join(DATA, 'naive-dist');
const WASM = path.join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.zip': 'application/zip' };

export async function buildNaive() {
  const src = ['naive.html', 'naive.js'].map((f) => fs.statSync(path.join(import.meta.dirname, f)).mtimeMs);
  const out = path.join(DIST, 'naive.html');
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs > Math.max(...src)) return;
  await build({ configFile: false, root: import.meta.dirname, base: './', logLevel: 'warn', build: { outDir: DIST, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8000, rollupOptions: { input: path.join(import.meta.dirname, 'naive.html') } } });
}

/** Serves /wasm/* from tfjs-backend-wasm/dist and everything else from bench/.data. */
export async function serveData() {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = url.startsWith('/wasm/') ? path.join(WASM, path.basename(url)) : path.join(DATA, path.normalize(url));
    if (!file.startsWith(DATA) && !file.startsWith(WASM)) return res.writeHead(403).end();
    fs.readFile(file, (err, bytes) => {
      if (err) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(bytes);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}

/** One naive run in a fresh Chromium: { backend, images, rate, steadyRate, peakMB, ... }. */
export async function measureNaive(launch, server, { backend, zip, limit, capMs }) {
  const b = await launch();
  const t0 = Date.now();
  try {
    await b.page.goto(`${server.url}naive-dist/naive.html`);
    const args = { backend, modelUrl: `${server.url}vww-tfjs/model.json`, zipUrl: server.url + path.basename(zip), limit };
    const r = await within(b.page.evaluate((a) => window.runNaive(a), args), capMs);
    if (r === 'timeout') throw new Error(`not done within ${capMs / 1000} s`);
    return { ...r, peakMB: b.mem.peak(t0), wallS: (Date.now() - t0) / 1000, errors: b.errors.slice(0, 3) };
  } catch (e) {
    return { backend, error: e.message.split('\n')[0], peakMB: b.mem.peak(t0), wallS: (Date.now() - t0) / 1000 };
  } finally {
    await b.close();
  }
}
