// Faithfulness in the app: scored on request for the demo's 300 doodles (the method and the two
// reference maps), the table, one image's curves, and the export's columns and settings — the
// same numbers the engine gives in Node for the same image.
import fs from 'node:fs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWithDemo, type App } from './harness';

let app: App;
beforeAll(async () => {
  app = await startWithDemo();
});
afterAll(async () => {
  await app?.close();
});

describe('faithfulness scores in the app', () => {
  it('scores HiResCAM and the reference maps on 300 doodles; the table, the curves and the export agree', async () => {
    const { page } = app;
    await page.getByTestId('method-select').selectOption('hirescam');
    await page.locator('details.faithfulness > summary').click();
    const t = Date.now();
    await page.getByTestId('faithfulness-button').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="faithfulness-row"]').length === 3 && !document.querySelector('[data-testid="faithfulness-progress"]'), null, { timeout: 240_000 });
    const seconds = (Date.now() - t) / 1000;
    const rows = await page.getByTestId('faithfulness-row').evaluateAll((els) => els.map((e) => ({ set: e.getAttribute('data-set')!, n: Number(e.children[1].textContent), deletion: Number(e.getAttribute('data-deletion')), insertion: Number(e.getAttribute('data-insertion')) })));
    console.log(`faithfulness in Chromium: 300 doodles × 3 maps in ${seconds.toFixed(1)} s; ${rows.map((r) => `${r.set}: deletion ${r.deletion.toFixed(3)}, insertion ${r.insertion.toFixed(3)}`).join('; ')}`);
    expect(rows.map((r) => r.set)).toEqual(['hirescam · percentile 99', 'random', 'gaussian']);
    expect(rows.every((r) => r.n === 300)).toBe(true);
    // the command line gives the same figures on the same doodles (tests/unit/cli.test.ts)
    expect(rows.map((r) => [r.deletion.toFixed(3), r.insertion.toFixed(3)])).toEqual([['0.068', '0.228'], ['0.129', '0.091'], ['0.085', '0.312']]);
    const [method, random] = rows;
    expect(method.deletion).toBeLessThan(random.deletion);
    expect(method.insertion).toBeGreaterThan(random.insertion);

    // tiles whose map does no better than the random map carry a badge; the least faithful sort first
    const expected = await page.evaluate(() => {
      const s = (window as unknown as { gradcam: { getState(): { faithfulness: Record<string, Record<string, { deletionAuc: number; insertionAuc: number }>> } } }).gradcam.getState();
      const mine = s.faithfulness['hirescam · percentile 99'], random = s.faithfulness.random;
      return Object.keys(mine).filter((id) => mine[id].deletionAuc >= random[id].deletionAuc && mine[id].insertionAuc <= random[id].insertionAuc);
    });
    expect(expected.length).toBeGreaterThan(0);
    expect((await page.locator('[data-testid="gallery-tile"][data-unfaithful="true"]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.file))).sort()).toEqual(expected.sort());
    // and a filter keeps just those
    await page.getByTestId('filter-unfaithful').check();
    await expect.poll(() => page.getByTestId('gallery-count').getAttribute('data-count')).toBe(String(expected.length));
    expect(await page.locator('[data-testid="gallery-tile"]:not([data-unfaithful="true"])').count()).toBe(0);
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/unfaithful=1/);
    await page.getByTestId('filter-unfaithful').uncheck();
    await page.getByTestId('sort-select').selectOption('deletion-desc');
    await page.waitForSelector('[data-testid="gallery-sorted"]');
    const order = await page.locator('[data-testid="gallery-tile"]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.file!));
    const aucs = await page.evaluate((files) => {
      const s = (window as unknown as { gradcam: { getState(): { faithfulness: Record<string, Record<string, { deletionAuc: number }>> } } }).gradcam.getState();
      return files.map((f) => s.faithfulness['hirescam · percentile 99'][f].deletionAuc);
    }, order);
    for (let i = 1; i < aucs.length; i++) expect(aucs[i]).toBeLessThanOrEqual(aucs[i - 1]);
    await page.getByTestId('sort-select').selectOption('verdict');

    // one image: its curves, as the store has them
    await page.locator('[data-testid="gallery-tile"]').first().click();
    const curve = page.getByTestId('detail-faithfulness');
    await curve.waitFor();
    const file = await page.getByTestId('detail').getAttribute('aria-label');
    const stored = await page.evaluate((f) => {
      const s = (window as unknown as { gradcam: { getState(): { faithfulness: Record<string, Record<string, { deletionAuc: number }>> } } }).gradcam.getState();
      return s.faithfulness['hirescam · percentile 99'][f!].deletionAuc;
    }, file);
    expect(Number(await curve.getAttribute('data-deletion'))).toBe(stored);
    await page.keyboard.press('Escape');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-button').click()]);
    const zip = await JSZip.loadAsync(fs.readFileSync(await download.path()));
    const csv = (await zip.file('report.csv')!.async('string')).trim().split('\n');
    expect(csv[0]).toBe('file,overlay,true_label,predicted_label,confidence,correct,average_drop,increase,deletion_auc,insertion_auc');
    const row = csv.find((l) => l.startsWith(`${file},`))!.split(',');
    expect(Number(row[8])).toBeCloseTo(stored, 6);
    const settings = JSON.parse(await zip.file('settings.json')!.async('string'));
    expect(settings.faithfulness).toMatchObject({ steps: 16, baseline: 'black', method: { images: 300 }, random: { images: 300 }, gaussian: { images: 300 } });
    expect(settings.faithfulness.random.deletion_auc).toBeCloseTo(random.deletion, 9);
    // another method, once the reference maps are scored: that method's maps alone (34 passes an image)
    await page.getByTestId('method-select').selectOption('gradcam');
    const t2 = Date.now();
    await page.getByTestId('faithfulness-button').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="faithfulness-row"]').length === 4 && !document.querySelector('[data-testid="faithfulness-progress"]'), null, { timeout: 240_000 });
    console.log(`faithfulness in Chromium: 300 doodles, one more method (Grad-CAM) in ${((Date.now() - t2) / 1000).toFixed(1)} s`);
    expect(await page.locator('[data-testid="faithfulness-row"][data-set^="gradcam"]').getAttribute('data-deletion')).toMatch(/^0\.12/); // 0.128, as in Node
    expect(app.errors).toEqual([]);
  }, 300_000);

  it('sanity checks: Grad-CAM changes with random top layers and with the class; Eigen-CAM ignores the class', async () => {
    const { page } = app;
    await page.getByTestId('sanity-button').click();
    await page.waitForSelector('[data-testid="sanity-table"]', { timeout: 120_000 });
    const rows = await page.getByTestId('sanity-row').evaluateAll((els) =>
      Object.fromEntries(els.map((e) => [e.getAttribute('data-method'), { model: Number(e.getAttribute('data-model-rho')), cls: Number(e.getAttribute('data-class-rho')), flag: e.getAttribute('data-flag'), cells: e.querySelectorAll('td').length }])),
    );
    console.log('sanity checks in Chromium (16 doodles):', JSON.stringify(rows));
    expect(Object.keys(rows)).toEqual(['gradcam', 'gradcampp', 'hirescam', 'xgradcam', 'layercam', 'eigencam']);
    expect(rows.gradcam.model).toBeLessThan(0.5);
    expect(rows.gradcam.cls).toBeLessThan(0.9);
    expect(rows.gradcam.flag).toBe('');
    expect(rows.eigencam.cls).toBeCloseTo(1, 6);
    expect(rows.eigencam.flag).toContain('class');
    expect(rows.gradcam.cells).toBe(3 + 2); // three stages, another class, the reading
    expect(await page.locator('[data-testid="sanity-table"] caption').textContent()).toMatch(/^16 images · re-initialised, from the output down: dense_1, then dense, then /);
    // the export carries them, as the table shows them (the command line gives the same: tests/unit/cli.test.ts)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-button').click()]);
    const sanity = JSON.parse(await (await JSZip.loadAsync(fs.readFileSync(await download.path()))).file('settings.json')!.async('string')).sanity;
    expect(sanity.images).toBe(16);
    expect(sanity.reinitialised.slice(0, 2)).toEqual(['dense_1', 'dense']);
    expect(sanity.methods.gradcam.model_randomisation.at(-1)).toBeCloseTo(rows.gradcam.model, 9);
    expect(sanity.methods.gradcam.another_class).toBeCloseTo(rows.gradcam.cls, 9);
    expect(sanity.methods.eigencam.flags).toEqual(['class']);
    expect(sanity.methods.layercam.flags).toEqual(rows.layercam.flag ? rows.layercam.flag.split(' ') : []);
    expect(app.errors).toEqual([]);
  }, 180_000);

  it('another baseline clears the scores; ROAD adds a column, and Cancel keeps what is done', async () => {
    const { page } = app;
    await page.getByTestId('faithfulness-baseline').selectOption('mean');
    await expect.poll(() => page.getByTestId('faithfulness-row').count()).toBe(0); // scores under another baseline are not comparable
    await page.getByTestId('faithfulness-road').check();
    await page.getByTestId('faithfulness-button').click();
    // the first few images (both references and the method, ROAD included), then Cancel
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="faithfulness-progress"]')?.textContent?.split(' / ')[0]) >= 8, null, { timeout: 120_000 });
    await page.getByTestId('faithfulness-cancel').click();
    await expect.poll(() => page.getByTestId('faithfulness-progress').count()).toBe(0);
    const rows = await page.getByTestId('faithfulness-row').evaluateAll((els) => els.map((e) => ({ n: Number(e.children[1].textContent), road: Number(e.querySelector('[data-testid="faithfulness-road-mean"]')?.getAttribute('data-road')) })));
    console.log('ROAD in Chromium, the first images:', JSON.stringify(rows));
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.n >= 8 && r.n < 300 && Number.isFinite(r.road))).toBe(true);
    // scored in a shuffled order: the first images are not all of the first class
    const scoredIds = await page.evaluate(() => Object.keys((window as unknown as { gradcam: { getState(): { faithfulness: Record<string, Record<string, unknown>> } } }).gradcam.getState().faithfulness.random));
    expect(new Set(scoredIds.map((id) => id.split('/').at(-1)!.split('.')[0])).size).toBeGreaterThan(1); // testing/<label>.<name>.png
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-button').click()]);
    const zip = await JSZip.loadAsync(fs.readFileSync(await download.path()));
    expect((await zip.file('report.csv')!.async('string')).split('\n')[0]).toMatch(/,deletion_auc,insertion_auc,road$/);
    expect(JSON.parse(await zip.file('settings.json')!.async('string')).faithfulness).toMatchObject({ baseline: 'mean', road: { noise: 0.01 } });

    // every method at once: one row each, next to the references (Cancel after the first images again)
    await page.getByTestId('faithfulness-road').uncheck();
    await page.getByTestId('faithfulness-all-button').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="faithfulness-progress"]')?.textContent?.split(' / ')[0]) >= 8, null, { timeout: 120_000 });
    await page.getByTestId('faithfulness-cancel').click();
    await expect.poll(() => page.getByTestId('faithfulness-progress').count()).toBe(0);
    const sets = await page.getByTestId('faithfulness-row').evaluateAll((els) => els.map((e) => [e.getAttribute('data-set'), Number(e.children[1].textContent)] as const));
    console.log('every method in Chromium, the first images:', JSON.stringify(sets));
    expect(sets.map(([name]) => name)).toEqual(['gradcam:mean · percentile 99', 'gradcampp · percentile 99', 'hirescam · percentile 99', 'xgradcam · percentile 99', 'layercam · percentile 99', 'eigencam · percentile 99', 'random', 'gaussian']);
    expect(sets.every(([, n]) => n >= 8)).toBe(true);
    expect(app.errors).toEqual([]);
  }, 180_000);
});
