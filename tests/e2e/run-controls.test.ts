// Cancel, class-name editing and folder input in the built app.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onCpuBackend, runAndWait, runId, startApp, type App } from './harness';
import { doodlePng, quickdrawRows } from '../helpers';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

const count = (verdict: string) => app.page.locator(`[data-testid="gallery-tile"][data-verdict="${verdict}"]`).count();

describe('run controls', () => {
  it('Cancel stops a run and keeps the images already explained', async () => {
    const { page } = app;
    await onCpuBackend(page);
    await page.getByTestId('demo-button').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="gallery-tile"]').length >= 16);
    await page.getByTestId('cancel-button').click();
    await page.waitForSelector('[data-testid="run-status"][data-status="cancelled"]');
    const label = await page.getByTestId('run-label').textContent();
    const done = Number(/Cancelled: (\d+) \/ 300/.exec(label ?? '')?.[1]);
    expect(done).toBeGreaterThanOrEqual(16);
    expect(done).toBeLessThan(300);
    await page.waitForTimeout(500); // a batch in flight must not land after Cancel
    expect(await page.locator('[data-testid="gallery-tile"]').count()).toBe(done);
  });

  it('Run again on the fastest backend, then editing a class name re-sorts the gallery without recomputing', async () => {
    const { page } = app;
    await page.getByTestId('backend-select').selectOption('auto');
    await page.waitForFunction(() => !/Running on cpu/.test(document.querySelector('[data-testid="backend-status"]')?.textContent ?? ''));
    await runAndWait(page, () => page.getByTestId('run-button').click());
    const correct = await count('correct');
    const bowtiesRight = await page.locator('[data-testid="gallery-tile"][data-verdict="correct"][data-file^="testing/bowtie."]').count();
    expect(bowtiesRight).toBeGreaterThan(50);
    const id = await runId(page);
    await page.locator('.classnames summary').click();
    const box = page.getByTestId('classnames-input');
    const names = (await box.inputValue()).split('\n');
    names[94] = 'bow tie';
    await box.fill(names.join('\n'));
    await box.blur();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="gallery-tile"][data-verdict="correct"]').length === n, correct - bowtiesRight);
    expect(await runId(page)).toBe(id);
  });

  it('reads a class-folder data set chosen as a folder', async () => {
    const { page } = app;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doodles-'));
    for (const cls of ['lollipop', 'rainbow']) {
      fs.mkdirSync(path.join(dir, cls));
      quickdrawRows(cls, 2000, 5).forEach((row, i) => fs.writeFileSync(path.join(dir, cls, `${i}.png`), doodlePng(row)));
    }
    await runAndWait(page, () => page.getByTestId('dataset-folder-input').setInputFiles(dir));
    expect(await page.locator('[data-testid="gallery-tile"]').count()).toBe(10);
    expect(await page.getByTestId('dataset-summary').textContent()).toMatch(/10 images \(class-folders\)/);
    fs.rmSync(dir, { recursive: true });
  });

  it('a re-run recomputes the tiles on screen first; cancelled, the rest are marked and left out of the export', async () => {
    const { page } = app;
    await runAndWait(page, () => page.getByTestId('demo-button').click());
    await page.getByTestId('backend-select').selectOption('cpu');
    await page.waitForFunction(() => /Running on cpu/.test(document.querySelector('[data-testid="backend-status"]')?.textContent ?? ''));
    // Scroll to the end of the gallery (the last doodles of the data set), then re-run from there
    // without scrolling back: the tiles on screen must be recomputed first.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForTimeout(300);
    await page.evaluate(() => {
      const select = document.querySelector('[data-testid="layer-select"]') as HTMLSelectElement;
      const set = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')!.set!;
      set.call(select, 'conv2d_3');
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await page.waitForFunction(() => Number(/(\d+) \/ 300/.exec(document.querySelector('[data-testid="run-label"]')?.textContent ?? '')?.[1] ?? 0) >= 120);
    await page.getByTestId('cancel-button').click();
    await page.waitForSelector('[data-testid="run-status"][data-status="cancelled"]');
    expect(await page.locator('[data-testid="gallery-tile"]').count()).toBe(300);
    const stale = await page.locator('[data-testid="tile-stale"]').count();
    expect(stale).toBeGreaterThan(0);
    const last = page.locator('[data-testid="gallery-tile"]').last();
    expect(await last.getAttribute('data-file')).toMatch(/^testing\/rainbow\./); // last in data-set order too
    expect(await last.locator('[data-testid="tile-stale"]').count()).toBe(0); // on screen, so done first
    expect(await page.locator('[data-testid="tile-stale"]').first().textContent()).toBe('earlier settings');
    await page.getByTestId('export-button').click();
    await page.waitForSelector('[data-testid="message"][data-kind="warning"]');
    expect((await page.locator('[data-testid="message"][data-kind="warning"]').allTextContents()).join()).toMatch(new RegExp(`${stale} images still show maps from earlier settings`));
  });
});
