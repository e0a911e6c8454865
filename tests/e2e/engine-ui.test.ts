// The engine's choices in the app: methods switch instantly, layer/target/score recompute,
// backends agree in the browser, Score-CAM runs on demand.
import JSZip from 'jszip';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAndWait, runId, startApp, type App } from './harness';
import { mapKey } from '../../src/methods/registry';
import { classFolderZip, doodlenetZip } from '../helpers';

let app: App;
beforeAll(async () => {
  app = await startApp(['--enable-unsafe-webgpu']);
  const { page } = app;
  await page.getByTestId('model-input').setInputFiles({ name: 'doodlenet.zip', mimeType: 'application/zip', buffer: Buffer.from(await doodlenetZip()) });
  await page.waitForSelector('[data-testid="model-summary"]');
  const zip = Buffer.from(await classFolderZip(4, 3000));
  await runAndWait(page, () => page.getByTestId('dataset-input').setInputFiles({ name: 'doodles.zip', mimeType: 'application/zip', buffer: zip }));
});
afterAll(async () => {
  await app?.close();
});

type Maps = Record<string, Record<string, number[]>>;
const maps = (): Promise<Maps> =>
  app.page.evaluate(() => {
    const { results } = (window as unknown as { gradcam: { getState(): { results: Record<string, { maps?: Record<string, Float32Array> }> } } }).gradcam.getState();
    return Object.fromEntries(Object.entries(results).map(([id, r]) => [id, Object.fromEntries(Object.entries(r.maps ?? {}).map(([m, v]) => [m, [...v]]))]));
  });
const status = () => app.page.getByTestId('backend-status').textContent();

describe('backends in the browser', () => {
  it('WebGL (and WebGPU where the browser offers it) give the maps the CPU backend gives', async () => {
    const { page } = app;
    const byBackend: Record<string, Maps> = {};
    for (const backend of ['cpu', 'wasm', 'webgl', 'webgpu']) {
      await page.getByTestId('backend-select').selectOption(backend);
      await page.waitForFunction((b) => {
        const t = document.querySelector('[data-testid="backend-status"]')?.textContent ?? '';
        return t.includes(`Running on ${b}`) || [...document.querySelectorAll('[data-testid="message"]')].some((m) => m.textContent?.includes(`Backend ${b} could not start`));
      }, backend);
      if (!(await status())?.includes(`Running on ${backend}`)) {
        console.log(`${backend}: not offered by this browser (${(await page.locator('[data-testid="message"]').last().textContent())?.slice(0, 120)})`);
        expect(backend).toBe('webgpu'); // WebGL, WASM and CPU must always start
        continue;
      }
      await runAndWait(page, () => page.getByTestId('run-button').click());
      byBackend[backend] = await maps();
    }
    const cpu = byBackend.cpu;
    for (const [backend, got] of Object.entries(byBackend)) {
      let worst = 0;
      for (const [id, perMethod] of Object.entries(cpu)) {
        for (const [m, ref] of Object.entries(perMethod)) {
          const scale = Math.max(1e-6, ...ref.map(Math.abs));
          ref.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - got[id][m][j]) / scale)));
        }
      }
      console.log(`${backend} vs cpu in Chromium: worst relative map difference ${worst.toExponential(2)} over ${Object.keys(cpu).length} images × 7 methods`);
      expect(worst).toBeLessThan(backend === 'cpu' ? 1e-12 : 1e-3);
    }
    await page.getByTestId('backend-select').selectOption('wasm');
    await page.waitForFunction(() => document.querySelector('[data-testid="backend-status"]')?.textContent?.includes('Running on wasm'));
    await runAndWait(page, () => page.getByTestId('run-button').click());
    // Back on WASM after WebGPU, the model is intact (TF.js once moved its weights back as zeros).
    const back = await maps();
    const gradCam = mapKey('gradcam', 'mean');
    expect(Object.keys(cpu).length).toBeGreaterThan(0);
    for (const [id, perMethod] of Object.entries(cpu)) perMethod[gradCam].forEach((v, j) => expect(back[id][gradCam][j]).toBeCloseTo(v, 4));
  });
});

