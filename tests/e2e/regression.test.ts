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

  it('the scatter of predicted against true opens a point; an error-histogram bar filters to its range', async () => {
    const { page } = app;
    await page.getByTestId('threshold-input').fill('0.1');
    const scatter = page.getByTestId('regression-scatter');
    expect(await scatter.getAttribute('data-points')).toBe('6');
    const state = await page.evaluate(() => {
      const s = (window as unknown as { gradcam: { getState(): { results: Record<string, { value: number }>; dataset: { samples: { id: string; label: string }[] } } } }).gradcam.getState();
      return s.dataset.samples.map((x) => ({ id: x.id, truth: Number(x.label), value: s.results[x.id].value }));
    });
    // click where the first sample is drawn: the same mapping the chart uses (320 px, 28 px margin)
    const lo = Number(await scatter.getAttribute('data-lo')), hi = Number(await scatter.getAttribute('data-hi'));
    const at = (v: number) => 28 + ((v - lo) / (hi - lo)) * (320 - 56);
    const target = state[0];
    await scatter.click({ position: { x: at(target.truth), y: 320 - at(target.value) } });
    await page.waitForSelector('[data-testid="detail"]');
    const opened = await page.getByTestId('detail').getAttribute('aria-label');
    const near = state.filter((p) => Math.hypot(at(p.truth) - at(target.truth), at(p.value) - at(target.value)) < 8).map((p) => p.id);
    expect(near).toContain(opened);
    await page.keyboard.press('Escape');

    // the bar holding the largest error: only images with an error in that bin remain
    const errors = state.map((p) => Math.abs(p.value - p.truth));
    const max = Math.max(...errors);
    await page.locator('[data-testid="error-histogram"] g').last().click();
    const expected = errors.filter((e) => e >= (max * 19) / 20 - 1e-9).length;
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="gallery-count"]')?.getAttribute('data-count')) === n, expected);
    expect(Number(await page.getByTestId('error-min').inputValue())).toBeCloseTo((max * 19) / 20, 2);
    await page.getByTestId('clear-filters').click();
    await page.getByTestId('error-max').fill(String(Math.min(...errors)));
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="gallery-count"]')?.getAttribute('data-count')) === 1);
    await page.getByTestId('clear-filters').click();
  });
});
