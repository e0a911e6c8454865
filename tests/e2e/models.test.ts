// Opening the models users have, in the browser: Keras .h5, Keras 3 .keras, Edge Impulse zips.
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAndWait, startApp, type App } from './harness';
import { FIXTURES, classFolderZip } from '../helpers';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

const fixture = (dir: string, name: string) => fs.readFileSync(path.join(FIXTURES, dir, name));

describe('models in the browser', () => {
  it('a Keras .h5 (DoodleNet) explains a data set, with the model described', async () => {
    const { page } = app;
    await page.getByTestId('model-input').setInputFiles([
      { name: 'doodleNet-model.h5', mimeType: 'application/octet-stream', buffer: fixture('keras-h5-doodlenet', 'doodleNet-model.h5') },
      { name: 'class_names.txt', mimeType: 'text/plain', buffer: fixture('keras-h5-doodlenet', 'class_names.txt') },
    ]);
    await page.waitForSelector('[data-testid="model-summary"]');
    expect(await page.getByTestId('model-summary').textContent()).toMatch(/Keras HDF5 \(\.h5\).*28×28, 1 channel \(grayscale\).*classification, 345 classes/);
    const zip = Buffer.from(await classFolderZip(5, 4000));
    await runAndWait(page, () => page.getByTestId('dataset-input').setInputFiles({ name: 'doodles.zip', mimeType: 'application/zip', buffer: zip }));
    const correct = await page.locator('[data-testid="gallery-tile"][data-verdict="correct"]').count();
    expect(correct).toBeGreaterThanOrEqual(10);
  });

  it('an Edge Impulse model zip (model.h5 inside) replaces it', async () => {
    const { page } = app;
    const zip = new JSZip();
    zip.file('model.h5', fixture('keras-h5-mlperf-vww-mobilenetv1', 'vww_96.h5'));
    await page.getByTestId('model-input').setInputFiles({ name: 'ei-tflite-h5.zip', mimeType: 'application/zip', buffer: Buffer.from(await zip.generateAsync({ type: 'uint8array' })) });
    await page.waitForFunction(() => document.querySelector('[data-testid="model-summary"]')?.textContent?.includes('ei-tflite-h5.zip'));
    expect(await page.getByTestId('model-summary').textContent()).toMatch(/96×96, 3 channels \(RGB\).*classification, 2 classes/);
    // the data set's 3 labels do not fit a 2-class model: the user is told
    expect((await page.locator('[data-testid="message"][data-kind="warning"]').allTextContents()).join()).toMatch(/The model has 2 outputs but 3 class names are known/);
  });

  it('a Keras 3 .keras file is read; a broken one is named and the previous model stays', async () => {
    const { page } = app;
    await page.getByTestId('model-input').setInputFiles({ name: 'model.keras', mimeType: 'application/octet-stream', buffer: fixture('keras3-mnist-cnn', 'model.keras') });
    await page.waitForFunction(() => document.querySelector('[data-testid="model-summary"]')?.textContent?.includes('Keras 3'));
    const bad = fixture('keras-h5-doodlenet', 'doodleNet-model.h5').subarray(0, 200_000);
    await page.getByTestId('model-input').setInputFiles({ name: 'cut.h5', mimeType: 'application/octet-stream', buffer: bad });
    await page.waitForSelector('[data-testid="message"][data-kind="error"]');
    expect((await page.locator('[data-testid="message"][data-kind="error"]').allTextContents()).join()).toMatch(/cut.h5.*(damaged or truncated|could not).*previous model \(model.keras\) stays loaded/);
    expect(await page.getByTestId('model-summary').textContent()).toMatch(/Keras 3/);
  });
});
