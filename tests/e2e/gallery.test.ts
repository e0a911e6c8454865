// The user's path in the built app: demo → gallery → sliders → detail → export; and the drop path.
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import api from '../../src/engine/workerApi';
import { buildDataset } from '../../src/sources/datasets/dataset';
import { expandDrop } from '../../src/sources/datasets/files';
import { runAndWait, startApp, type App } from './harness';
import { classFolderZip, doodlenetZip, modelFiles } from '../helpers';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

/** Correct count of the demo computed in Node by the same engine code (WASM backend). */
async function demoCorrectInNode(): Promise<number> {
  await api.init('wasm');
  await api.loadModel(modelFiles('tfjs-doodlenet').map((f) => ({ name: f.name, bytes: f.bytes })));
  const classNames = fs.readFileSync(path.join(import.meta.dirname, '../fixtures/tfjs-doodlenet/class_names.txt'), 'utf8').split('\n').map((s) => s.trim());
  const zip = new Uint8Array(fs.readFileSync(path.join(import.meta.dirname, '../../public/demo/quickdraw-test.zip')));
  const ds = buildDataset('demo', await expandDrop([{ path: 'quickdraw-test.zip', bytes: zip }]));
  const out = await api.explainImages(ds.samples.map((s) => ({ id: s.id, bytes: s.bytes })));
  return out.filter((o) => !('error' in o) && classNames[o.predictedIndex] === ds.byId.get(o.id)?.label).length;
}

const tileCounts = (page: App['page']) =>
  page.evaluate(() => ({
    correct: document.querySelectorAll('[data-testid="gallery-tile"][data-verdict="correct"]').length,
    incorrect: document.querySelectorAll('[data-testid="gallery-tile"][data-verdict="incorrect"]').length,
  }));

const firstTilePixels = (page: App['page']) =>
  page.evaluate(() => {
    const c = document.querySelector('[data-testid="gallery-tile"] canvas') as HTMLCanvasElement;
    return { painted: c.dataset.painted, url: c.toDataURL() };
  });

