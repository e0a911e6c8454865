// The export of photos: each overlay is decoded again from its JPEG and encoded as PNG in the
// page's preparation workers (ImageDecoder, WebAssembly PNG), and must hold exactly the pixels the
// detail view draws for that image on the page's own thread.
import fs from 'node:fs';
import JSZip from 'jszip';
import { decode } from 'fast-png';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAndWait, startApp, type App } from './harness';
import { opaqueRgba, photoJpeg, quickdrawRows, QUICKDRAW_CLASSES } from '../helpers';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

it("exports a photo's overlay with the detail view's pixels", async () => {
  const { page } = app;
  // the workers say so when the WebAssembly encoder cannot load and the browser's own is used
  const fellBack: string[] = [];
  page.on('console', (m) => /PNG encoder/.test(m.text()) && fellBack.push(m.text()));
  await runAndWait(page, () => page.getByTestId('demo-button').click());
  // 24 photo-like 320×240 JPEGs, explained by the demo's model
  const zip = new JSZip();
  for (const cls of QUICKDRAW_CLASSES) {
    const rows = quickdrawRows(cls, 0, 8);
    for (let i = 0; i < rows.length; i++) zip.file(`photos/${cls}/${i}.jpg`, await photoJpeg(rows[i], 8 * QUICKDRAW_CLASSES.indexOf(cls) + i));
  }
  const buffer = Buffer.from(await zip.generateAsync({ type: 'uint8array' }));
  await runAndWait(page, () => page.getByTestId('dataset-input').setInputFiles({ name: 'photos.zip', mimeType: 'application/zip', buffer }));
  expect(Number(await page.getByTestId('accuracy').getAttribute('data-total'))).toBe(24);

  await page.locator('[data-testid="gallery-tile"]').first().click();
  await page.waitForSelector('[data-testid="detail"]');
  await page.locator('details.multiples-box > summary').click();
  const shown = '[data-testid="detail-method"][aria-pressed="true"] canvas';
  await page.waitForFunction((sel) => (document.querySelector(sel) as HTMLCanvasElement | null)?.width === 320, shown);
  const file = await page.getByTestId('detail').getAttribute('aria-label');
  const pixels = await page.locator(shown).evaluate((c: HTMLCanvasElement) => [...c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data]);
  await page.keyboard.press('Escape');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-button').click()]);
  const exported = await JSZip.loadAsync(fs.readFileSync(await download.path()));
  const csv = (await exported.file('report.csv')!.async('string')).trim().split('\n').map((l) => l.split(','));
  expect(csv.length - 1).toBe(24);
  const overlay = csv.find((c) => c[0] === file)![1];
  const png = decode(await exported.file(overlay)!.async('uint8array'));
  expect([png.width, png.height]).toEqual([320, 240]);
  expect(opaqueRgba(png)).toEqual(pixels);
  expect(fellBack).toEqual([]);
  expect(app.errors).toEqual([]);
});
