// Key in, gallery out, export: the Edge Impulse path in the built app against a fake API on
// loopback; direct calls, and the same-origin proxy when the API refuses cross-origin calls.
import JSZip from 'jszip';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runAndWait, startApp, type App } from './harness';
import { startFakeEdgeImpulse, type FakeEdgeImpulse, type FakeProject } from '../fake-ei/server';
import { doodleProject } from '../fake-ei/project';

let app: App | undefined;
let fake: FakeEdgeImpulse | undefined;
afterEach(async () => {
  await app?.close();
  await fake?.close();
  app = fake = undefined;
  delete process.env.EI_PROXY_HOSTS;
});

/** Every request the page made, with its headers. */
function recordRequests(a: App) {
  const seen: { url: string; headers: Record<string, string> }[] = [];
  a.page.on('request', (r) => seen.push({ url: r.url(), headers: r.headers() }));
  return seen;
}

async function start(overrides: Partial<FakeProject> = {}) {
  fake = await startFakeEdgeImpulse(await doodleProject(overrides));
  // the fake's hosts, as a deployment with its own API configures them: the page's policy lets it call them directly
  process.env.EI_PROXY_HOSTS = `${fake.apiHost},${fake.storageHost}`;
  app = await startApp();
  return { page: app.page, fake, requests: recordRequests(app) };
}

async function explain(page: App['page'], host: string, key: string) {
  await page.locator('.edge-impulse summary').click();
  await page.getByTestId('ei-host-input').fill(host);
  await page.getByTestId('ei-key-input').fill(key);
  await page.getByTestId('ei-connect-button').click();
}

