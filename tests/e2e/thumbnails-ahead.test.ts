// After a run, the gallery's images are decoded ahead while the page is idle, so a scroll, a
// matrix cell or another order finds its tiles' images ready rather than waiting for decodes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAndWait, startApp, type App } from './harness';

let app: App;
beforeAll(async () => {
  app = await startApp();
  // count the thumbnails the page asks its preparation workers for (comlink calls by name)
  await app.page.addInitScript(() => {
    const w = window as unknown as { thumbnailsAsked: number };
    w.thumbnailsAsked = 0;
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: unknown[]) {
      if ((message as { path?: string[] } | null)?.path?.join('.') === 'thumbnail') w.thumbnailsAsked++;
      return (post as (...a: unknown[]) => void).call(this, message, ...rest);
    };
  });
  await app.page.reload();
});
afterAll(async () => {
  await app?.close();
});

const asked = () => app.page.evaluate(() => (window as unknown as { thumbnailsAsked: number }).thumbnailsAsked);

it('decodes every tile image of the demo ahead after its run, and a scroll to the end asks for none', async () => {
  const { page } = app;
  await runAndWait(page, () => page.getByTestId('demo-button').click());
  const total = Number(await page.getByTestId('accuracy').getAttribute('data-total'));
  expect(total).toBe(300);
  // only the tiles near the screen are painted, yet every image is decoded, each once
  await expect.poll(asked, { timeout: 30_000 }).toBe(total);
  const painted = await page.locator('[data-testid="gallery-tile"][data-painted]').count();
  expect(painted).toBeGreaterThan(0);
  expect(painted).toBeLessThan(total / 2);
  // the last tiles, never near the screen before, are painted from the images decoded ahead
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.waitForFunction(() => {
    const shown = [...document.querySelectorAll<HTMLElement>('[data-testid="gallery-tile"]')].filter((t) => {
      const r = t.getBoundingClientRect();
      return r.bottom > 0 && r.top < innerHeight;
    });
    return shown.length > 0 && shown.every((t) => t.dataset.painted);
  });
  expect(await page.locator('[data-testid="gallery-tile"]').last().getAttribute('data-painted')).toBeTruthy();
  expect(await asked()).toBe(total);
  expect(app.errors).toEqual([]);
});
