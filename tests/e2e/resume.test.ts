// A reload mid-run loses nothing: the results are kept in the browser (IndexedDB) as they arrive; on
// return the page says what is kept, and loading the same files carries on from there without
// recomputing what was done. "Forget them" drops what was kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onCpuBackend, startApp, type App } from './harness';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});


/** Each of this run's results, as its predicted class and the sum of its Grad-CAM map's values (to the last bit). */
const fingerprints = (page: App['page']) =>
  page.evaluate(() => {
    const s = window.gradcam.getState();
    return Object.fromEntries(
      Object.keys(s.results)
        .filter((id) => s.resultRunIds[id] === s.run.id && s.results[id].maps)
        .map((id) => [id, `${s.results[id].predictedIndex}:${[...s.results[id].maps!['gradcam:mean']].reduce((a, b) => a + b, 0)}`]),
    );
  });

describe('a reload mid-run', () => {
  it('keeps the finished results, and the same files carry on from them', async () => {
    const { page } = app;
    await onCpuBackend(page);
    await page.getByTestId('demo-button').click();
    await page.waitForFunction(() => window.gradcam.getState().run.done >= 40, undefined, { timeout: 120_000 });
    const before = await fingerprints(page);
    await page.waitForTimeout(500); // the last writes land
    expect(await page.evaluate(() => window.gradcam.getState().run.status)).toBe('running');

    await page.reload();
    const kept = page.getByTestId('kept-results');
    await kept.waitFor();
    expect(Number(await kept.getAttribute('data-done'))).toBeGreaterThanOrEqual(Object.keys(before).length);
    expect(await kept.getAttribute('data-total')).toBe('300');
    expect(await kept.textContent()).toMatch(/the run was interrupted/);

    if ((await page.getByTestId('backend-select').inputValue()) !== 'wasm') await page.getByTestId('backend-select').selectOption('wasm');
    await page.getByTestId('demo-button').click();
    await page.waitForSelector('[data-testid="run-status"][data-status="done"]', { timeout: 120_000 });
    const said = (await page.getByTestId('message').allTextContents()).join('\n');
    const restored = Number(/Carried on from an earlier visit: (\d+) of 300 images/.exec(said)?.[1]);
    console.log(`reloaded after ${Object.keys(before).length} of 300; ${restored} came back from IndexedDB, the rest computed`);
    expect(restored).toBeGreaterThanOrEqual(Object.keys(before).length);
    expect(restored).toBeLessThan(300);
    expect(await kept.count()).toBe(0);
    const after = await fingerprints(page);
    expect(Object.keys(after)).toHaveLength(300);
    // the kept ones are the very results computed before the reload (on CPU; the rest ran on WASM)
    for (const [id, f] of Object.entries(before)) expect(after[id], id).toBe(f);
    expect(await page.getByTestId('run-label').textContent()).toMatch(/Done: 300 \/ 300/);

    // a finished run is kept too; Forget drops it
    await page.reload();
    await kept.waitFor();
    expect(await kept.getAttribute('data-done')).toBe('300');
    await page.getByTestId('forget-kept-results').click();
    await kept.waitFor({ state: 'detached' }); // gone once IndexedDB has dropped them
    await page.reload();
    await page.waitForSelector('[data-testid="demo-button"]');
    await page.waitForTimeout(300);
    expect(await kept.count()).toBe(0);
    expect(app.errors).toEqual([]);
  }, 300_000);
});
