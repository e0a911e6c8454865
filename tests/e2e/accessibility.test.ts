// axe-core on the landing page, the gallery with a run and its confusion matrix, and the detail
// view: no serious or critical violations. Screenshots of each view go to test-results/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAndWait, startApp, type App } from './harness';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SHOTS = path.resolve('test-results/screenshots');

let app: App;
beforeAll(async () => {
  app = await startApp();
  fs.mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await app?.close();
});

type Violation = { id: string; impact: string; help: string; targets: string[] };
async function seriousViolations(name: string): Promise<Violation[]> {
  const { page } = app;
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
  // evaluated, not added as a <script>: the app's policy refuses inline scripts (and the harness fails on the refusal)
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(fs.readFileSync(AXE, 'utf8'));
  const all = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(c: Document, o: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
  const bad = all.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (all.length) console.log(`${name}: ${all.map((v) => `${v.id} (${v.impact})`).join(', ')}`);
  return bad;
}

describe('accessibility (axe-core)', () => {
  it('landing page, gallery with its confusion matrix, and the detail view have no serious or critical violations', async () => {
    const { page } = app;
    expect(await seriousViolations('landing')).toEqual([]);
    await runAndWait(page, () => page.getByTestId('demo-button').click());
    expect(await page.getByTestId('confusion-matrix').count()).toBe(1);
    expect(await seriousViolations('gallery')).toEqual([]);
    await page.locator('details.confusion').evaluate((d) => d.scrollIntoView());
    await page.screenshot({ path: path.join(SHOTS, 'confusion-matrix.png') });
    await page.locator('details.class-views > summary').click();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="class-view"]')].every((c) => c.getAttribute('data-ready') === 'true'));
    await page.locator('details.class-views').evaluate((d) => d.scrollIntoView());
    expect(await seriousViolations('class-views')).toEqual([]);
    await page.locator('[data-testid="gallery-tile"]').first().click();
    await page.waitForSelector('[data-testid="detail"]');
    await page.locator('details.multiples-box > summary').click();
    expect(await seriousViolations('detail')).toEqual([]);
    await page.keyboard.press('Escape');
    expect(fs.readdirSync(SHOTS).filter((f) => f.endsWith('.png')).length).toBeGreaterThanOrEqual(5);
  });

  it('dark: follows the system, a choice overrides it and is remembered; the dark gallery passes axe too', async () => {
    const { page } = app;
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await background();
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await background();
    expect(dark).not.toBe(light);
    await page.getByTestId('theme-select').selectOption('dark');
    expect(await background()).toBe(dark);
    expect(await seriousViolations('gallery-dark')).toEqual([]);
    await page.locator('[data-testid="gallery-tile"]').first().click();
    await page.waitForSelector('[data-testid="detail"]');
    expect(await seriousViolations('detail-dark')).toEqual([]);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !location.hash.includes('sample='));
    await page.reload();
    expect(await page.getByTestId('theme-select').inputValue()).toBe('dark');
    expect(await background()).toBe(dark); // applied before React renders: no light flash
    await page.getByTestId('theme-select').selectOption('auto');
    expect(await background()).toBe(light);
  });

  it('at 1280×720 the loaded sources shrink to their summaries, and open again on request', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1280, height: 720 });
    await runAndWait(page, () => page.getByTestId('demo-button').click());
    const toggle = page.getByTestId('sources-toggle');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByTestId('dataset-input').locator('..').isVisible()).toBe(false);
    expect(await page.getByTestId('model-summary').isVisible()).toBe(true);
    expect(await page.getByTestId('dataset-summary').isVisible()).toBe(true);
    const heights = () => page.evaluate(() => ({ drops: document.getElementById('drops')!.getBoundingClientRect().height, gallery: document.querySelector('.gallery-rows')!.getBoundingClientRect().top + scrollY }));
    const small = await heights();
    await page.screenshot({ path: path.join(SHOTS, 'gallery-1280x720.png') });
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByTestId('dataset-input').locator('..').isVisible()).toBe(true);
    const big = await heights();
    console.log(`sources at 1280×720: ${small.drops} px collapsed, ${big.drops} px open; gallery starts at ${small.gallery} / ${big.gallery} px`);
    expect(small.drops).toBeLessThan(80); // the two summaries, on two lines at most
    expect(big.gallery - small.gallery).toBeGreaterThan(120); // what the gallery gains
  });
});