describe('the demo', () => {
  it('runs Grad-CAM on 300 doodles and splits them like the engine does in Node', async () => {
    const { page } = app;
    await runAndWait(page, () => page.getByTestId('demo-button').click());
    const counts = await tileCounts(page);
    expect(counts.correct + counts.incorrect).toBe(300);
    expect(counts.correct).toBe(await demoCorrectInNode());
    expect(await page.getByTestId('run-label').textContent()).toMatch(/Done: 300 \/ 300 images/);
    // per-class table: every label with 100 images, correct counts adding up to the gallery's
    const perClass = await page.locator('[data-testid="class-summary"] tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    expect(perClass.map((r) => r[0]).sort()).toEqual(['bowtie', 'lollipop', 'rainbow']);
    expect(perClass.every((r) => r[1] === '100')).toBe(true);
    expect(perClass.reduce((n, r) => n + Number(r[2]), 0)).toBe(counts.correct);
    expect(await page.getByTestId('backend-status').textContent()).toMatch(/Running on (wasm|webgl|webgpu)/);
  });

  it('repaints tiles when alpha, pooling or normalisation move', async () => {
    const { page } = app;
    await page.locator('[data-testid="gallery-tile"]').first().scrollIntoViewIfNeeded(); // tiles paint when on screen
    await page.waitForFunction(() => !!(document.querySelector('[data-testid="gallery-tile"] canvas') as HTMLCanvasElement)?.dataset.painted);
    let before = await firstTilePixels(page);
    const changes: [string, () => Promise<unknown>][] = [
      ['alpha', () => page.getByTestId('alpha-slider').fill('0.8')],
      ['pooling', () => page.getByTestId('pooling-select').selectOption('sum_abs')],
      ['normalization', () => page.getByTestId('normalization-select').selectOption('simple')],
    ];
    for (const [name, change] of changes) {
      await change();
      await page.waitForFunction((p) => (document.querySelector('[data-testid="gallery-tile"] canvas') as HTMLCanvasElement).dataset.painted !== p, before.painted);
      const after = await firstTilePixels(page);
      expect(after.url, `${name} changes the pixels`).not.toBe(before.url);
      before = after;
    }
  });

  it('tiles that leave the page give their canvases to those that come back, each then showing its own image', async () => {
    const { page } = app;
    await page.evaluate(() => document.querySelector('[data-testid="gallery-tile"]')!.scrollIntoView({ block: 'start' }));
    /** Each painted tile in the window: its file, and its canvas's pixels (and whether the canvas was marked). */
    const painted = () =>
      page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('[data-testid="gallery-tile"]')]
          .filter((t) => { const r = t.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; })
          .map((t) => ({ t, c: t.querySelector('canvas')! }))
          .filter(({ t, c }) => t.dataset.painted && c.dataset.painted && c.style.visibility !== 'hidden')
          .map(({ t, c }) => ({ file: t.dataset.file!, marked: (c as unknown as { mark?: boolean }).mark === true, url: c.toDataURL() })),
      );
    const allPainted = () =>
      page.waitForFunction(() => {
        const inWindow = [...document.querySelectorAll<HTMLElement>('[data-testid="gallery-tile"]')].filter((t) => { const r = t.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; });
        return inWindow.length > 0 && inWindow.every((t) => t.dataset.painted);
      });
    await allPainted();
    const before = await painted();
    expect(before.length).toBeGreaterThan(10);
    await page.evaluate(() => document.querySelectorAll('[data-testid="gallery-tile"] canvas').forEach((c) => ((c as unknown as { mark: boolean }).mark = true)));
    // a small confusion-matrix cell, then every image again
    if (!(await page.locator('details.confusion').evaluate((d) => (d as HTMLDetailsElement).open))) await page.locator('details.confusion > summary').click();
    const cell = await page.getByTestId('confusion-cell').evaluateAll((els) => els.map((e) => ({ t: (e as HTMLElement).dataset.true!, p: (e as HTMLElement).dataset.pred!, n: Number((e as HTMLElement).dataset.count) })).filter((c) => c.n > 0).sort((a, b) => a.n - b.n)[0]);
    await page.locator(`[data-testid="confusion-cell"][data-true="${cell.t}"][data-pred="${cell.p}"]`).click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="gallery-tile"]').length === n, cell.n);
    await page.getByTestId('clear-filters').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="gallery-tile"]').length === 300);
    await page.evaluate(() => document.querySelector('[data-testid="gallery-tile"]')!.scrollIntoView({ block: 'start' }));
    await allPainted();
    const after = await painted();
    // no new canvas: the tiles that came back took those the others gave back
    expect(await page.evaluate(() => [...document.querySelectorAll('[data-testid="gallery-tile"] canvas')].every((c) => (c as unknown as { mark?: boolean }).mark === true))).toBe(true);
    // and each shows its own image, with the pixels it showed before
    const was = new Map(before.map((x) => [x.file, x.url]));
    const both = after.filter((x) => was.has(x.file));
    expect(both.length).toBeGreaterThan(10);
    for (const x of both) expect(x.url, x.file).toBe(was.get(x.file));
  });

  it('shows a tile large with its labels', async () => {
    const { page } = app;
    await page.locator('[data-testid="gallery-tile"][data-verdict="incorrect"]').first().click();
    await page.waitForSelector('[data-testid="detail"]');
    expect(await page.getByTestId('detail-truth').textContent()).toMatch(/bowtie|lollipop|rainbow/);
    expect(await page.getByTestId('detail-prediction').textContent()).toMatch(/incorrect/);
    expect(await page.getByTestId('detail-confidence').textContent()).toMatch(/%/);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="detail"]', { state: 'detached' });
  });

  let streamed: JSZip;
  it('exports exactly the gallery: same files, same counts, same pixels', async () => {
    const { page } = app;
    // with the service worker in control, the zip goes to the browser's downloads as it is written
    await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 60_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-button').click()]);
    const zip = (streamed = await JSZip.loadAsync(fs.readFileSync(await download.path())));
    await page.waitForSelector('[data-testid="export-button"][data-export-via="stream"]');
    const names = Object.keys(zip.files);
    const counts = await tileCounts(page);
    expect(names.filter((n) => n.startsWith('correct/') && n.endsWith('.png')).length).toBe(counts.correct);
    expect(names.filter((n) => n.startsWith('incorrect/') && n.endsWith('.png')).length).toBe(counts.incorrect);
    const settings = JSON.parse(await zip.file('settings.json')!.async('string'));
    expect(settings).toMatchObject({ model: 'DoodleNet (demo)', layer: 'conv2d_5', pooling: 'sum_abs', normalization: 'simple', alpha: 0.8 });
    const csv = (await zip.file('report.csv')!.async('string')).trim().split('\n');
    expect(csv[0]).toBe('file,overlay,true_label,predicted_label,confidence,correct');
    const tiles = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="gallery-tile"]')].map((t) => `${(t as HTMLElement).dataset.file}|${(t as HTMLElement).dataset.verdict}`),
    );
    const rows = csv.slice(1).map((l) => l.split(',')).map((c) => `${c[0]}|${c[5] === 'true' ? 'correct' : 'incorrect'}`);
    expect(new Set(rows)).toEqual(new Set(tiles));
    // The first tile's canvas holds the same pixels as its PNG in the zip.
    const first = await page.evaluate(() => {
      const t = document.querySelector('[data-testid="gallery-tile"]') as HTMLElement;
      const c = t.querySelector('canvas') as HTMLCanvasElement;
      return { file: t.dataset.file!, pixels: [...c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data] };
    });
    const overlay = csv.slice(1).map((l) => l.split(',')).find((c) => c[0] === first.file)![1];
    const png = decode(await zip.file(overlay)!.async('uint8array'));
    expect([...png.data]).toEqual(first.pixels);
  });

  it('exports the same zip, byte for byte, where no service worker is in control (downloaded whole at the end)', async () => {
    const context = await app.browser.newContext({ acceptDownloads: true, serviceWorkers: 'block', viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(app.page.url()); // the same view, from the link
      await runAndWait(page, () => page.getByTestId('demo-button').click());
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-button').click()]);
      const zip = await JSZip.loadAsync(fs.readFileSync(await download.path()));
      await page.waitForSelector('[data-testid="export-button"][data-export-via="blob"]');
      const names = Object.keys(zip.files).sort();
      expect(names).toEqual(Object.keys(streamed.files).sort());
      for (const name of names) expect(await zip.file(name)?.async('base64'), name).toBe(await streamed.file(name)?.async('base64'));
    } finally {
      await context.close();
    }
  });
});

describe('the drop path', () => {
  it('explains a class-folder zip with a zipped TF.js model', async () => {
    const { page } = app;
    await page.getByTestId('model-input').setInputFiles({ name: 'doodlenet.zip', mimeType: 'application/zip', buffer: Buffer.from(await doodlenetZip()) });
    await page.waitForSelector('[data-testid="model-summary"]');
    const zip = Buffer.from(await classFolderZip(20, 1000));
    await runAndWait(page, () => page.getByTestId('dataset-input').setInputFiles({ name: 'doodles.zip', mimeType: 'application/zip', buffer: zip }));
    const counts = await tileCounts(page);
    expect(counts.correct + counts.incorrect).toBe(60);
    expect(counts.correct).toBeGreaterThan(40); // DoodleNet is 77–87 % right on these classes
    expect(await page.getByTestId('dataset-summary').textContent()).toMatch(/60 images \(class-folders\)/);
    const files = await page.evaluate(() => [...document.querySelectorAll('[data-testid="gallery-tile"]')].map((t) => (t as HTMLElement).dataset.file));
    expect(files).toContain('bowtie/1000.png');
  });
});
