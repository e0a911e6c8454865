// The engine's worker dies mid-run (as it would out of memory): the page notices, starts a fresh
// worker with the same backend and model, and the run carries on from its last finished image.
// Nothing finished is recomputed or lost, and the results are those of a run with no fault.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAndWait, startApp, type App } from './harness';
import { classFolderZip, doodlenetZip } from '../helpers';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});


describe('a worker that dies mid-run', () => {
  it('is replaced, and the run carries on from its last finished image without losing or redoing any', async () => {
    const { page } = app;
    await page.getByTestId('model-input').setInputFiles({ name: 'doodlenet.zip', mimeType: 'application/zip', buffer: Buffer.from(await doodlenetZip()) });
    await page.waitForSelector('[data-testid="model-summary"]');
    const zip = Buffer.from(await classFolderZip(400)); // 1,200 doodles: a few seconds of work
    await page.getByTestId('dataset-input').setInputFiles({ name: 'doodles.zip', mimeType: 'application/zip', buffer: zip });
    await page.waitForFunction(() => {
      const r = window.gradcam.getState().run;
      return r.status === 'running' && r.done >= 100;
    }, undefined, { polling: 10 });
    // what was finished when the worker died, kept by identity: it must come through untouched
    const finished = await page.evaluate(() => {
      const s = window.gradcam.getState();
      window.__kept = new Map(Object.keys(s.results).filter((id) => s.resultRunIds[id] === s.run.id).map((id) => [id, s.results[id]]));
      return window.__kept.size;
    });
    const engine = page.workers().find((w) => w.url().includes('worker'));
    expect(engine, `the engine worker among ${page.workers().map((w) => w.url()).join(', ')}`).toBeDefined();
    await engine!.evaluate(() => self.close()); // the worker stops answering, as a crashed one does; the page is not told
    await page.waitForSelector('[data-testid="run-status"][data-status="done"]', { timeout: 120_000 });

    const after = await page.evaluate(() => {
      const s = window.gradcam.getState();
      const ids = Object.keys(s.results);
      return {
        run: s.run,
        results: ids.length,
        ofThisRun: ids.filter((id) => s.resultRunIds[id] === s.run.id).length,
        keptUntouched: [...window.__kept].every(([id, r]) => s.results[id] === r),
        predicted: Object.fromEntries(ids.map((id) => [id, s.results[id].predictedIndex])),
      };
    });
    expect(finished).toBeGreaterThanOrEqual(100);
    expect(after.run.done).toBe(1200);
    expect(after.run.total).toBe(1200);
    expect(after.ofThisRun).toBe(1200);
    expect(after.keptUntouched).toBe(true);
    const engineAfter = page.workers().find((w) => w.url().includes('worker'));
    expect(engineAfter).toBeDefined();
    expect(engineAfter).not.toBe(engine); // a new worker was started
    const messages = (await page.getByTestId('message').allTextContents()).join('\n');
    expect(messages).toMatch(/engine stopped answering/i);
    expect(messages).toMatch(new RegExp(`carries on from image \\d+ of 1200`));
    expect(await page.getByTestId('run-label').textContent()).toMatch(/Done: 1200 \/ 1200/);
    console.log(`worker closed after ${finished} of 1,200; the page said: ${messages.split('\n').find((m) => /engine was lost/.test(m))}`);

    // the same predictions as a run in which nothing went wrong
    await runAndWait(page, () => page.getByTestId('run-button').click(), 120_000);
    const again = await page.evaluate(() => {
      const s = window.gradcam.getState();
      return Object.fromEntries(Object.keys(s.results).map((id) => [id, s.results[id].predictedIndex]));
    });
    expect(again).toEqual(after.predicted);
  });
});
