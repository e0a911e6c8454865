// End-to-end harness: the built app (dist/) served by `vite preview` on loopback, driven in
// Debian's Chromium through playwright-core.
import { preview, type PreviewServer } from 'vite';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** The page's read-only handle (src/main.tsx: window.gradcam), as tests read it. */
export interface PageState {
  run: { id: number; status: string; done: number; total: number };
  results: Record<string, { predictedIndex?: number; maps?: Record<string, Float32Array>; error?: string }>;
  resultRunIds: Record<string, number>;
}
declare global {
  interface Window {
    gradcam: { getState(): PageState };
    /** Scratch space for a test's in-page bookkeeping. */
    __kept: Map<string, unknown>;
  }
}

export interface App {
  url: string;
  browser: Browser;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
  /** Content-Security-Policy violations seen so far (the page's and its workers'); close() fails on any. */
  violations: string[];
  close(): Promise<void>;
}

/**
 * Records every Content-Security-Policy violation the page or one of its workers reports: the
 * console message Chromium writes for each, and the page's securitypolicyviolation events.
 */
export function watchPolicy(page: Page): string[] {
  const violations: string[] = [];
  const seen = (text: string) => /Content Security Policy/i.test(text) && violations.push(text);
  page.on('console', (m) => seen(m.text()));
  const report = (e: SecurityPolicyViolationEvent) => console.error(`Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
  void page.addInitScript(`document.addEventListener('securitypolicyviolation', ${report})`);
  // a worker's own violations reach no console Playwright sees: its listener reports them (installed as it starts)
  page.on('worker', (w) => {
    w.on('console', (m) => seen(m.text()));
    w.evaluate(`self.addEventListener('securitypolicyviolation', ${report})`).catch(() => {});
  });
  return violations;
}

/** Fails when the policy refused anything: the app must run under its own Content-Security-Policy. */
export function expectNoViolations(violations: string[]) {
  if (violations.length) throw new Error(`The page broke its Content-Security-Policy:\n${[...new Set(violations)].join('\n')}`);
}

export async function startApp(extraArgs: string[] = [], { headers = {} as Record<string, string> } = {}): Promise<App> {
  // extra response headers on everything served (the policy's own plugin sets index.html's)
  const withHeaders = { name: 'test-headers', enforce: 'pre' as const, configurePreviewServer: (s: PreviewServer) => void s.middlewares.use((_req, res, next) => { for (const [k, v] of Object.entries(headers)) res.setHeader(k, v); next(); }) };
  const server: PreviewServer = await preview({ preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'silent', plugins: [withHeaders] });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview server has no port');
  const url = `http://127.0.0.1:${address.port}/`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs], headless: true });
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const violations = watchPolicy(page);
  await page.goto(url);
  return {
    url,
    browser,
    page,
    errors,
    violations,
    async close() {
      await browser.close();
      await new Promise<void>((res) => server.httpServer.close(() => res()));
      expectNoViolations(violations);
    },
  };
}

/** The pure-JS CPU backend: slow enough to act in the middle of a run (press Cancel, reload). */
export async function onCpuBackend(page: Page) {
  await page.getByTestId('backend-select').selectOption('cpu');
  await page.waitForFunction(() => /Running on cpu/.test(document.querySelector('[data-testid="backend-status"]')?.textContent ?? ''));
}

/** The id of the latest run (0 before any). */
export async function runId(page: Page): Promise<number> {
  return page.evaluate(() => Number(document.querySelector('[data-testid="run-status"]')?.getAttribute('data-run-id') ?? 0));
}

/** Does `action`, then waits until a run newer than the one before has finished. */
export async function runAndWait(page: Page, action: () => Promise<unknown>, timeout = 240_000) {
  const before = await runId(page);
  await action();
  await page.waitForFunction(
    (prev) => {
      const el = document.querySelector('[data-testid="run-status"]');
      return !!el && Number(el.getAttribute('data-run-id')) > prev && ['done', 'failed', 'cancelled'].includes(el.getAttribute('data-status') ?? '');
    },
    before,
    { timeout },
  );
}

/** The app with the demo loaded and its run finished. */
export async function startWithDemo(): Promise<App> {
  const app = await startApp();
  await runAndWait(app.page, () => app.page.getByTestId('demo-button').click());
  return app;
}