describe('methods, layers, targets', () => {
  const painted = () => app.page.evaluate(() => (document.querySelector('[data-testid="gallery-tile"] canvas') as HTMLCanvasElement).toDataURL());

  it('switching method repaints without recomputing', async () => {
    const { page } = app;
    const id = await runId(page);
    await page.locator('[data-testid="gallery-tile"]').first().scrollIntoViewIfNeeded(); // tiles paint when on screen
    const seen = new Set([await painted()]);
    for (const method of ['gradcampp', 'hirescam', 'xgradcam', 'layercam', 'eigencam']) {
      await page.getByTestId('method-select').selectOption(method);
      await page.waitForFunction((m) => (document.querySelector('[data-testid="gallery-tile"] canvas') as HTMLCanvasElement).dataset.painted?.includes(`"method":"${m}"`), method);
      seen.add(await painted());
    }
    expect(seen.size).toBeGreaterThanOrEqual(5); // some methods may agree on one tile, not most
    expect(await runId(page)).toBe(id);
    await page.getByTestId('method-select').selectOption('gradcam');
  });

  it('picking another layer recomputes at that layer', async () => {
    const { page } = app;
    const options = await page.getByTestId('layer-select').locator('option').allTextContents();
    expect(options.some((o) => o.startsWith('conv2d_5 (Conv2D, 7×7×64) — default'))).toBe(true);
    await runAndWait(page, async () => {
      await page.getByTestId('layer-select').selectOption('conv2d_1');
      // a re-run replaces maps in place: the gallery never empties
      expect(await page.locator('[data-testid="gallery-tile"]').count()).toBe(12);
    });
    expect(await page.locator('[data-testid="tile-stale"]').count()).toBe(0);
    const grid = await page.evaluate(() => {
      const { results } = (window as unknown as { gradcam: { getState(): { results: Record<string, { gridHeight: number }> } } }).gradcam.getState();
      return Object.values(results)[0].gridHeight;
    });
    expect(grid).toBe(28);
    await runAndWait(page, () => page.getByTestId('layer-select').selectOption('conv2d_5'));
  });

  it('finer maps: fusing the stage before recomputes on its finer grid; aug- and eigen-smooth recompute; the export records them', async () => {
    const { page } = app;
    const grid = () => page.evaluate(() => Object.values(window.gradcam.getState().results).map((r) => (r as { gridHeight?: number }).gridHeight));
    const before = await maps();
    await runAndWait(page, () => page.getByTestId('fuse-select').selectOption('two'));
    expect(await page.getByTestId('fused-layers').textContent()).toBe('conv2d_5 + conv2d_3');
    expect(new Set(await grid())).toEqual(new Set([14])); // conv2d_3's 14×14, not conv2d_5's 7×7
    // any layers, ticked one by one: the preset reads "custom"
    await page.getByTestId('layer-picker').locator('summary').click();
    await runAndWait(page, () => page.locator('[data-testid="fuse-layer"][data-layer="conv2d_1"]').check());
    expect(await page.getByTestId('fused-layers').textContent()).toBe('conv2d_5 + conv2d_3 + conv2d_1');
    expect(await page.getByTestId('fuse-select').inputValue()).toBe('three'); // that is the three-stage preset
    expect(new Set(await grid())).toEqual(new Set([28]));
    await runAndWait(page, () => page.locator('[data-testid="fuse-layer"][data-layer="conv2d_2"]').check());
    expect(await page.getByTestId('fused-layers').textContent()).toBe('conv2d_5 + conv2d_3 + conv2d_2 + conv2d_1');
    expect(await page.getByTestId('fuse-select').inputValue()).toBe('custom');
    await runAndWait(page, () => page.locator('[data-testid="fuse-layer"][data-layer="conv2d_2"]').uncheck());
    await runAndWait(page, () => page.locator('[data-testid="fuse-layer"][data-layer="conv2d_1"]').uncheck());
    expect(await page.getByTestId('fuse-select').inputValue()).toBe('two');
    await runAndWait(page, () => page.getByTestId('fusion-select').selectOption('mean'));
    await runAndWait(page, () => page.getByTestId('smooth-select').selectOption('aug'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-button').click()]);
    const zip = await JSZip.loadAsync(fs.readFileSync(await download.path()));
    expect(JSON.parse(await zip.file('settings.json')!.async('string'))).toMatchObject({ layer: 'conv2d_5', layers: ['conv2d_5', 'conv2d_3'], fusion: 'mean', smooth: 'aug' });
    await runAndWait(page, () => page.getByTestId('fuse-select').selectOption('off'));
    await runAndWait(page, () => page.getByTestId('smooth-select').selectOption('eigen'));
    expect(new Set(await grid())).toEqual(new Set([7]));
    expect(await maps()).not.toEqual(before);
    await runAndWait(page, () => page.getByTestId('smooth-select').selectOption('off'));
    expect(await maps()).toEqual(before); // back to the plain maps, exactly
  });

  it('an incorrect sample shows the true class’s map beside the predicted one', async () => {
    const { page } = app;
    const wrong = page.locator('[data-testid="gallery-tile"][data-verdict="incorrect"]');
    expect(await wrong.count()).toBeGreaterThan(0);
    await wrong.first().click();
    await page.waitForSelector('[data-testid="detail-true-overlay"]');
    expect(await page.locator('[data-testid="detail-predicted-overlay"]').count()).toBe(1);
    await page.keyboard.press('Escape');
  });

  it('explaining the true class recomputes and every map targets the label', async () => {
    const { page } = app;
    await runAndWait(page, () => page.getByTestId('target-select').selectOption('true'));
    const targets = await page.evaluate(() => {
      const s = (window as unknown as { gradcam: { getState(): { results: Record<string, { targetIndex: number }>; classNames: string[]; dataset: { byId: Map<string, { label: string }> } } } }).gradcam.getState();
      return Object.entries(s.results).map(([id, r]) => [s.classNames[r.targetIndex], s.dataset.byId.get(id)?.label]);
    });
    for (const [target, label] of targets) expect(target).toBe(label);
    await runAndWait(page, () => page.getByTestId('score-select').selectOption('probability'));
    await runAndWait(page, () => page.getByTestId('target-select').selectOption('predicted'));
  });

  it('Score-CAM is computed on request, with its own progress, and then shown', async () => {
    const { page } = app;
    await page.getByTestId('method-select').selectOption('scorecam');
    await page.waitForSelector('text=map not computed');
    await page.getByTestId('scorecam-button').click();
    await page.waitForSelector('[data-testid="scorecam-button"]:has-text("Score-CAM computed")', { timeout: 120_000 });
    expect(await page.locator('text=map not computed').count()).toBe(0);
  });
});
