// The app runs under its own Content-Security-Policy (src/common/csp.ts): a meta tag in the built
// index.html and a header from the server; every e2e test fails on a violation (harness.ts). This
// file proves the policy is there and that a violation is caught, in the page and in a worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAndWait, startApp, type App } from './harness';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

describe('Content-Security-Policy', () => {
  it('the page carries the policy as a header and as a meta tag; no inline script, no eval, calls only to its hosts', async () => {
    const { page, url } = app;
    const res = await fetch(url);
    const header = res.headers.get('content-security-policy') ?? '';
    expect(header).toMatch(/script-src 'self' 'wasm-unsafe-eval';/);
    expect(header).toMatch(/connect-src 'self' https:\/\/studio\.edgeimpulse\.com https:\/\/\*\.amazonaws\.com;/);
    expect(header).toMatch(/frame-ancestors 'none'/);
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(meta).toBe(header.replace(/; frame-ancestors 'none'$/, ''));
    // the demo runs under it: WASM compiles, the workers start, tiles paint
    await runAndWait(page, () => page.getByTestId('demo-button').click());
    expect(await page.locator('[data-testid="gallery-tile"][data-painted]').count()).toBeGreaterThan(0);
    expect(app.violations).toEqual([]);
  });

  it('a violation in the page or in a worker is seen (so the other tests would fail on one)', async () => {
    const { page } = app;
    const inline = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.append(s);
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan ?? false;
    });
    expect(inline).toBe(false);
    const outside = await page.evaluate(() => fetch('https://example.com/').then(() => 'reached', (e: Error) => e.name));
    expect(outside).toBe('TypeError');
    const worker = page.workers()[0];
    expect(worker).toBeDefined();
    expect(await worker.evaluate(() => fetch('https://example.org/').then(() => 'reached', (e: Error) => e.name))).toBe('TypeError');
    await expect.poll(() => app.violations.join('\n')).toMatch(/inline script|script-src/);
    expect(app.violations.join('\n')).toMatch(/example\.com/);
    await expect.poll(() => app.violations.join('\n')).toMatch(/example\.org/);
    app.violations.length = 0; // these were this test's own
  });
});
