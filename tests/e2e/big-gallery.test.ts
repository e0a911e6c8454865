// A gallery of 5,001 results: only the tiles near the screen are in the page, and the keyboard
// still reaches every one of them.
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

const tileCount = () => app.page.locator('[data-testid="gallery-tile"]').count();
const focused = () => app.page.evaluate(() => Number((document.activeElement as HTMLElement | null)?.dataset.tileIndex ?? -1));

describe('a gallery of 5,001 doodles', () => {
  it('keeps at most 500 tiles in the page wherever it is scrolled', async () => {
    const { page } = app;
    await page.getByTestId('model-input').setInputFiles({ name: 'doodlenet.zip', mimeType: 'application/zip', buffer: Buffer.from(await doodlenetZip()) });
    await page.waitForSelector('[data-testid="model-summary"]');
    const zip = Buffer.from(await classFolderZip(1667));
    await runAndWait(page, () => page.getByTestId('dataset-input').setInputFiles({ name: 'doodles.zip', mimeType: 'application/zip', buffer: zip }), 280_000);
    expect(await page.getByTestId('accuracy').getAttribute('data-total')).toBe('5001');
    const seen: number[] = [];
    for (const at of [0, 0.5, 1]) {
      await page.evaluate((f) => window.scrollTo(0, f * document.documentElement.scrollHeight), at);
      await page.waitForTimeout(100);
      const n = await tileCount();
      seen.push(n);
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThanOrEqual(500);
    }
    console.log(`tiles in the page at top / middle / bottom of 5,001: ${seen.join(' / ')}`);
  });

  it('arrow keys, Home and End reach every tile, scrolling to those not yet in the page', async () => {
    const { page } = app;
    await page.evaluate(() => window.scrollTo(0, 0));
    // the virtualiser renders the top rows a frame after the scroll: wait for the first tile itself
    await page.locator('[data-testid="gallery-tile"][data-tile-index="0"]').focus();
    expect(await focused()).toBe(0);
    for (let i = 1; i <= 12; i++) {
      await page.keyboard.press('ArrowRight');
      expect(await focused()).toBe(i);
    }
    await page.keyboard.press('Home');
    await page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.dataset.tileIndex === '0');
    // down, row by row, to the last row: every row of the 5,001 is reached
    const columns = await page.evaluate(() => getComputedStyle(document.querySelector('[data-testid="gallery-tile"]')!.parentElement!).gridTemplateColumns.split(' ').length);
    // (keys sent from the page itself: 500 round trips through the test runner would take minutes)
    const visited = await page.evaluate(async () => {
      const at = () => Number((document.activeElement as HTMLElement | null)?.dataset.tileIndex ?? -1);
      const frame = () => new Promise((r) => requestAnimationFrame(r));
      const out = [at()];
      for (let step = 0; step < 5001; step++) {
        document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
        for (let f = 0; f < 30 && at() === out.at(-1); f++) await frame();
        if (at() === out.at(-1)) break;
        out.push(at());
      }
      return out;
    });
    for (let i = 1; i < visited.length; i++) expect(visited[i] - visited[i - 1]).toBe(columns);
    const last = visited.at(-1)!;
    expect(last).toBeGreaterThan(5001 - 1 - columns);
    expect(await tileCount()).toBeLessThanOrEqual(500);
    await page.keyboard.press('End');
    await page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.dataset.tileIndex === '5000');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).getAttribute('data-testid'))).toBe('gallery-tile');
    // Enter opens the focused tile
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="detail"]');
  });
});
