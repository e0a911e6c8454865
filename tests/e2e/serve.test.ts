// The production server (dist-server/serve.js, plain Node): the built app and the Edge Impulse
// proxy from one process, bound to loopback by default; the Edge Impulse flow through its proxy
// against the fake API (which refuses cross-origin calls); the proxy's hardening.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, expectNoViolations, runAndWait, watchPolicy } from './harness';
import { startFakeEdgeImpulse, type FakeEdgeImpulse } from '../fake-ei/server';
import { doodleProject } from '../fake-ei/project';

let fake: FakeEdgeImpulse;
let server: ChildProcess;
let url: string;
let browser: Browser;
let redirector: http.Server;
let redirectorOrigin: string;
let secretOrigin: string;
let secret: http.Server;

const listen = (s: http.Server) => new Promise<string>((r) => s.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(s.address() as { port: number }).port}`)));

beforeAll(async () => {
  fake = await startFakeEdgeImpulse(await doodleProject({ cors: false }));
  // an allowed storage host that redirects to one that is not (what a hostile bucket would do)
  secret = http.createServer((_q, r) => r.end('internal secret'));
  secretOrigin = await listen(secret);
  redirector = http.createServer((_q, r) => r.writeHead(302, { location: `${secretOrigin}/latest/meta-data` }).end());
  redirectorOrigin = await listen(redirector);
  server = spawn(process.execPath, ['dist-server/serve.js'], { env: { ...process.env, PORT: '0', HOST: '', EI_PROXY_HOSTS: `${fake.apiHost},${fake.storageHost},${redirectorOrigin}` } });
  url = await new Promise<string>((resolve, reject) => {
    server.stdout!.on('data', (d: Buffer) => {
      const m = /on (http:\/\/\S+\/)/.exec(d.toString());
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`serve.js exited (${code})`)));
  });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
});
afterAll(async () => {
  await browser?.close();
  server?.kill();
  await fake?.close();
  await Promise.all([redirector, secret].map((s) => new Promise((r) => s?.close(r))));
});

describe('dist-server/serve.js', () => {
  it('binds to loopback unless told otherwise, and serves the app with cache and security headers', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    // the policy as a header, and index.html's meta tag rewritten to name the hosts this server was started with
    const policy = index.headers.get('content-security-policy') ?? '';
    expect(policy).toContain(`connect-src 'self' https://studio.edgeimpulse.com https://*.amazonaws.com ${fake.apiHost} ${fake.storageHost} ${redirectorOrigin};`);
    expect(policy).toMatch(/frame-ancestors 'none'$/);
    const html = await index.text();
    expect(html).toContain(`content="${policy.replace(/; frame-ancestors 'none'$/, '')}"`);
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)![1];
    const asset = await fetch(url + script);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect((await fetch(`${url}../../etc/passwd`)).status).toBe(404);
  });

  it('runs the Edge Impulse flow through its proxy when the API refuses cross-origin calls', async () => {
    const page = await browser.newPage();
    const violations = watchPolicy(page);
    await page.goto(url);
    await runAndWait(page, async () => {
      await page.locator('.edge-impulse summary').click();
      await page.getByTestId('ei-host-input').fill(fake.apiHost);
      await page.getByTestId('ei-key-input').fill(fake.project.apiKey);
      await page.getByTestId('ei-connect-button').click();
    });
    expect(await page.locator('[data-testid="gallery-tile"]').count()).toBe(30);
    expect(await page.getByTestId('ei-facts').textContent()).toMatch(/via this server/);
    await page.close();
    expectNoViolations(violations);
  });

  it('the proxy follows no redirect outside its allow-list, and bounds request bodies', async () => {
    const r = await fetch(`${url}ei-proxy-download?url=${encodeURIComponent(`${redirectorOrigin}/exports/x.zip`)}`);
    expect(r.status).toBe(502);
    expect((await r.json()).error).toMatch(new RegExp(`redirected to ${secretOrigin.replace(/[.:/]/g, '\\$&')}, which the proxy does not follow`));
    const big = await fetch(`${url}ei-proxy/${encodeURIComponent(fake.apiHost)}/v1/api/4242/jobs/export/original`, { method: 'POST', headers: { 'x-api-key': fake.project.apiKey }, body: new Uint8Array(2 * 1024 * 1024) });
    expect(big.status).toBe(413);
    const elsewhere = await fetch(`${url}ei-proxy/${encodeURIComponent('http://169.254.169.254')}/v1/api/projects`);
    expect(elsewhere.status).toBe(403);
  });
});
