// The built app from a plain static file server under a sub-path (as GitHub Pages or a bucket
// serve it): no proxy, no dev server. The demo runs and a dropped data set runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAndWait } from './harness';
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
    await page.goto(url);
    await runAndWait(page, () => page.getByTestId('demo-button').click());
    expect(Number(await page.getByTestId('accuracy').getAttribute('data-total'))).toBe(300);
    const zip = Buffer.from(await classFolderZip(4));
    await runAndWait(page, () => page.getByTestId('dataset-input').setInputFiles({ name: 'doodles.zip', mimeType: 'application/zip', buffer: zip }));
    expect(Number(await page.getByTestId('accuracy').getAttribute('data-total'))).toBe(12);
    expect(requested.filter((p) => !p.startsWith(BASE))).toEqual([]);
    expect(requested.some((p) => p.endsWith('.wasm'))).toBe(true);
    expect(errors).toEqual([]);
  });
});
