// The built app from a plain static file server under a sub-path (as GitHub Pages or a bucket
// serve it): no proxy, no dev server. The demo runs and a dropped data set runs.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, runAndWait } from './harness';
import { classFolderZip } from '../helpers';

const DIST = path.resolve('dist');
const BASE = '/tools/grad-cam/';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.zip': 'application/zip', '.bin': 'application/octet-stream', '.txt': 'text/plain', '.svg': 'image/svg+xml', '.png': 'image/png' };

let server: http.Server;
let browser: Browser;
let url: string;
const requested: string[] = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requested.push(p);
    if (!p.startsWith(BASE)) return res.writeHead(404).end();
    const file = path.join(DIST, p.slice(BASE.length) || 'index.html');
    if (!file.startsWith(DIST) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}${BASE}`;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

describe('dist/ on a plain static host under a sub-path', () => {
  it('runs the demo and a dropped data set; every request stays under the base path', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await runAndWait(page, () => page.getByTestId('demo-button').click());
    expect(Number(await page.getByTestId('accuracy').getAttribute('data-total'))).toBe(300);
    const zip = Buffer.from(await classFolderZip(4));
    await runAndWait(page, () => page.getByTestId('dataset-input').setInputFiles({ name: 'doodles.zip', mimeType: 'application/zip', buffer: zip }));
    expect(Number(await page.getByTestId('accuracy').getAttribute('data-total'))).toBe(12);
    expect(requested.filter((p) => !p.startsWith(BASE))).toEqual([]);
    expect(requested.some((p) => p.endsWith('.wasm'))).toBe(true);
    expect(errors).toEqual([]);
  });
});
