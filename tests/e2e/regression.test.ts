// A regression model (one linear output) in the app: values shown, the threshold re-sorts the
// gallery without recomputing, "what lowers the value" recomputes.
import * as tf from '@tensorflow/tfjs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAndWait, runId, startApp, type App } from './harness';
import { doodlePng, quickdrawRows } from '../helpers';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

/** A small conv → GAP → Dense(1) model saved by tfjs-layers itself (model.json + weights.bin). */
async function regressionModelFiles() {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }), name: 'features' }),
      tf.layers.globalAveragePooling2d({ name: 'pool' }),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotNormal({ seed: 4 }), name: 'value' }),
    ],
  });
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  const json = { format: 'layers-model', modelTopology: artifacts!.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts!.weightSpecs }] };
  return [
    { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) },
    { name: 'weights.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(artifacts!.weightData as ArrayBuffer) },
  ];
}

describe('a regression model', () => {
  it('shows values; the threshold re-sorts without recomputing; "what lowers the value" recomputes', async () => {
    const { page } = app;
    await page.getByTestId('model-input').setInputFiles(await regressionModelFiles());
    await page.waitForFunction(() => document.querySelector('[data-testid="model-summary"]')?.textContent?.includes('regression'));
    const zip = new JSZip();
    quickdrawRows('rainbow', 100, 6).forEach((row, i) => zip.file(`values/${i < 3 ? '0.5' : '2.5'}/${i}.png`, doodlePng(row)));
    const data = Buffer.from(await zip.generateAsync({ type: 'uint8array' }));
    await runAndWait(page, () => page.getByTestId('dataset-input').setInputFiles({ name: 'values.zip', mimeType: 'application/zip', buffer: data }));
    expect(await page.locator('[data-testid="gallery-tile"]').count()).toBe(6);
    const id = await runId(page);
    await page.getByTestId('threshold-input').fill('1000');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="gallery-tile"][data-verdict="correct"]').length === 6);
    await page.getByTestId('threshold-input').fill('0');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="gallery-tile"][data-verdict="incorrect"]').length === 6);
    expect(await runId(page)).toBe(id);
    await page.locator('[data-testid="gallery-tile"]').first().click();
    expect(await page.getByTestId('detail-confidence').textContent()).toMatch(/^-?\d+\.\d{4}$/);
    await page.keyboard.press('Escape');
    await runAndWait(page, () => page.getByTestId('target-select').selectOption('lower'));
    expect(await runId(page)).toBe(id + 1);
  });
});
