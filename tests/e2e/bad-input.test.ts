// Bad input gets a specific message, the app stays usable, and finished results stay.
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAndWait, startWithDemo, type App } from './harness';
import { doodlePng, FIXTURES, quickdrawRows } from '../helpers';

let app: App;
beforeAll(async () => {
  app = await startWithDemo();
});
afterAll(async () => {
  await app?.close();
});

const tiles = () => app.page.locator('[data-testid="gallery-tile"]').count();
const messages = (kind: string) => app.page.locator(`[data-testid="message"][data-kind="${kind}"]`).allTextContents();
async function clearMessages() {
  for (const b of await app.page.locator('[data-testid="message"] button').all().then((l) => l.reverse())) await b.click();
}
const zipOf = async (files: Record<string, Uint8Array | string>) => {
  const z = new JSZip();
  for (const [p, b] of Object.entries(files)) z.file(p, b);
  return Buffer.from(await z.generateAsync({ type: 'uint8array' }));
};
const doodle = (cls: string, i: number) => doodlePng(quickdrawRows(cls, i, 1)[0]);

describe('bad input', () => {
  it('a file that is not a zip: names it, keeps the demo results', async () => {
    await app.page.getByTestId('dataset-input').setInputFiles({ name: 'holiday.zip', mimeType: 'application/zip', buffer: Buffer.from('PK\u0003\u0004 this is not really a zip') });
    await app.page.waitForSelector('[data-testid="message"][data-kind="error"]');
    expect((await messages('error')).join()).toMatch(/holiday.zip is not a readable zip file.*drop it again/);
    expect(await tiles()).toBe(300);
    await clearMessages();
  });

  it('a data set with no images: says so and what to drop instead', async () => {
    await app.page.getByTestId('dataset-input').setInputFiles({ name: 'notes.zip', mimeType: 'application/zip', buffer: await zipOf({ 'notes/readme.md': '# hi', 'notes/data.csv': 'a,b' }) });
    await app.page.waitForSelector('[data-testid="message"][data-kind="error"]');
    expect((await messages('error')).join()).toMatch(/notes.zip holds no images .*class folders/);
    expect(await tiles()).toBe(300);
    await clearMessages();
  });

  it('a model.json whose weights are missing: names the file, the previous model stays', async () => {
    const json = fs.readFileSync(path.join(FIXTURES, 'tfjs-doodlenet/model.json'));
    await app.page.getByTestId('model-input').setInputFiles({ name: 'model.json', mimeType: 'application/json', buffer: json });
    await app.page.waitForSelector('[data-testid="message"][data-kind="error"]');
    expect((await messages('error')).join()).toMatch(/needs the weight file "group1-shard1of1.bin".*previous model \(DoodleNet \(demo\)\) stays loaded/);
    expect(await app.page.getByTestId('model-summary').textContent()).toMatch(/DoodleNet \(demo\)/);
    expect(await tiles()).toBe(300);
    await clearMessages();
  });

  it('an image that will not decode and a label the model does not know: the rest still runs', async () => {
    const data = await zipOf({
      'set/bowtie/1.png': doodle('bowtie', 1),
      'set/bowtie/2.png': doodle('bowtie', 2),
      'set/rainbow/1.png': doodle('rainbow', 1),
      'set/rainbow/broken.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]),
      'set/unicorn/1.png': doodle('lollipop', 3),
    });
    await runAndWait(app.page, () => app.page.getByTestId('dataset-input').setInputFiles({ name: 'set.zip', mimeType: 'application/zip', buffer: data }));
    expect(await tiles()).toBe(4);
    expect((await messages('warning')).join()).toMatch(/Label "unicorn" \(1 image, e.g. unicorn\/1.png\) is not one of the model's 345 classes/);
    expect((await messages('error')).join()).toMatch(/rainbow\/broken.png: the image could not be decoded/);
    expect(await app.page.getByTestId('run-label').textContent()).toMatch(/5 \/ 5 images.*1 could not be read/);
    expect(app.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });

  it('limits: a PNG header claiming 30,000 × 30,000 fails alone without being decoded; a zip over the limit set under Advanced is refused by name', async () => {
    const { page } = app;
    await clearMessages();
    const bomb = doodle('bowtie', 4).slice();
    new DataView(bomb.buffer).setUint32(16, 30_000);
    new DataView(bomb.buffer).setUint32(20, 30_000);
    const data = await zipOf({ 'set/bowtie/1.png': doodle('bowtie', 1), 'set/bowtie/huge.png': bomb, 'set/rainbow/1.png': doodle('rainbow', 1) });
    await runAndWait(page, () => page.getByTestId('dataset-input').setInputFiles({ name: 'bomb.zip', mimeType: 'application/zip', buffer: data }));
    expect(await tiles()).toBe(2);
    expect((await messages('error')).join()).toMatch(/huge\.png: the image is 30,000 × 30,000 pixels \(900 Mpx\), more than the limit of 100 Mpx for one image \(raise "Largest image" under Advanced/);
    expect(await page.getByTestId('run-label').textContent()).toMatch(/3 \/ 3 images.*1 could not be read/);

    await clearMessages();
    await page.locator('details.advanced > summary').click();
    await page.getByTestId('limit-zipBytes').fill('0.01'); // 10 kB
    await page.getByTestId('dataset-input').setInputFiles({ name: 'big.zip', mimeType: 'application/zip', buffer: await zipOf({ 'set/a/1.png': new Uint8Array(64 * 1024) }) });
    await page.waitForSelector('[data-testid="message"][data-kind="error"]');
    expect((await messages('error')).join()).toMatch(/big\.zip would unpack to 64 kB, more than the limit of 11 kB \(raise "Largest unpacked zip" under Advanced/);
    expect(await tiles()).toBe(2); // what was there stays
    await page.getByTestId('limit-zipBytes').fill('8192');
    expect(app.errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
