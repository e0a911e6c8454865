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
    // a row at a time; from the row above the last, ↓ where the last row has no tile goes to the last tile
    for (let i = 1; i < visited.length; i++) expect(visited[i] - visited[i - 1]).toBe(visited[i] === 5000 ? Math.min(columns, 5000 - visited[i - 1]) : columns);
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

  it('finding images at 5,001: a matrix cell, combined filters, sort orders and ←/→ hold over the whole set', async () => {
    const { page } = app;
    await page.keyboard.press('Escape');
    const tiles = () => page.evaluate(() => [...document.querySelectorAll<HTMLElement>('[data-testid="gallery-tile"]')].map((t) => ({ index: Number(t.dataset.tileIndex), file: t.dataset.file!, verdict: t.dataset.verdict!, truth: t.querySelector('.truth')?.textContent ?? '', pred: t.querySelector('.pred')?.textContent ?? '' })));
    const shown = async () => Number(await page.getByTestId('gallery-count').getAttribute('data-count'));
    /** Every tile of the grid, gathered by scrolling from top to bottom (only ~500 are in the page at once). */
    const everyTile = async () => {
      const all = new Map<number, Awaited<ReturnType<typeof tiles>>[number]>();
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      for (let y = 0; y <= height; y += 600) {
        await page.evaluate((to) => window.scrollTo(0, to), y);
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        for (const t of await tiles()) all.set(t.index, t);
      }
      return [...all.values()].sort((a, b) => a.index - b.index);
    };
    if (!(await page.locator('details.confusion').evaluate((d) => (d as HTMLDetailsElement).open))) await page.locator('details.confusion > summary').click();
    const cells = await page.getByTestId('confusion-cell').evaluateAll((els) => els.map((e) => ({ t: (e as HTMLElement).dataset.true!, p: (e as HTMLElement).dataset.pred!, n: Number((e as HTMLElement).dataset.count) })));
    expect(cells.reduce((a, c) => a + c.n, 0)).toBe(5001);
    // the biggest mistake and the biggest diagonal cell
    for (const cell of [cells.filter((c) => c.t !== c.p).sort((a, b) => b.n - a.n)[0], cells.filter((c) => c.t === c.p).sort((a, b) => b.n - a.n)[0]]) {
      await page.locator(`[data-testid="confusion-cell"][data-true="${cell.t}"][data-pred="${cell.p}"]`).click();
      await page.waitForFunction((n) => Number(document.querySelector('[data-testid="gallery-count"]')?.getAttribute('data-count')) === n, cell.n);
      const got = await everyTile();
      expect(got.length).toBe(cell.n);
      expect(got.every((t) => t.truth === cell.t && t.pred.startsWith(`→ ${cell.p} `))).toBe(true);
    }
    await page.getByTestId('clear-filters').click();

    // filters combine: incorrect lollipops whose path holds "1"
    await page.getByTestId('filter-verdict').selectOption('incorrect');
    await page.getByTestId('filter-true').selectOption('lollipop');
    await page.getByTestId('search-input').fill('1');
    const expected = await page.evaluate(() => {
      const s = (window as unknown as { gradcam: { getState(): { results: Record<string, { predictedIndex: number }>; classNames: string[]; dataset: { samples: { id: string; path: string; label: string }[] } } } }).gradcam.getState();
      return s.dataset.samples.filter((x) => x.label === 'lollipop' && x.path.includes('1') && s.classNames[s.results[x.id].predictedIndex] !== 'lollipop').length;
    });
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="gallery-count"]')?.getAttribute('data-count')) === n, expected);
    const combined = await everyTile();
    expect(combined.length).toBe(expected);
    expect(combined.every((t) => t.verdict === 'incorrect' && t.truth === 'lollipop' && t.file.includes('1'))).toBe(true);
    await page.getByTestId('clear-filters').click();

    // most confident first, over all 5,001; then ←/→ in the detail view walk that order
    await page.getByTestId('sort-select').selectOption('confidence-desc');
    await page.waitForSelector('[data-testid="gallery-sorted"]');
    const sorted = await everyTile();
    expect(sorted.length).toBe(5001);
    const pct = (pred: string) => Number(/(\d+)%$/.exec(pred.trim())?.[1]);
    for (let i = 1; i < sorted.length; i++) expect(pct(sorted[i].pred)).toBeLessThanOrEqual(pct(sorted[i - 1].pred));
    await page.evaluate(() => window.scrollTo(0, 0));
    // the rows of the new order lie one below the other (a row once kept a header's height, measured
    // by its place, and the next one covered its tiles)
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const overlaps = await page.evaluate(() => {
      const boxes = [...document.querySelectorAll<HTMLElement>('.gallery-row')].map((e) => ({ index: Number(e.dataset.index), box: e.getBoundingClientRect() })).sort((a, b) => a.index - b.index);
      return boxes.slice(1).filter((b, i) => b.index === boxes[i].index + 1 && b.box.top < boxes[i].box.bottom - 1).map((b) => b.index);
    });
    expect(overlaps).toEqual([]);
    await page.locator('[data-testid="gallery-tile"][data-tile-index="0"]').click();
    await page.waitForSelector('[data-testid="detail"]');
    for (let i = 1; i <= 5; i++) {
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((f) => document.querySelector('[data-testid="detail"]')?.getAttribute('aria-label') === f, sorted[i].file);
    }
    await page.keyboard.press('End');
    await page.waitForFunction((f) => document.querySelector('[data-testid="detail"]')?.getAttribute('aria-label') === f, sorted[5000].file);
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction((f) => document.querySelector('[data-testid="detail"]')?.getAttribute('aria-label') === f, sorted[4999].file);
    await page.keyboard.press('Escape');
    expect(await shown()).toBe(5001);
  });
});
