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
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
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
    await page.locator('[data-testid="gallery-tile"]').first().click();
    await page.waitForSelector('[data-testid="detail"]');
    expect(await seriousViolations('detail')).toEqual([]);
    expect(fs.readdirSync(SHOTS).filter((f) => f.endsWith('.png')).length).toBeGreaterThanOrEqual(4);
  });
});
