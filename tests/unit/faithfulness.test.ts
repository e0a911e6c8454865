// Faithfulness scores: the formulas on hand-checkable inputs, then the proof on the real
// DoodleNet and the demo's doodles, against a random map and a centred Gaussian.
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { auc, averageDropOf, baselineImage, gaussianBlur, mapInputs, minMax01, rankPixels, scoresFrom, sharedInputs, targetScore } from '../../src/methods/faithfulness';
import { referenceSaliency, saliencyAtInput, summarize } from '../../src/results/faithfulness';
import api from '../../src/engine/workerApi';
import { buildDataset } from '../../src/sources/datasets/dataset';
import { expandDrop } from '../../src/sources/datasets/files';
import { mapKey } from '../../src/methods/registry';
import { modelFiles } from '../helpers';

describe('faithfulness formulas', () => {
  it('trapezoid AUC over [0, 1], Average Drop and Increase, softmax of logits', () => {
    expect(auc([1, 1, 1])).toBe(1);
    expect(auc([1, 0])).toBe(0.5);
    expect(auc([1, 0.5, 0])).toBe(0.5);
    expect(auc([0.8, 0.2, 0.2, 0])).toBeCloseTo((0.5 + 0.2 + 0.1) / 3, 12);
    expect(averageDropOf(0.8, 0.6).averageDrop).toBeCloseTo(0.25, 12);
    expect(averageDropOf(0.8, 0.6).increase).toBe(false);
    expect(averageDropOf(0.5, 0.7)).toEqual({ averageDrop: 0, increase: true });
    expect(targetScore(Float32Array.from([0, Math.log(3)]), 1, 'linear', false)).toBeCloseTo(0.75, 6);
    expect(targetScore(Float32Array.from([0.1, 0.9]), 1, 'softmax', false)).toBeCloseTo(0.9, 6);
    expect(targetScore(Float32Array.from([2.5]), 0, 'linear', true)).toBe(2.5);
  });

  it('perturbed inputs of a 2×2 image, by hand: shared by every map, then kept by M, deleted and inserted highest first', () => {
    const x = Float32Array.from([10, 20, 30, 40]);
    const m = Float32Array.from([0.5, 1, 0, 0.25]);
    const blurred = Float32Array.from([1, 1, 1, 1]);
    const baseline = baselineImage('black', x, 1, [-1], blurred);
    expect([...baseline]).toEqual([-1, -1, -1, -1]);
    expect([...sharedInputs(x, baseline, blurred)]).toEqual([10, 20, 30, 40, -1, -1, -1, -1, 1, 1, 1, 1]); // x, all deleted, insertion's start
    const out = mapInputs(x, m, 1, baseline, blurred, 2);
    const at = (k: number) => [...out.subarray(4 * k, 4 * k + 4)];
    expect(rankPixels(m)).toEqual(Uint32Array.from([1, 0, 3, 2]));
    expect(at(0)).toEqual([10 * 0.5 - 0.5, 20, -1, 40 * 0.25 - 0.75]); // x·M + b·(1 − M)
    expect(at(1)).toEqual([-1, -1, 30, 40]); // deletion 1/2
    expect(at(2)).toEqual([10, 20, 1, 1]); // insertion 1/2
    expect(out.length).toBe(4 * (2 * 2 - 1));
    // f on the shared inputs (x, all deleted, blurred) and the map's: curves from f(x) to the baseline, and from the blur to f(x)
    const s = scoresFrom([0.9, 0.1, 0.2], [0.6, 0.5, 0.7], 2);
    expect(s).toMatchObject({ y: 0.9, o: 0.6, deletion: [0.9, 0.5, 0.1], insertion: [0.2, 0.7, 0.9] });
    expect(s.deletionAuc).toBeCloseTo((0.7 + 0.3) / 2, 12);
  });

  it('baselines: black per channel, the image\'s mean colour, or the blurred copy', () => {
    const x = Float32Array.from([0, 10, 2, 30, 4, 50]); // 3 pixels × 2 channels
    const blurred = Float32Array.from([1, 2, 3, 4, 5, 6]);
    expect([...baselineImage('black', x, 2, [-1, -2], blurred)]).toEqual([-1, -2, -1, -2, -1, -2]);
    expect([...baselineImage('mean', x, 2, [-1, -2], blurred)]).toEqual([2, 30, 2, 30, 2, 30]);
    expect(baselineImage('blur', x, 2, [-1, -2], blurred)).toBe(blurred);
  });

  it('a constant map: M is all zeros, so nothing ranks above anything (raster order) and "kept" is the baseline', () => {
    const m = minMax01(Float32Array.from([3, 3, 3, 3]));
    expect([...m]).toEqual([0, 0, 0, 0]);
    expect(rankPixels(m)).toEqual(Uint32Array.from([0, 1, 2, 3]));
    const out = mapInputs(Float32Array.from([5, 6, 7, 8]), m, 1, new Float32Array(4), new Float32Array(4), 4);
    expect([...out.subarray(0, 4)]).toEqual([0, 0, 0, 0]);
    expect([...out.subarray(4, 8)]).toEqual([0, 6, 7, 8]); // deletion removes pixels row by row
    // so Average Drop is 1 − f(baseline)/f(x) whenever the baseline scores lower
    const s = scoresFrom([0.8, 0.1, 0.3], [0.2, 0.6, 0.4, 0.2, 0.5, 0.7, 0.8], 4);
    expect(s.averageDrop).toBeCloseTo(0.75, 12);
    expect(s.deletionAuc).toBeCloseTo((0.7 + 0.5 + 0.3 + 0.15) / 4, 12);
    expect(s.insertionAuc).toBeCloseTo((0.4 + 0.6 + 0.75 + 0.8) / 4, 12);
  });

  it('the blur keeps a constant image and the mean of any image', () => {
    const flat = new Float32Array(8 * 6 * 3).fill(0.5);
    expect([...gaussianBlur(flat, 8, 6, 3, 1.5)].every((v) => Math.abs(v - 0.5) < 1e-6)).toBe(true);
  });
});

