// After a run, the gallery's photos are decoded ahead while the page is idle, so a scroll, a
// matrix cell or another order finds its tiles' images ready rather than waiting for decodes;
// where the decode for the model's input gives them for free, they come with the run's results.
// Images no larger than a tile (the demo's 28×28 doodles) are not: decoding one when its tile is
// shown costs next to nothing, and decoding them all ahead only took the cores from the sliders.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAndWait, startApp, type App } from './harness';
import { FIXTURES, photoJpeg, photoLike, quickdrawRows, QUICKDRAW_CLASSES } from '../helpers';

let app: App;
let dir: string;
beforeAll(async () => {
  app = await startApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thumbs-ahead-'));
  // count the thumbnails the page asks its preparation workers for (comlink calls by name, several images a call)
  await app.page.addInitScript(() => {
    const w = window as unknown as { thumbnailsAsked: number };
    w.thumbnailsAsked = 0;
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: unknown[]) {
      const m = message as { path?: string[]; argumentList?: { value?: unknown }[] } | null;
      const name = m?.path?.join('.');
      if (name === 'thumbnails') w.thumbnailsAsked += (m?.argumentList?.[0]?.value as unknown[]).length;
      return (post as (...a: unknown[]) => void).call(this, message, ...rest);
    };
  });
  await app.page.reload();
});
afterAll(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const asked = () => app.page.evaluate(() => (window as unknown as { thumbnailsAsked: number }).thumbnailsAsked);
const painted = () => app.page.locator('[data-testid="gallery-tile"][data-painted]').count();

/** Scrolls to the end of the gallery and waits for the tiles on screen to be painted. */
async function toTheEnd() {
  const { page } = app;
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.waitForFunction(() => {
    const shown = [...document.querySelectorAll<HTMLElement>('[data-testid="gallery-tile"]')].filter((t) => {
      const r = t.getBoundingClientRect();
      return r.bottom > 0 && r.top < innerHeight;
    });
    return shown.length > 0 && shown.every((t) => t.dataset.painted);
  });
  expect(await page.locator('[data-testid="gallery-tile"]').last().getAttribute('data-painted')).toBeTruthy();
}

it('decodes the demo’s doodles only as their tiles come near the screen', async () => {
  const { page } = app;
  await runAndWait(page, () => page.getByTestId('demo-button').click());
  expect(Number(await page.getByTestId('accuracy').getAttribute('data-total'))).toBe(300);
  await expect.poll(painted).toBeGreaterThan(0);
  // the page idle for a while after the run: decoding ahead would have asked for all 300 by now
  await page.waitForTimeout(3000);
  const first = await asked();
  console.log(`demo: ${first} of 300 doodles decoded after the run, ${await painted()} tiles painted`);
  expect(first).toBeGreaterThanOrEqual(await painted());
  expect(first).toBeLessThan(150);
  // the last tiles are decoded when scrolled to
  await toTheEnd();
  expect(await asked()).toBeGreaterThan(first);
  expect(app.errors).toEqual([]);
});

it('decodes every photo of a data set ahead after its run, and a scroll to the end asks for none', async () => {
  const { page } = app;
  // 300 photo-like 320×240 JPEGs, larger than a tile
  const zip = new JSZip();
  for (const cls of QUICKDRAW_CLASSES) {
    const rows = quickdrawRows(cls, 0, 100);
    for (let i = 0; i < rows.length; i++) zip.file(`photos/${cls}/${i}.jpg`, await photoJpeg(rows[i], 100 * QUICKDRAW_CLASSES.indexOf(cls) + i));
  }
  const file = path.join(dir, 'photos.zip');
  fs.writeFileSync(file, await zip.generateAsync({ type: 'uint8array' }));
  await page.evaluate(() => window.scrollTo(0, 0));
  const before = await asked();
  await runAndWait(page, () => page.getByTestId('dataset-input').setInputFiles(file));
  expect(await page.getByTestId('dataset-summary').textContent()).toMatch(/photos\.zip.*300 images/);
  const total = Number(await page.getByTestId('accuracy').getAttribute('data-total'));
  expect(total).toBe(300);
  // only the tiles near the screen are painted, yet every photo is decoded, each once
  await expect.poll(async () => (await asked()) - before, { timeout: 30_000 }).toBe(total);
  expect(await painted()).toBeGreaterThan(0);
  expect(await painted()).toBeLessThan(total / 2);
  // the last tiles, never near the screen before, are painted from the photos decoded ahead
  await toTheEnd();
  expect((await asked()) - before).toBe(total);
  expect(app.errors).toEqual([]);
});

it("brings each photo's thumbnail with its result where the model's input decodes it at the tile's scale: none decoded again", async () => {
  const { page } = app;
  // MLPerf VWW (96×96): a 320×240 JPEG decoded at 1/2 for its input, as for a ~120-pixel tile
  await page.getByTestId('model-input').setInputFiles(path.join(FIXTURES, 'keras-h5-mlperf-vww-mobilenetv1', 'vww_96.h5'));
  await page.waitForFunction(() => document.querySelector('[data-testid="model-summary"]')?.textContent?.includes('vww_96.h5'));
  const zip = new JSZip();
  const means: Record<string, number[]> = {};
  for (const cls of QUICKDRAW_CLASSES) {
    const rows = quickdrawRows(cls, 400, 8);
    for (let i = 0; i < rows.length; i++) {
      const seed = 300 + 8 * QUICKDRAW_CLASSES.indexOf(cls) + i;
      zip.file(`photos/${cls}/${i}.jpg`, await photoJpeg(rows[i], seed));
      const { data } = photoLike(rows[i], seed);
      const sums = [0, 0, 0];
      for (let k = 0; k < data.length; k++) if (k % 4 < 3) sums[k % 4] += data[k];
      means[`${cls}/${i}.jpg`] = sums.map((sum) => sum / (data.length / 4));
    }
  }
  const file = path.join(dir, 'vww-photos.zip');
  fs.writeFileSync(file, await zip.generateAsync({ type: 'uint8array' }));
  await page.evaluate(() => window.scrollTo(0, 0));
  const before = await asked();
  await runAndWait(page, () => page.getByTestId('dataset-input').setInputFiles(file));
  expect(Number(await page.getByTestId('accuracy').getAttribute('data-total'))).toBe(24);
  // each tile shows its own photo (alpha 0: the photo alone; the data set before had photos of the
  // same names, and a tile once showed that one's), and none was decoded for it
  await page.getByTestId('alpha-slider').fill('0');
  const tiles = await page.evaluate(async () => {
    const list = [...document.querySelectorAll<HTMLElement>('[data-testid="gallery-tile"]')];
    list[0]?.scrollIntoView({ block: 'start' });
    const painted = (t: HTMLElement) => JSON.parse(t.dataset.painted ?? 'null')?.[0]?.alpha === 0;
    for (let i = 0; i < 200 && !list.every(painted); i++) await new Promise((r) => setTimeout(r, 50));
    return list.map((t) => {
      const c = t.querySelector('canvas')!;
      const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      return { file: t.dataset.file ?? '', painted: painted(t), mean: [0, 1, 2].map((ch) => data.reduce((sum, v, k) => (k % 4 === ch ? sum + v : sum), 0) / (data.length / 4)) };
    });
  });
  expect(tiles).toHaveLength(24);
  for (const t of tiles) {
    expect(t.painted).toBe(true);
    const want = means[Object.keys(means).find((k) => t.file.endsWith(k))!];
    for (let c = 0; c < 3; c++) expect(Math.abs(t.mean[c] - want[c])).toBeLessThan(4);
  }
  await page.waitForTimeout(1000); // decoding ahead, had it anything to do, would have asked by now
  expect((await asked()) - before).toBe(0);
  expect(app.errors).toEqual([]);
});
