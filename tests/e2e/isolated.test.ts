// A host may serve the app cross-origin isolated (COOP + COEP headers), which gives the page shared
// memory and TF.js's WASM backend the choice of its threaded build: the engine must still start
// and the demo run (src/engine/worker.ts keeps the single-threaded build).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAndWait, startApp, type App } from './harness';

let app: App;
beforeAll(async () => {
  app = await startApp([], { headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } });
});
afterAll(async () => {
  await app?.close();
});

describe('served cross-origin isolated', () => {
  it('the engine starts on WASM and the demo runs to the end, without errors', async () => {
    const { page } = app;
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await runAndWait(page, () => page.getByTestId('demo-button').click(), 120_000);
    expect(await page.getByTestId('run-status').getAttribute('data-status')).toBe('done');
    expect(await page.getByTestId('backend-status').textContent()).toMatch(/Running on wasm/);
    expect(await page.locator('[data-testid="gallery-tile"][data-painted]').count()).toBeGreaterThan(0);
    expect(app.errors).toEqual([]);
  });
});