describe('Edge Impulse in the browser', () => {
  it('paste a key: project facts, a fresh export, the model, the gallery, the export zip — and the key nowhere else', async () => {
    const { page, fake, requests } = await start();
    await runAndWait(page, () => explain(page, fake.apiHost, fake.project.apiKey));
    expect(await page.getByTestId('ei-facts').textContent()).toMatch(/Doodles \(#4242\), key role admin.*keras.*classification, 345 classes.*28×28, squash \(lanczos3\), Grayscale, scaled 0\.\.1/);
    expect(await page.locator('[data-testid="gallery-tile"]').count()).toBe(30); // the testing/ split
    expect(await page.getByTestId('dataset-summary').textContent()).toMatch(/36 images \(edge-impulse\)/);
    // the export went to a file in the origin's private storage as it arrived, and is read from there
    const onDisk = await page.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      const files: [string, number][] = [];
      for await (const [name, handle] of (root as unknown as AsyncIterable<[string, FileSystemFileHandle]>)) files.push([name, (await handle.getFile()).size]);
      return files;
    });
    expect(onDisk).toEqual([['edge-impulse-export-a.zip', fake.project.exportZip.length]]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-button').click()]);
    const zipBytes = fs.readFileSync(await download.path());
    const zip = await JSZip.loadAsync(zipBytes);
    const key = fake.project.apiKey;
    for (const name of Object.keys(zip.files)) expect(Buffer.from(await zip.file(name)?.async('uint8array') ?? []).includes(key)).toBe(false);
    // no request but those to the API host carries the key, in a header, never in a URL
    const withKey = requests.filter((r) => JSON.stringify(r.headers).includes(key) || r.url.includes(key));
    expect(withKey.length).toBeGreaterThan(5);
    for (const r of withKey) expect(r.url.startsWith(`${fake.apiHost}/v1/api/`)).toBe(true);
    for (const r of requests) expect(r.url).not.toContain(key);
    expect(fake.requests.filter((r) => r.server === 'storage').every((r) => !JSON.stringify(r.headers).includes(key))).toBe(true);
    // not stored unless asked
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).not.toContain(key);
  });

  it('when the API refuses cross-origin calls, the app switches to its own proxy and says so', async () => {
    fake = await startFakeEdgeImpulse(await doodleProject({ cors: false }));
    process.env.EI_PROXY_HOSTS = `${fake.apiHost},${fake.storageHost}`;
    app = await startApp();
    const { page } = app;
    await runAndWait(page, () => explain(page, fake!.apiHost, fake!.project.apiKey));
    expect(await page.locator('[data-testid="gallery-tile"]').count()).toBe(30);
    expect((await page.locator('[data-testid="message"][data-kind="info"]').allTextContents()).join()).toMatch(/refused direct calls to http:\/\/127\.0\.0\.1:\d+ \(CORS\)/);
    expect(await page.getByTestId('ei-facts').textContent()).toMatch(/via this server/);
    // the fake API still got the key (through the proxy), the storage never did
    expect(fake.requests.filter((r) => r.server === 'api' && r.method === 'GET').every((r) => r.headers['x-api-key'] === fake!.project.apiKey)).toBe(true);
    expect(fake.requests.filter((r) => r.server === 'storage').every((r) => !JSON.stringify(r.headers).includes(fake!.project.apiKey))).toBe(true);
  });

  it('a refused key is explained; the demo results already there stay', async () => {
    const { page, fake } = await start();
    await runAndWait(page, () => page.getByTestId('demo-button').click());
    await explain(page, fake.apiHost, 'ei_not_a_key');
    await page.waitForSelector('[data-testid="message"][data-kind="error"]');
    expect((await page.locator('[data-testid="message"][data-kind="error"]').allTextContents()).join()).toMatch(/The API key was refused \(Invalid API key\)/);
    expect(await page.locator('[data-testid="gallery-tile"]').count()).toBe(300);
  });

  it('Cancel stops the export wait; the app stays usable', async () => {
    const { page, fake } = await start({ jobHangs: true });
    await explain(page, fake.apiHost, fake.project.apiKey);
    await page.waitForFunction(() => /Waiting for the export job/.test(document.querySelector('[data-testid="ei-step"]')?.textContent ?? ''));
    await page.getByTestId('ei-cancel-button').click();
    await page.waitForSelector('[data-testid="ei-step"]', { state: 'detached' });
    expect(await page.getByTestId('ei-connect-button').isEnabled()).toBe(true);
    expect(await page.locator('[data-testid="message"][data-kind="error"]').count()).toBe(0);
    const polls = fake.requests.filter((r) => r.url.includes('/jobs/1234/status')).length;
    await page.waitForTimeout(2500);
    expect(fake.requests.filter((r) => r.url.includes('/jobs/1234/status')).length).toBe(polls); // polling stopped
    await runAndWait(page, () => page.getByTestId('demo-button').click());
  });

  it('a read-only key: warned up front, then told it cannot start an export', async () => {
    const { page, fake } = await start({ role: 'readonly' });
    await explain(page, fake.apiHost, fake.project.apiKey);
    await page.waitForSelector('[data-testid="message"][data-kind="error"]');
    expect((await page.locator('[data-testid="message"][data-kind="warning"]').allTextContents()).join()).toMatch(/role is "readonly".*usually needs an admin key/);
    expect((await page.locator('[data-testid="message"][data-kind="error"]').allTextContents()).join()).toMatch(/role is "readonly", which cannot start an export.*admin API key/);
    expect(await page.getByTestId('ei-facts').textContent()).toMatch(/key role readonly/);
  });

  it('remembers the key only when asked', async () => {
    const { page, fake } = await start({ hasImpulse: false });
    await page.getByTestId('ei-remember').check();
    await explain(page, fake.apiHost, fake.project.apiKey);
    await page.waitForSelector('[data-testid="message"][data-kind="error"]');
    expect((await page.locator('[data-testid="message"][data-kind="error"]').allTextContents()).join()).toMatch(/has no impulse yet/);
    expect(await page.evaluate(() => Object.values({ ...localStorage }))).toContain(fake.project.apiKey);
    await page.getByTestId('ei-remember').uncheck();
    expect(await page.evaluate(() => Object.values({ ...localStorage }))).not.toContain(fake.project.apiKey);
  });
});
