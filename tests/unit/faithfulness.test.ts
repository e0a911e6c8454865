// Faithfulness scores: the formulas on hand-checkable inputs, then the proof on the real
// DoodleNet and the demo's doodles, against a random map and a centred Gaussian.
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { auc, averageDropOf, gaussianBlur, minMax01, perturbedInputs, rankPixels, scoresFrom, targetScore } from '../../src/methods/faithfulness';
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

  it('perturbed inputs of a 2×2 image, by hand: kept by M, deleted and inserted highest first', () => {
    const x = Float32Array.from([10, 20, 30, 40]);
    const m = Float32Array.from([0.5, 1, 0, 0.25]);
    const blurred = Float32Array.from([1, 1, 1, 1]);
    const out = perturbedInputs(x, m, 1, [-1], blurred, 2);
    const at = (k: number) => [...out.subarray(4 * k, 4 * k + 4)];
    expect(rankPixels(m)).toEqual(Uint32Array.from([1, 0, 3, 2]));
    expect(at(0)).toEqual([10, 20, 30, 40]); // x
    expect(at(1)).toEqual([10 * 0.5 - 0.5, 20, -1, 40 * 0.25 - 0.75]); // x·M + b·(1 − M)
    expect([at(2), at(3), at(4)]).toEqual([[10, 20, 30, 40], [-1, -1, 30, 40], [-1, -1, -1, -1]]); // deletion, 0/2, 1/2, 2/2
    expect([at(5), at(6), at(7)]).toEqual([[1, 1, 1, 1], [10, 20, 1, 1], [10, 20, 30, 40]]); // insertion
    expect(out.length).toBe(4 * (2 * 2 + 4));
  });

  it('a constant map: M is all zeros, so nothing ranks above anything (raster order) and "kept" is the baseline', () => {
    const m = minMax01(Float32Array.from([3, 3, 3, 3]));
    expect([...m]).toEqual([0, 0, 0, 0]);
    expect(rankPixels(m)).toEqual(Uint32Array.from([0, 1, 2, 3]));
    const out = perturbedInputs(Float32Array.from([5, 6, 7, 8]), m, 1, [0], new Float32Array(4), 4);
    expect([...out.subarray(4, 8)]).toEqual([0, 0, 0, 0]);
    // so Average Drop is 1 − f(baseline)/f(x) whenever the baseline scores lower, and deletion removes pixels row by row
    const s = scoresFrom([0.8, 0.2, 0.8, 0.6, 0.4, 0.2, 0.1, 0.1, 0.3, 0.5, 0.7, 0.8], 4);
    expect(s.averageDrop).toBeCloseTo(0.75, 12);
    expect(s.deletionAuc).toBeCloseTo((0.7 + 0.5 + 0.3 + 0.15) / 4, 12);
    expect(s.insertionAuc).toBeCloseTo((0.2 + 0.4 + 0.6 + 0.75) / 4, 12);
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
      return { id: r.id, bytes: images[i].bytes, targetClass: r.targetIndex, saliencies: [at(mapKey('gradcam', 'mean')), at('hirescam'), referenceSaliency('random', r.gridWidth, r.gridHeight, 28, 28, i + 1), referenceSaliency('gaussian', r.gridWidth, r.gridHeight, 28, 28, 0)] };
    });
    const t = performance.now();
    const scores = await api.faithfulness(requests);
    const ms = performance.now() - t;
    const column = (k: number) => summarize(scores.map((s) => ('scores' in s ? s.scores[k] : undefined)!))!;
    const [gradcam, hirescam, random, gaussian] = [0, 1, 2, 3].map(column);
    const line = (name: string, s: typeof gradcam) => `${name.padEnd(9)} deletion ${s.deletion.mean.toFixed(3)} ± ${s.deletion.sd.toFixed(3)}, insertion ${s.insertion.mean.toFixed(3)} ± ${s.insertion.sd.toFixed(3)}, average drop ${s.averageDrop.toFixed(1)}, increase ${s.increase.toFixed(1)} %`;
    console.log(`faithfulness, ${images.length} doodles × 4 maps × 36 forward passes in ${(ms / 1000).toFixed(1)} s (wasm):\n${[line('Grad-CAM', gradcam), line('HiResCAM', hirescam), line('random', random), line('gaussian', gaussian)].join('\n')}`);
    expect(hirescam.deletion.mean).toBeLessThan(random.deletion.mean);
    for (const m of [gradcam, hirescam]) expect(m.insertion.mean).toBeGreaterThan(random.insertion.mean);
    // Grad-CAM's deletion AUC is NOT below the random map's here (0.128 vs 0.122 over all 300):
    // its 7×7 blobs spill over the black background, where painting black removes nothing, so it
    // erases stroke pixels no faster than chance. Measured and reported, not asserted away.
    expect(gradcam.deletion.mean).toBeGreaterThan(hirescam.deletion.mean);
    // the curves start at f(x) and end at the baseline (deletion) / the whole image (insertion)
    const one = scores[0] as { scores: { y: number; deletion: number[]; insertion: number[] }[] };
    expect(one.scores[0].deletion[0]).toBeCloseTo(one.scores[0].y, 5);
    expect(one.scores[0].insertion.at(-1)).toBeCloseTo(one.scores[0].y, 5);
  }, 300_000);
});
