// One drop for everything, as a user does it: real drag-and-drop events carrying real files onto
// the window (not a drop area) and onto the data-set area; the model and the data set are told
// apart by content, both load, and one run starts.
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAndWait, startApp, type App } from './harness';
import { doodlePng, FIXTURES, photoJpeg, photoLike, quickdrawRows, QUICKDRAW_CLASSES } from '../helpers';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

type Payload = { name: string; url?: string; base64?: string };

/** Drags files over `selector` and drops them there; says whether the window's overlay showed while dragging. */
function drop(selector: string, files: Payload[]) {
  return app.page.evaluate(
    async ({ selector, files }) => {
      const dt = new DataTransfer();
      for (const f of files) {
        const bytes = f.url ? new Uint8Array(await (await fetch(f.url)).arrayBuffer()) : Uint8Array.from(atob(f.base64!), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name));
      }
      const target = document.querySelector(selector)!;
      const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      target.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: dt }));
      target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
      await frame();
      const overlayWhileDragging = !!document.querySelector('[data-testid="window-drop"]');
      target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
      await frame();
      return { overlayWhileDragging, overlayAfter: !!document.querySelector('[data-testid="window-drop"]') };
    },
    { selector, files },
  );
}

const tileCount = () => app.page.locator('[data-testid="gallery-tile"]').count();

describe('one drop for the model and the data set', () => {
  it('the demo model files and its data-set zip dropped on the window load both and run once', async () => {
    const { page } = app;
    const files = ['model.json', 'group1-shard1of1.bin', 'class_names.txt'].map((f) => ({ name: f, url: `demo/model/${f}` }));
    let overlay: { overlayWhileDragging: boolean; overlayAfter: boolean } | undefined;
    await runAndWait(page, async () => {
      overlay = await drop('header.top', [...files, { name: 'quickdraw-test.zip', url: 'demo/quickdraw-test.zip' }]);
    });
    expect(overlay).toEqual({ overlayWhileDragging: true, overlayAfter: false });
    expect(await page.getByTestId('run-status').getAttribute('data-status')).toBe('done');
    expect(await page.getByTestId('run-status').getAttribute('data-run-id')).toBe('1');
    expect(await page.getByTestId('model-summary').textContent()).toMatch(/model\.json — TF\.js layers model/);
    expect(await page.getByTestId('dataset-summary').textContent()).toMatch(/quickdraw-test\.zip.*300 images/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="gallery-tile"]').length > 0);
    expect(Number(await page.getByTestId('accuracy').getAttribute('data-total'))).toBe(300);
    expect(app.errors).toEqual([]);
  });

  it('one zip holding a Keras model and class folders, dropped on the data-set area, loads both', async () => {
    const { page } = app;
    const zip = new JSZip();
    for (const f of ['doodleNet-model.h5', 'class_names.txt']) zip.file(`bundle/model/${f}`, fs.readFileSync(path.join(FIXTURES, 'keras-h5-doodlenet', f)));
    for (const cls of QUICKDRAW_CLASSES) quickdrawRows(cls, 200, 4).forEach((row, i) => zip.file(`bundle/images/${cls}/${i}.png`, doodlePng(row)));
    const base64 = Buffer.from(await zip.generateAsync({ type: 'uint8array' })).toString('base64');
    await runAndWait(page, () => drop('[data-testid="dataset-input"]', [{ name: 'bundle.zip', base64 }]));
    expect(await page.getByTestId('run-status').getAttribute('data-status')).toBe('done');
    expect(await page.getByTestId('model-summary').textContent()).toMatch(/Keras HDF5/);
    expect(await page.getByTestId('dataset-summary').textContent()).toMatch(/12 images/);
    expect(Number(await page.getByTestId('accuracy').getAttribute('data-total'))).toBe(12);
    expect(await tileCount()).toBe(12);
    expect(app.errors).toEqual([]);
  });

  it('photos in a zip left on disk: each tile shows its own photo, read from the file by the worker that decodes it', async () => {
    const { page } = app;
    // 320×240 JPEGs of ~20 kB: over the size a worker reads itself (state/thumbnails.ts)
    const zip = new JSZip();
    const means: Record<string, number[]> = {};
    for (const cls of QUICKDRAW_CLASSES) {
      const rows = quickdrawRows(cls, 300, 3);
      for (let i = 0; i < rows.length; i++) {
        const seed = 100 * QUICKDRAW_CLASSES.indexOf(cls) + i;
        const name = `photos/${cls}/${i}.jpg`;
        const jpg = await photoJpeg(rows[i], seed);
        expect(jpg.length).toBeGreaterThan(8 * 1024);
        zip.file(name, jpg);
        const { data } = photoLike(rows[i], seed);
        const sums = [0, 0, 0];
        for (let k = 0; k < data.length; k++) if (k % 4 < 3) sums[k % 4] += data[k];
        means[`${cls}/${i}.jpg`] = sums.map((sum) => sum / (data.length / 4));
      }
    }
    const base64 = Buffer.from(await zip.generateAsync({ type: 'uint8array' })).toString('base64');
    await runAndWait(page, () => drop('[data-testid="dataset-input"]', [{ name: 'photos.zip', base64 }]));
    expect(await page.getByTestId('dataset-summary').textContent()).toMatch(/photos\.zip.*9 images/);
    // the photos alone (alpha 0), each tile's mean colour that of its own photo
    await page.getByTestId('alpha-slider').fill('0');
    const tiles = await page.evaluate(async () => {
      const list = [...document.querySelectorAll<HTMLElement>('[data-testid="gallery-tile"]')];
      list[0]?.scrollIntoView({ block: 'start' });
      const painted = (t: HTMLElement) => JSON.parse(t.querySelector('canvas')?.dataset.painted ?? 'null')?.[0]?.alpha === 0;
      for (let i = 0; i < 200 && !list.every(painted); i++) await new Promise((r) => setTimeout(r, 50));
      return list.map((t) => {
        const c = t.querySelector('canvas')!;
        const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
        const mean = [0, 1, 2].map((ch) => data.reduce((sum, v, k) => (k % 4 === ch ? sum + v : sum), 0) / (data.length / 4));
        return { file: t.dataset.file ?? '', painted: painted(t), width: c.width, height: c.height, shown: c.clientWidth, mean };
      });
    });
    expect(tiles).toHaveLength(9);
    console.log(`photo thumbnails: ${tiles[0].width}×${tiles[0].height} for a canvas ${tiles[0].shown} px wide`);
    for (const t of tiles) {
      expect(t.painted).toBe(true);
      // the thumbnail of a 320×240 photo at the tile's size on screen: no fewer pixels than shown, at most 192
      expect(t.width).toBeGreaterThanOrEqual(t.shown);
      expect(t.width).toBeLessThanOrEqual(Math.min(192, t.shown * 1.25)); // the tile's width, not more (1× here)
      expect(t.width % 8).toBe(0);
      expect(t.height).toBe(Math.round((t.width * 240) / 320));
      const want = means[Object.keys(means).find((k) => t.file.endsWith(k))!];
      for (let c = 0; c < 3; c++) expect(Math.abs(t.mean[c] - want[c])).toBeLessThan(4);
    }
    expect(app.errors).toEqual([]);
  });
});