describe('faithfulness on DoodleNet and the demo doodles', () => {
  let images: { id: string; bytes: Uint8Array }[];
  beforeAll(async () => {
    await api.init('wasm');
    await api.loadModel(modelFiles('tfjs-doodlenet').filter((f) => f.name.endsWith('.json') || f.name.endsWith('.bin')), 'DoodleNet');
    const zip = new Uint8Array(fs.readFileSync('public/demo/quickdraw-test.zip'));
    const samples = buildDataset('demo', await expandDrop([{ path: 'demo.zip', bytes: zip }])).samples;
    images = samples.filter((_, i) => i % Number(process.env.EVERY ?? 5) === 0).map((s) => ({ id: s.id, bytes: s.bytes })); // 60 of 300, every class
  }, 60_000);

  it('HiResCAM beats the random map on deletion and insertion; Grad-CAM on insertion', async () => {
    const results = await api.explainImages(images);
    const requests = results.map((r, i) => {
      if ('error' in r) throw new Error(r.error);
      const at = (key: string) => saliencyAtInput(r.maps[key], r.gridWidth, r.gridHeight, 28, 28, { normalization: (process.env.NORM as 'percentile') ?? 'percentile', percentile: 99 });
      return { id: r.id, bytes: images[i].bytes, targetClass: r.targetIndex, saliencies: [at(mapKey('gradcam', 'mean')), at('hirescam'), referenceSaliency('random', r.gridWidth, r.gridHeight, 28, 28, i + 1), referenceSaliency('gaussian', r.gridWidth, r.gridHeight, 28, 28, 0), at(mapKey('gradcam', 'sum_abs'))] };
    });
    const t = performance.now();
    const scores = await api.faithfulness(requests);
    const ms = performance.now() - t;
    const column = (k: number) => summarize(scores.map((s) => ('scores' in s ? s.scores[k] : undefined)!))!;
    const [gradcam, hirescam, random, gaussian, sumAbs] = [0, 1, 2, 3, 4].map(column);
    const line = (name: string, s: typeof gradcam) => `${name.padEnd(9)} deletion ${s.deletion.mean.toFixed(3)} ± ${s.deletion.sd.toFixed(3)}, insertion ${s.insertion.mean.toFixed(3)} ± ${s.insertion.sd.toFixed(3)}, average drop ${s.averageDrop.toFixed(1)}, increase ${s.increase.toFixed(1)} %`;
    console.log(`faithfulness, ${images.length} doodles × 5 maps × 31 forward passes (and 3 an image) in ${(ms / 1000).toFixed(1)} s (wasm):\n${[line('Grad-CAM', gradcam), line('HiResCAM', hirescam), line('random', random), line('gaussian', gaussian), line('Grad-CAM sum_abs', sumAbs)].join('\n')}`);
    expect(hirescam.deletion.mean).toBeLessThan(random.deletion.mean);
    for (const m of [gradcam, hirescam]) expect(m.insertion.mean).toBeGreaterThan(random.insertion.mean);
    // Grad-CAM's deletion AUC is NOT below the random map's here (0.128 vs 0.122–0.131 for random maps under different seeds, over all 300):
    // its 7×7 blobs spill over the black background, where painting black removes nothing, so it
    // erases stroke pixels no faster than chance. Measured and reported, not asserted away.
    expect(gradcam.deletion.mean).toBeGreaterThan(hirescam.deletion.mean);
    // with the old block's pooling (the sum of |gradients|, which weighs channels by how much the
    // score reacts to them either way) Grad-CAM's maps do beat the random map on deletion
    expect(sumAbs.deletion.mean).toBeLessThan(random.deletion.mean);
    // the curves start at f(x) and end at the baseline (deletion) / the whole image (insertion)
    const one = scores[0] as { scores: { y: number; deletion: number[]; insertion: number[] }[] };
    expect(one.scores[0].deletion[0]).toBeCloseTo(one.scores[0].y, 5);
    expect(one.scores[0].insertion.at(-1)).toBeCloseTo(one.scores[0].y, 5);
  }, 300_000);

  it('other baselines and ROAD: seeded, the same on WASM and the CPU backend within 1e-4; ROAD ranks HiResCAM above the random map', async () => {
    const few = images.slice(0, 12);
    const results = await api.explainImages(few);
    const requests = results.map((r, i) => {
      if ('error' in r) throw new Error(r.error);
      return { id: r.id, bytes: few[i].bytes, targetClass: r.targetIndex, saliencies: [saliencyAtInput(r.maps.hirescam, r.gridWidth, r.gridHeight, 28, 28), referenceSaliency('random', r.gridWidth, r.gridHeight, 28, 28, i + 1)] };
    });
    const flat = (out: Awaited<ReturnType<typeof api.faithfulness>>) => out.flatMap((o) => ('scores' in o ? o.scores : []));
    const black = flat(await api.faithfulness(requests));
    const mean = flat(await api.faithfulness(requests, {}, { baseline: 'mean', road: false }));
    expect(mean.map((s) => s.deletionAuc)).not.toEqual(black.map((s) => s.deletionAuc));
    expect(mean.map((s) => s.insertionAuc)).toEqual(black.map((s) => s.insertionAuc)); // insertion starts from the blur whatever the baseline
    const t = performance.now();
    const wasm = flat(await api.faithfulness(requests, {}, { baseline: 'black', road: true }));
    const ms = performance.now() - t;
    expect(flat(await api.faithfulness(requests, {}, { baseline: 'black', road: true })).map((s) => s.road)).toEqual(wasm.map((s) => s.road)); // seeded noise
    expect(wasm.map((s) => s.deletionAuc)).toEqual(black.map((s) => s.deletionAuc)); // ROAD only adds
    const road = (k: number) => wasm.filter((_, i) => i % 2 === k).reduce((a, s) => a + s.road!, 0) / few.length;
    console.log(`ROAD, ${few.length} doodles × 2 maps in ${(ms / 1000).toFixed(1)} s: HiResCAM ${road(0).toFixed(3)}, random ${road(1).toFixed(3)}`);
    expect(road(0)).toBeGreaterThan(road(1));
    await api.init('cpu');
    await api.loadModel(modelFiles('tfjs-doodlenet').filter((f) => f.name.endsWith('.json') || f.name.endsWith('.bin')), 'DoodleNet');
    try {
      const cpu = flat(await api.faithfulness(requests.slice(0, 2), {}, { baseline: 'black', road: true })); // the CPU backend is slow: two images
      cpu.forEach((s, i) => {
        for (const k of ['y', 'o', 'deletionAuc', 'insertionAuc', 'road'] as const) expect(Math.abs(s[k] as number - (wasm[i][k] as number))).toBeLessThan(1e-4);
      });
    } finally {
      await api.init('wasm');
      await api.loadModel(modelFiles('tfjs-doodlenet').filter((f) => f.name.endsWith('.json') || f.name.endsWith('.bin')), 'DoodleNet');
    }
  }, 300_000);
});
