// dist/ from a plain static file server under a sub-path (as GitHub Pages or a bucket serve it),
// with Debian's Chromium: no proxy, no dev server. Records every path requested.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS } from './harness';

const DIST = path.resolve('dist');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.zip': 'application/zip', '.bin': 'application/octet-stream', '.txt': 'text/plain', '.svg': 'image/svg+xml', '.png': 'image/png' };

export interface StaticHost {
  url: string;
  browser: Browser;
  requested: string[];
  close(): Promise<void>;
}

/** `rewrite` may change a file's text as it is served (a test's "new build"). */
export async function staticHost(base: string, rewrite: (p: string, body: Buffer) => Buffer | string = (_, b) => b): Promise<StaticHost> {
  const requested: string[] = [];
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requested.push(p);
    const file = path.join(DIST, p.slice(base.length) || 'index.html');
    if (!p.startsWith(base) || !file.startsWith(DIST) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(rewrite(p, fs.readFileSync(file)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}${base}`,
    browser,
    requested,
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}
