// Backend and batch size chosen by timing the loaded model, remembered per model and device:
// the second load starts only the remembered backend; "Measure again" times it anew.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAndWait, startApp, type App } from './harness';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

type Backend = { backend: string; batchSize?: number; probe: Record<string, number>; skipped?: Record<string, string>; measured?: Record<string, { batchSize: number; msPerImage: number }[]>; remembered?: boolean };
const backend = () => app.page.evaluate(() => (window as unknown as { gradcam: { getState(): { backend: Backend } } }).gradcam.getState().backend);
const status = async () => (await app.page.getByTestId('backend-status').textContent()) ?? '';

describe('backend choice by the model itself', () => {
  it('measures the model on first load, remembers it, and starts only that backend next time', async () => {
    const { page } = app;
    await runAndWait(page, () => page.getByTestId('demo-button').click());
    const first = await backend();
    expect(first.measured?.wasm?.length).toBeGreaterThanOrEqual(2);
    expect(first.measured?.wasm?.map((t) => t.batchSize)).toContain(first.batchSize);
    expect(first.remembered).toBeFalsy();
    // WebGL under --disable-gpu runs on SwiftShader: left out without being started, reason shown
    const webgl = first.skipped?.webgl;
    expect(webgl ?? (first.measured?.webgl ? 'measured' : '')).toMatch(/^(emulated on the CPU \(.+\)|\d+× slower on a test convolution|measured)$/);
    if (webgl?.startsWith('emulated')) {
      expect(first.probe.webgl).toBeUndefined();
      expect(await status()).toContain('webgl not tried: emulated on the CPU');
    }
    expect(await status()).toMatch(new RegExp(`^Running on ${first.backend} · ${first.batchSize} images a batch \\(model measured per image: wasm [\\d.]+ ms at \\d+`));
    // what is stored: backend names and timings, no file names or paths
    const stored = await page.evaluate(() => localStorage.getItem('gradcam-studio.backends.v1') ?? '');
    expect(stored).toContain(`"batchSize":${first.batchSize}`);
    expect(stored).not.toMatch(/model\.json|quickdraw|DoodleNet/);

    await page.reload();
    await runAndWait(page, () => page.getByTestId('demo-button').click());
    const second = await backend();
    expect(second.remembered).toBe(true);
    expect(second.backend).toBe(first.backend);
    expect(second.batchSize).toBe(first.batchSize);
    expect(second.probe).toEqual({}); // no test convolution: no other backend was started
    expect(await status()).toContain('as measured earlier for this model');
    expect(await page.locator('[data-testid="gallery-tile"]').count()).toBeGreaterThan(0);

    await page.getByTestId('backend-remeasure').click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="backend-status"]')?.textContent?.includes('as measured earlier'));
    await page.waitForFunction(() => (window as unknown as { gradcam: { getState(): { run: { status: string } } } }).gradcam.getState().run.status !== 'loading');
    const third = await backend();
    expect(third.remembered).toBeFalsy();
    expect(third.measured?.wasm?.length).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('run-status').getAttribute('data-status')).toBe('done'); // the finished run is kept
  });
});
