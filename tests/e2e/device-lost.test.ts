// The GPU is lost mid-run (a driver reset; here WEBGL_lose_context / GPUDevice.destroy() through
// the engine worker's diagnostics handle): TF.js would compute zeros or wait forever, so the engine
// notices, the page starts a fresh engine and the run carries on. Nothing computed on the lost
// device is shown: every prediction equals a fault-free run's on the same backend.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAndWait, startApp, type App } from './harness';
import { classFolderZip, doodlenetZip } from '../helpers';

let app: App;
beforeAll(async () => {
  app = await startApp(['--enable-unsafe-webgpu']);
  await app.page.getByTestId('model-input').setInputFiles({ name: 'doodlenet.zip', mimeType: 'application/zip', buffer: Buffer.from(await doodlenetZip()) });
  await app.page.waitForSelector('[data-testid="model-summary"]');
});
afterAll(async () => {
  await app?.close();
});

const predictions = () => app.page.evaluate(() => {
  const s = window.gradcam.getState();
  return Object.fromEntries(Object.keys(s.results).filter((id) => s.resultRunIds[id] === s.run.id).map((id) => [id, s.results[id].predictedIndex]));
});

describe('a GPU lost mid-run', () => {
  for (const backend of ['webgl', 'webgpu']) {
    it(`${backend}: the engine notices, a fresh one carries the run on, and nothing computed on the lost device is kept`, async () => {
      const { page } = app;
      await page.getByTestId('backend-select').selectOption(backend);
      await page.waitForFunction((b) => {
        const t = document.querySelector('[data-testid="backend-status"]')?.textContent ?? '';
        return t.includes(`Running on ${b}`) || [...document.querySelectorAll('[data-testid="message"]')].some((m) => m.textContent?.includes(`Backend ${b} could not start`));
      }, backend);
      if (!(await page.getByTestId('backend-status').textContent())?.includes(`Running on ${backend}`)) {
        expect(backend).toBe('webgpu'); // WebGL always starts; WebGPU only where the browser offers it
        console.log('webgpu: not offered by this browser, not tested');
        return;
      }
      await page.evaluate(() => document.querySelectorAll('[data-testid="message"] button[aria-label="Dismiss"]').forEach((b) => (b as HTMLElement).click())); // the last test's
      // the backend has timed the model (losing the device while it does is another test's matter)
      await page.waitForFunction(() => /a batch/.test(document.querySelector('[data-testid="backend-status"]')?.textContent ?? ''));
      const n = backend === 'webgl' ? 300 : 45; // WebGPU emulated on the CPU here is slow
      const zip = Buffer.from(await classFolderZip(n / 3));
      await page.getByTestId('dataset-input').setInputFiles({ name: `doodles-${backend}.zip`, mimeType: 'application/zip', buffer: zip });
      // a few seconds into the run (the page itself may be too busy to ask: software GL serves its canvases too)
      await page.waitForFunction(() => window.gradcam.getState().run.status === 'running');
      await new Promise((r) => setTimeout(r, 4000));
      const engines = page.workers().filter((w) => /\/worker-[^/]*\.js/.test(w.url()));
      const lost = await engines.at(-1)!.evaluate(() => (self as unknown as { gradcamEngine: { loseDevice(): string | undefined } }).gradcamEngine.loseDevice());
      expect(lost).toBe(backend === 'webgl' ? 'webgl context' : 'webgpu device');
      await page.waitForSelector('[data-testid="run-status"][data-status="done"]', { timeout: 120_000 });
      const faulty = await predictions();
      expect(Object.keys(faulty)).toHaveLength(n);
      const messages = (await page.getByTestId('message').allTextContents()).join('\n');
      expect(messages).toMatch(backend === 'webgl' ? /the WebGL context was lost/ : /the GPU device was lost/);
      expect(messages).toMatch(new RegExp(`carries on from image \\d+ of ${n}`));
      expect(await page.getByTestId('run-label').textContent()).toMatch(new RegExp(`Done: ${n} / ${n}`));

      // the same images again with no fault, on the same backend: the same predictions, image for image
      await runAndWait(page, () => page.getByTestId('run-button').click());
      const clean = await predictions();
      expect(Object.keys(clean)).toHaveLength(n);
      const differing = Object.keys(clean).filter((id) => clean[id] !== faulty[id]);
      expect(differing).toEqual([]);
    });
  }
});
