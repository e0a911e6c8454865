// After a first visit the app works with the network cut: its service worker has cached the app,
// its workers, the WASM binaries and the demo. A new build's worker waits, the page offers to
// reload onto it, and after the reload the new build's cache is the only one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoViolations, runAndWait, watchPolicy } from './harness';
import { staticHost, type StaticHost } from './staticHost';

let host: StaticHost;
/** Set to serve a "new build": the same files with another service worker. */
let secondBuild = false;
beforeAll(async () => {
  host = await staticHost('/offline/', (p, body) => (secondBuild && p.endsWith('/sw.js') ? body.toString().replace("const CACHE = 'gradcam-studio-", "const CACHE = 'gradcam-studio-second-") : body));
});
afterAll(async () => {
  await host?.close();
});

describe('offline after the first visit', () => {
  it('runs the demo with the network cut, and offers a new build when one is deployed', async () => {
    const { browser, url, requested } = host;
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const violations = watchPolicy(page);
    await page.goto(url);
    // installed (every file cached) and in control of the page
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => !!navigator.serviceWorker.controller);
    const cachedFiles = await page.evaluate(async () => (await (await caches.open((await caches.keys())[0])).keys()).length);
    expect(cachedFiles).toBeGreaterThan(10);

    await context.setOffline(true);
    const before = requested.length;
    await page.reload();
    await runAndWait(page, () => page.getByTestId('demo-button').click());
    expect(Number(await page.getByTestId('accuracy').getAttribute('data-total'))).toBe(300);
    // nothing the app needed reached the server (the browser's own check for a new sw.js may get through the emulated cut)
    expect(requested.slice(before).filter((p) => !p.endsWith('/sw.js'))).toEqual([]);
    await context.setOffline(false);

    // a new build is deployed: its worker installs and waits; the page offers to reload onto it
    secondBuild = true;
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await page.getByTestId('update-ready').waitFor({ timeout: 60_000 });
    await Promise.all([page.waitForEvent('load'), page.getByTestId('update-reload').click()]);
    await page.waitForFunction(() => !!navigator.serviceWorker.controller);
    expect(await page.evaluate(() => caches.keys())).toEqual([expect.stringMatching(/^gradcam-studio-second-/)]);
    expect(await page.getByTestId('update-ready').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
    expectNoViolations(violations);
  }, 240_000);
});
