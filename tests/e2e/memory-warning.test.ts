// Before a run, its memory is estimated against what the device gives one page: on a device that
// says it has 256 MB (navigator.deviceMemory, set here before the page loads), the demo is warned
// about, with the parts and what to do, and still runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAndWait, startApp, type App } from './harness';

let app: App;
beforeAll(async () => {
  app = await startApp();
  await app.page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => 0.25 }));
  await app.page.reload();
});
afterAll(async () => {
  await app?.close();
});

describe('a run too big for the device', () => {
  it('is warned about before it starts, and runs', async () => {
    const { page } = app;
    expect(await page.evaluate(() => (navigator as Navigator & { deviceMemory?: number }).deviceMemory)).toBe(0.25);
    await runAndWait(page, () => page.getByTestId('demo-button').click());
    const warning = (await page.locator('[data-testid="message"][data-kind="warning"]').allTextContents()).find((m) => m.includes('may need about'));
    console.log(`memory warning: ${warning}`);
    expect(warning).toMatch(/^This run may need about \d+ MB \(the data set 1 MB, its results \d+ MB, the model \d+ MB, the browser and the engine \d+ MB\), more than this device is likely to give one page \(about 128 MB\)/);
    expect(warning).toMatch(/Split the data set into smaller zips/);
    expect(await page.getByTestId('run-label').textContent()).toMatch(/Done: 300 \/ 300/);
  });
});
