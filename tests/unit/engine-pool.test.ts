// The command line's engines drawing each overlay while they explain its image (one decode, not
// two): the PNG kept for the export is the one the export would draw itself, byte for byte; the
// budget stops the drawing; a remembered decode is reused only for the bytes named.
import { beforeAll, describe, expect, it } from 'vitest';
import api from '../../src/engine/workerApi';
import { startEngines, type Engines } from '../../src/cli/enginePool';
import { overlayPngNode as overlayPng } from '../../src/cli/png'; // what the command line's export draws
import { zipCrc } from '../../src/common/zipCrc';
import { decodeImage, rememberDecodesOf } from '../../src/image/decode';
import { DEFAULT_VIEW, rawMapOf } from '../../src/results/view';
import type { Explanation, SampleResult } from '../../src/engine/types';
import { preparersGiven } from '../../src/engine/preparePool';
import { modelFiles, photoJpeg, QUICKDRAW_CLASSES, quickdrawRows } from '../helpers';

describe('overlays drawn while explaining (the command line)', () => {
  let engines: Engines;
  let images: { id: string; bytes: Uint8Array }[];
  beforeAll(async () => {
    // one job: the in-process engine, set up as the command line sets it up
    await api.init('wasm');
    await api.loadModel(modelFiles('keras-h5-mlperf-vww-mobilenetv1'), 'vww');
    engines = await startEngines(undefined, 1, 'wasm', { files: [], name: 'vww' }, () => undefined);
    images = await Promise.all(QUICKDRAW_CLASSES.flatMap((cls, c) => quickdrawRows(cls, 20, 2).map(async (row, i) => ({ id: `${cls}/${i}.jpg`, bytes: await photoJpeg(row, 10 * c + i) }))));
  }, 120_000);

  it('keeps the very PNG the export would draw, and stops at the budget', async () => {
    const geometry = { width: 96, height: 96, resizeMode: 'squash' as const, resizeMethod: 'bilinear' as const };
    const view = { ...DEFAULT_VIEW, alpha: 0.5, colormap: 'viridis' as const };
    engines.drawWhileExplaining({ view, geometry }, 1);
    const first = await engines.explainImages(images.slice(0, 3), {});
    const rest = await engines.explainImages(images.slice(3), {}); // the budget (1 byte) is spent: drawn at export time
    for (const [k, r] of [...first, ...rest].entries()) {
      const late = await overlayPng({ bytes: images[k].bytes, map: rawMapOf(r as Explanation, view)!, gridWidth: (r as Explanation).gridWidth, gridHeight: (r as Explanation).gridHeight, view, geometry });
      const kept = engines.takeOverlay(r.id);
      if (k < 3) expect(kept).toEqual({ png: late, crc: zipCrc(late) }); // summed for the zip where it was drawn
      else expect(kept).toBeUndefined();
    }
    expect(engines.takeOverlay(first[0].id)).toBeUndefined(); // handed over once
  });

  it('a remembered decode is reused for the same bytes only', async () => {
    const bytes = images[0].bytes.slice();
    const other = images[0].bytes.slice();
    rememberDecodesOf([bytes]);
    expect(await decodeImage(bytes)).toBe(await decodeImage(bytes));
    expect(await decodeImage(other)).not.toBe(await decodeImage(other));
  });
});

describe('one engine fed by helper threads (the layout on a GPU, here on WASM)', () => {
  it('the threads prepare its images and draw the overlays; the answers are the in-process ones', async () => {
    // the built command line serves the threads (npm test builds it first)
    const entry = new URL('../../dist-cli/main.js', import.meta.url);
    await api.init('wasm');
    await api.loadModel(modelFiles('keras-h5-mlperf-vww-mobilenetv1'), 'vww');
    const images = await Promise.all(QUICKDRAW_CLASSES.flatMap((cls, c) => quickdrawRows(cls, 4, 5).map(async (row, i) => ({ id: `${cls}/${i}.jpg`, bytes: await photoJpeg(row, 7 * c + i) }))));
    const alone = await api.explainImages(images, {});
    const engines = await startEngines(entry, 3, 'wasm', { files: [], name: 'vww' }, (l) => { throw new Error(l); }, true);
    let helped: SampleResult[];
    try {
      expect([engines.count, engines.helpers, engines.drawers, preparersGiven()]).toEqual([1, 2, 2, 2]);
      engines.drawWhileExplaining({ view: DEFAULT_VIEW }, 1 << 30); // not in this layout: the helpers draw at export
      helped = await engines.explainImages(images, {});
      expect(engines.takeOverlay(images[0].id)).toBeUndefined();
      const r = helped[0] as Explanation;
      const job = { bytes: images[0].bytes, map: rawMapOf(r, DEFAULT_VIEW)!, gridWidth: r.gridWidth, gridHeight: r.gridHeight, view: DEFAULT_VIEW };
      const drawn = await Promise.all([1, 2].map(() => engines.overlayPng(job))); // on each of the two drawers
      const late = await overlayPng(job);
      for (const made of drawn) expect(made).toEqual({ png: late, crc: zipCrc(late) });
    } finally {
      await engines.close();
    }
    expect(preparersGiven()).toBe(0);
    expect(helped).toEqual(alone);
  }, 120_000);
});
