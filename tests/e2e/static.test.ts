// The built app from a plain static file server under a sub-path (as GitHub Pages or a bucket
// serve it): no proxy, no dev server. The demo runs and a dropped data set runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoViolations, runAndWait, watchPolicy } from './harness';
import { startFakeEdgeImpulse } from '../fake-ei/server';
import { doodleProject } from '../fake-ei/project';
import { classFolderZip } from '../helpers';
import { staticHost, type StaticHost } from './staticHost';

const BASE = '/tools/grad-cam/';
let host: StaticHost;
beforeAll(async () => {
  host = await staticHost(BASE);
});
afterAll(async () => {
  await host?.close();
});

describe('dist/ on a plain static host under a sub-path', () => {
  it('runs the demo and a dropped data set; every request stays under the base path', async () => {
    const { browser, url, requested } = host;
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const violations = watchPolicy(page);
    await page.goto(url);
    await runAndWait(page, () => page.getByTestId('demo-button').click());
    expect(Number(await page.getByTestId('accuracy').getAttribute('data-total'))).toBe(300);
    const zip = Buffer.from(await classFolderZip(4));
    await runAndWait(page, () => page.getByTestId('dataset-input').setInputFiles({ name: 'doodles.zip', mimeType: 'application/zip', buffer: zip }));
    expect(Number(await page.getByTestId('accuracy').getAttribute('data-total'))).toBe(12);
    expect(requested.filter((p) => !p.startsWith(BASE))).toEqual([]);
    expect(requested.some((p) => p.endsWith('.wasm'))).toBe(true);
    expect(errors).toEqual([]);
    expectNoViolations(violations);
    await page.close();
  });

  it('an API host its policy does not list is never called directly (nor the key sent); the message points to the server', async () => {
    const fake = await startFakeEdgeImpulse(await doodleProject());
    const page = await host.browser.newPage();
    const violations = watchPolicy(page);
    await page.goto(host.url);
    await page.locator('.edge-impulse summary').click();
    await page.getByTestId('ei-host-input').fill(fake.apiHost);
    await page.getByTestId('ei-key-input').fill(fake.project.apiKey);
    await page.getByTestId('ei-connect-button').click();
    await page.waitForSelector('[data-testid="message"][data-kind="error"]');
    const error = (await page.locator('[data-testid="message"][data-kind="error"]').allTextContents()).join();
    expect(error).toMatch(/this page's security policy lets it call only https:\/\/studio\.edgeimpulse\.com, https:\/\/\*\.amazonaws\.com directly.*no working proxy/);
    expect(error).toMatch(/README's "Edge Impulse behind CORS"/);
    expect(fake.requests).toEqual([]);
    expect(host.requested.some((p) => p.includes('/ei-proxy/'))).toBe(true); // it tried this host's proxy instead
    await page.close();
    await fake.close();
    expectNoViolations(violations);
  });
});
