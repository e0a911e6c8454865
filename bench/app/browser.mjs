// The built app under `vite preview` on loopback, and Debian's Chromium through playwright-core,
// as tests/e2e/harness.ts starts them; plus the build-if-stale step.
import fs from 'node:fs';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { preview } from 'vite';
import { chromium } from 'playwright-core';
import { ROOT } from './paths.mjs';
import { childPids, sampleMemory } from './memory.mjs';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

/** Runs `npm run build` when dist/index.html is missing or older than the sources. */
export function buildIfStale() {
  const out = path.join(ROOT, 'dist/index.html');
  const src = Math.max(newest(path.join(ROOT, 'src')), newest(path.join(ROOT, 'public')), ...['index.html', 'vite.config.ts', 'package.json'].map((f) => fs.statSync(path.join(ROOT, f)).mtimeMs));
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= src) return false;
  execSync('npm run build', { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return true;
}

export async function startPreview() {
  const server = await preview({ root: ROOT, build: { outDir: process.env.DIST ?? 'dist' }, preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'silent' });
  const address = server.httpServer.address();
  return { url: `http://127.0.0.1:${address.port}/`, close: () => new Promise((r) => server.httpServer.close(() => r())) };
}

/** A fresh Chromium (so each phase's memory starts clean) with a memory sampler on its process tree. */
export async function launch() {
  const before = new Set(childPids());
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  // Browser has no process() in Playwright (only BrowserServer): the new Chromium child of this process
  const pid = childPids().find((p) => !before.has(p));
  if (!pid) throw new Error('cannot find the launched Chromium process');
  const mem = sampleMemory(pid);
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && errors.push(m.text()));
  return {
    browser, page, mem, errors, version: browser.version(),
    async close() { mem.stop(); await browser.close(); },
  };
}
