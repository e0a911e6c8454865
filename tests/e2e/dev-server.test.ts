// The README's first command serves the app with the Vite dev server: the demo must work there
// too, on a cold dependency cache (a first `npm start`), with no reload mid-run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from 'vite';
import { chromium } from 'playwright-core';
import { expect, it } from 'vitest';
import { CHROMIUM_ARGS } from './harness';

it('the dev server runs the demo on a cold start', async () => {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vite-cache-'));
  const server = await createServer({ cacheDir, server: { port: 0, host: '127.0.0.1' }, logLevel: 'silent' });
  await server.listen();
  const address = server.httpServer!.address();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    let loads = 0;
    page.on('load', () => loads++);
    await page.goto(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`);
    await page.getByTestId('demo-button').click();
    await page.waitForSelector('[data-testid="run-status"][data-status="done"]', { timeout: 180_000 });
    expect(await page.getByTestId('run-label').textContent()).toMatch(/Done: 300 \/ 300/);
    expect(loads).toBe(1);
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});
