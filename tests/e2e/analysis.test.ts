// Finding images: a confusion-matrix cell filters the gallery to exactly its samples; filters
// combine with the file-name search; Clear filters brings every tile back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAndWait, startApp, type App } from './harness';

let app: App;
beforeAll(async () => {
  app = await startApp();
  await runAndWait(app.page, () => app.page.getByTestId('demo-button').click());
  // open unless the matrix is very large
  if (!(await app.page.locator('details.confusion').evaluate((d) => (d as HTMLDetailsElement).open))) await app.page.locator('details.confusion > summary').click();
});
afterAll(async () => {
  await app?.close();
});

const tiles = () =>
  app.page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid="gallery-tile"]')].map((t) => ({
      file: t.dataset.file!,
      verdict: t.dataset.verdict!,
      truth: t.querySelector('.truth')?.textContent ?? '',
      pred: t.querySelector('.pred')?.textContent ?? '',
    })),
  );
const shown = async () => Number(await app.page.getByTestId('gallery-count').getAttribute('data-count'));

describe('confusion matrix and filters (demo, 300 doodles)', () => {
  it('a cell leaves exactly its samples in the gallery; a row header, its class', async () => {
    const { page } = app;
    const cells = await page.getByTestId('confusion-cell').evaluateAll((els) => els.map((e) => ({ t: (e as HTMLElement).dataset.true!, p: (e as HTMLElement).dataset.pred!, n: Number((e as HTMLElement).dataset.count) })));
    expect(cells.reduce((a, c) => a + c.n, 0)).toBe(300);
    const diagonal = cells.filter((c) => c.t === c.p).reduce((a, c) => a + c.n, 0);
    expect(diagonal).toBe(Number(await page.getByTestId('accuracy').getAttribute('data-correct')));
    const worst = cells.filter((c) => c.t !== c.p).sort((a, b) => b.n - a.n)[0];
    expect(worst.n).toBeGreaterThan(0);
    await page.locator(`[data-testid="confusion-cell"][data-true="${worst.t}"][data-pred="${worst.p}"]`).click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="gallery-tile"]').length === n, worst.n);
    expect(await shown()).toBe(worst.n);
    for (const t of await tiles()) {
      expect(t.truth).toBe(worst.t);
      expect(t.pred.startsWith(`→ ${worst.p} `)).toBe(true);
      expect(t.verdict).toBe('incorrect');
    }
    expect(await page.locator(`[data-testid="confusion-cell"][data-true="${worst.t}"][data-pred="${worst.p}"]`).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('filter-true').inputValue()).toBe(worst.t);
    expect(await page.getByTestId('filter-pred').inputValue()).toBe(worst.p);

    // the row header: every image of that class, correct or not
    await page.locator('.confusion tbody th button', { hasText: worst.t }).click();
    const row = cells.filter((c) => c.t === worst.t).reduce((a, c) => a + c.n, 0);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="gallery-tile"]').length === n, row);
    expect((await tiles()).every((t) => t.truth === worst.t)).toBe(true);
  });

  it('filters combine with the file-name search, and Clear filters shows everything again', async () => {
    const { page } = app;
    await page.getByTestId('clear-filters').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="gallery-tile"]').length === 300);
    await page.getByTestId('filter-verdict').selectOption('correct');
    await page.getByTestId('search-input').fill('RAINBOW');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="gallery-count"]')?.getAttribute('data-count')) < 300);
    const got = await tiles();
    expect(got.length).toBe(await shown());
    expect(got.length).toBeGreaterThan(0);
    expect(got.every((t) => t.verdict === 'correct' && /rainbow/i.test(t.file))).toBe(true);
    const rainbowsRight = await page.locator('[data-testid="confusion-cell"][data-true="rainbow"][data-pred="rainbow"]').getAttribute('data-count');
    expect(got.length).toBe(Number(rainbowsRight));
    await page.getByTestId('clear-filters').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="gallery-tile"]').length === 300);
    expect(await page.getByTestId('gallery-count').textContent()).toBe('300 images');
  });

  it('a tile refilled by a new order shows its own image, never the one it showed before', async () => {
    const { page } = app;
    if (await page.getByTestId('clear-filters').isEnabled()) await page.getByTestId('clear-filters').click();
    // the mistakes, in two orders: the same images in other places
    await page.getByTestId('sort-select').selectOption('verdict');
    await page.getByTestId('filter-verdict').selectOption('incorrect');
    await page.locator('[data-testid="gallery-tile"]').first().scrollIntoViewIfNeeded();
    // the first 24 tiles' pixels, once painted, by file
    const firstPainted = () =>
      page.waitForFunction(() => {
        const t = [...document.querySelectorAll<HTMLElement>('[data-testid="gallery-tile"]')].slice(0, 24);
        if (!t.every((e) => e.dataset.painted)) return false;
        return t.map((e) => [e.dataset.file!, e.querySelector('canvas')!.toDataURL(), e.querySelector('canvas')!.style.visibility]);
      }).then((h) => h.jsonValue() as Promise<[string, string, string][]>);
    const before = new Map((await firstPainted()).map(([file, url]) => [file, url]));
    await page.getByTestId('sort-select').selectOption('confidence-asc');
    await page.waitForSelector('[data-testid="gallery-sorted"]');
    const after = await firstPainted();
    expect(after.every(([, , visibility]) => visibility !== 'hidden')).toBe(true);
    // the same image painted in another place is the same pixels; the places changed hands
    const again = after.filter(([file]) => before.has(file));
    expect(again.length).toBeGreaterThan(5);
    for (const [file, url] of again) expect(url, file).toBe(before.get(file));
    expect(after.filter(([file], i) => [...before.keys()][i] !== file).length).toBeGreaterThan(0);
    const urls = new Set(after.map(([, url]) => url));
    expect(urls.size).toBeGreaterThan(after.length / 2); // not one image repeated
    await page.getByTestId('sort-select').selectOption('verdict');
    await page.getByTestId('clear-filters').click();
  });

  it('sorts by confidence, keeps a confidence range, and ←/→ in the detail view follow that order', async () => {
    const { page } = app;
    if (await page.getByTestId('clear-filters').isEnabled()) await page.getByTestId('clear-filters').click();
    await page.getByTestId('sort-select').selectOption('confidence-asc');
    await page.waitForSelector('[data-testid="gallery-sorted"]');
    const pct = (pred: string) => Number(/(\d+)%$/.exec(pred.trim())?.[1]);
    const ascending = (await tiles()).map((t) => pct(t.pred));
    expect(ascending.length).toBe(300);
    for (let i = 1; i < ascending.length; i++) expect(ascending[i]).toBeGreaterThanOrEqual(ascending[i - 1]);

    await page.getByTestId('confidence-min').fill('50');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="gallery-count"]')?.getAttribute('data-count')) < 300);
    const confident = await tiles();
    expect(confident.length).toBe(await shown());
    expect(confident.every((t) => pct(t.pred) >= 50)).toBe(true);
    // the histogram behind the handles counts every image; the handle follows the typed end
    const correct = await page.getByTestId('accuracy').getAttribute('data-correct');
    expect(await page.getByTestId('confidence-histogram').getAttribute('aria-label')).toBe(`Confidence histogram: ${correct} correct, ${300 - Number(correct)} incorrect`);
    expect(await page.getByTestId('confidence-slider-min').inputValue()).toBe('0.5');
    await page.getByTestId('confidence-slider-max').fill('0.8');
    await page.waitForFunction(() => (document.querySelector('[data-testid="confidence-max"]') as HTMLInputElement).value === '80');
    expect((await tiles()).every((t) => pct(t.pred) >= 50 && pct(t.pred) <= 80)).toBe(true);
    await page.getByTestId('confidence-max').fill('');

    // the detail view walks the same order
    const files = confident.map((t) => t.file);
    await page.locator('[data-testid="gallery-tile"]').nth(1).click();
    await page.waitForSelector('[data-testid="detail"]');
    const open = async () => page.getByTestId('detail').getAttribute('aria-label');
    expect(await open()).toBe(files[1]);
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((f) => document.querySelector('[data-testid="detail"]')?.getAttribute('aria-label') === f, files[2]);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction((f) => document.querySelector('[data-testid="detail"]')?.getAttribute('aria-label') === f, files[0]);
    await page.keyboard.press('End');
    await page.waitForFunction((f) => document.querySelector('[data-testid="detail"]')?.getAttribute('aria-label') === f, files.at(-1)!);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('[data-testid="detail"]'));
    await page.getByTestId('clear-filters').click();
    await page.getByTestId('sort-select').selectOption('verdict');
    await page.waitForSelector('[data-testid="gallery-incorrect"]');
  });

  it('class views: one per true class, its mean map over its mean image; a click opens the class', async () => {
    const { page } = app;
    await page.locator('details.class-views > summary').click();
    await page.waitForFunction(() => {
      const cards = [...document.querySelectorAll('[data-testid="class-view"]')];
      return cards.length === 3 && cards.every((c) => c.getAttribute('data-ready') === 'true');
    });
    const cards = await page.getByTestId('class-view').evaluateAll((els) => els.map((e) => ({ label: e.getAttribute('data-label')!, count: Number(e.getAttribute('data-count')) })));
    expect(cards.map((c) => c.label)).toEqual(['bowtie', 'lollipop', 'rainbow']);
    expect(cards.every((c) => c.count === 100)).toBe(true);
    // a real picture: the mean doodle with a map over it is not one flat colour
    const spread = await page.locator('[data-testid="class-view"] canvas').first().evaluate((c) => {
      const canvas = c as HTMLCanvasElement;
      const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const reds = new Set<number>();
      for (let i = 0; i < d.length; i += 4) reds.add(d[i]);
      return { side: canvas.width, reds: reds.size };
    });
    expect(spread.side).toBeGreaterThanOrEqual(112);
    expect(spread.reds).toBeGreaterThan(20);
    await page.locator('[data-testid="class-view"][data-label="lollipop"] button').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="gallery-tile"]').length === 100);
    expect((await tiles()).every((t) => t.truth === 'lollipop')).toBe(true);
    // with a filter set, the images shown get a view of their own
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="class-view"]').length === 4);
    expect(Number(await page.locator('[data-testid="class-view"]:not([data-label])').getAttribute('data-count'))).toBe(100);
    await page.getByTestId('clear-filters').click();
    await page.locator('details.class-views > summary').click();
  });

  it('the detail view: every method side by side, why a top-5 class, zoom on the original', async () => {
    const { page } = app;
    await page.getByTestId('filter-verdict').selectOption('incorrect');
    await page.locator('[data-testid="gallery-tile"]').first().click();
    await page.waitForSelector('[data-testid="detail-predicted-heatmap"] canvas');
    await page.locator('details.multiples-box > summary').click();
    const methods = await page.getByTestId('detail-method').evaluateAll((els) => els.map((e) => e.getAttribute('data-method')));
    expect(methods).toEqual(['gradcam', 'gradcampp', 'hirescam', 'xgradcam', 'layercam', 'eigencam']);
    expect(await page.locator('[data-testid="detail-method"][data-method="gradcam"]').getAttribute('aria-pressed')).toBe('true');
    await page.locator('[data-testid="detail-method"][data-method="hirescam"]').click();
    expect(await page.getByTestId('method-select').inputValue()).toBe('hirescam');
    expect(await page.locator('[data-testid="detail-method"][data-method="hirescam"]').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('method-select').selectOption('gradcam');

    // why the second of the top 5: its own map, computed for this image on request
    const top = page.getByTestId('detail-top-class');
    expect(await top.count()).toBe(5);
    expect(await top.first().getAttribute('aria-pressed')).toBe('true');
    await top.nth(1).click();
    await page.waitForSelector('[data-testid="detail-why-heatmap"] canvas');
    const pixels = (sel: string) => page.locator(sel).evaluate((c) => {
      const canvas = c as HTMLCanvasElement;
      return Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data.filter((_, i) => i % 4 === 0));
    });
    const predicted = await pixels('[data-testid="detail-predicted-heatmap"] canvas');
    const why = await pixels('[data-testid="detail-why-heatmap"] canvas');
    expect(why.length).toBe(predicted.length);
    expect(why.filter((v, i) => Math.abs(v - predicted[i]) > 8).length).toBeGreaterThan(why.length / 20);
    expect(await top.nth(1).getAttribute('aria-pressed')).toBe('true');

    await page.getByTestId('detail-zoom').selectOption('4');
    const widths = await page.getByTestId('detail-original').evaluate((box) => ({ box: box.clientWidth, canvas: (box.querySelector('canvas') as HTMLCanvasElement).clientWidth }));
    expect(widths.canvas).toBeGreaterThanOrEqual(widths.box * 4 - 2);
    await page.keyboard.press('Escape');
    await page.getByTestId('clear-filters').click();
    // the hash is written 150 ms after the last change: let it settle before the next test reads it
    await page.waitForFunction(() => !location.hash.includes('sample=') && !location.hash.includes('verdict='));
  });

  it('the address keeps the view: a reload with the same files reopens it', async () => {
    const { page } = app;
    const cell = (await page.getByTestId('confusion-cell').evaluateAll((els) => els.map((e) => ({ t: (e as HTMLElement).dataset.true!, p: (e as HTMLElement).dataset.pred!, n: Number((e as HTMLElement).dataset.count) }))))
      .filter((c) => c.t === c.p).sort((a, b) => b.n - a.n)[0];
    await page.locator(`[data-testid="confusion-cell"][data-true="${cell.t}"][data-pred="${cell.p}"]`).click();
    await page.getByTestId('sort-select').selectOption('file');
    await page.getByTestId('colormap-select').selectOption('viridis');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="gallery-tile"]').length === n, cell.n);
    const second = (await tiles())[1].file;
    await page.locator('[data-testid="gallery-tile"]').nth(1).click();
    await page.waitForFunction(() => location.hash.includes('sample=') && location.hash.includes('cmap=viridis') && location.hash.includes('sort=file'));
    const hash = await page.evaluate(() => location.hash);
    expect(hash).toContain('cmap=viridis');

    await page.reload();
    expect(await page.evaluate(() => location.hash)).toBe(hash);
    await runAndWait(page, () => page.getByTestId('demo-button').click());
    await page.waitForSelector('[data-testid="detail"]');
    expect(await page.getByTestId('detail').getAttribute('aria-label')).toBe(second);
    expect(await page.getByTestId('filter-true').inputValue()).toBe(cell.t);
    expect(await page.getByTestId('filter-pred').inputValue()).toBe(cell.p);
    expect(await page.getByTestId('sort-select').inputValue()).toBe('file');
    expect(await page.getByTestId('colormap-select').inputValue()).toBe('viridis');
    expect(await shown()).toBe(cell.n);
    await page.keyboard.press('Escape');
    await page.getByTestId('clear-filters').click();
    await page.waitForFunction(() => !location.hash.includes('sample=') && !location.hash.includes('true='));

    // a visit with no hash keeps the view settings and the order, not the filters or the open sample
    await page.goto(app.url);
    expect(await page.evaluate(() => location.hash)).toBe('');
    await runAndWait(page, () => page.getByTestId('demo-button').click());
    expect(await page.getByTestId('colormap-select').inputValue()).toBe('viridis');
    expect(await page.getByTestId('sort-select').inputValue()).toBe('file');
    expect(await shown()).toBe(300);
    expect(await page.getByTestId('detail').count()).toBe(0);
  });
});
