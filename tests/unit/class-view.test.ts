// Class views' maths: the mean of small maps upsampled equals the mean of the upsampled maps (so
// averaging at grid size is exact), a mean image of real doodles, and the even spread of samples.
import { describe, expect, it } from 'vitest';
import { evenlySpaced, groupByLabel, MeanImage, meanMap } from '../../src/results/classView';
import { upsample } from '../../src/common/grid';
import { grayToRgba, quickdrawRows } from '../helpers';

describe('class views', () => {
  it('the mean map at grid size, upsampled, is the mean of the upsampled maps', () => {
    const maps = [Float32Array.from([0, 1, 0.5, 0.25]), Float32Array.from([1, 0, 0, 0.75]), Float32Array.from([0.2, 0.2, 0.9, 0.1])];
    const mean = meanMap(maps)!;
    expect([...mean].map((v) => +v.toFixed(6))).toEqual([0.4, 0.4, 0.466667, 0.366667]);
    const upMean = upsample(mean, 2, 2, 9, 7);
    const ups = maps.map((m) => upsample(m, 2, 2, 9, 7));
    for (let i = 0; i < upMean.length; i++) expect(upMean[i]).toBeCloseTo((ups[0][i] + ups[1][i] + ups[2][i]) / 3, 5);
    expect(meanMap([])).toBeUndefined();
    expect([...meanMap([Float32Array.from([1, 1]), Float32Array.from([0, 0, 0])])!]).toEqual([1, 1]); // another grid size is left out
  });

  it('the mean image of real doodles, pixel by pixel', () => {
    const rows = quickdrawRows('rainbow', 0, 5);
    const mean = new MeanImage(28, 28);
    for (const r of rows) mean.add(grayToRgba(r));
    const image = mean.image();
    expect(mean.count).toBe(5);
    for (const i of [0, 100, 391, 600, 783]) {
      const expected = Math.round(rows.reduce((s, r) => s + r[i], 0) / 5);
      expect([image.data[i * 4], image.data[i * 4 + 1], image.data[i * 4 + 2], image.data[i * 4 + 3]]).toEqual([expected, expected, expected, 255]);
    }
    expect(() => mean.add(grayToRgba(rows[0].subarray(0, 196), 14, 14))).toThrow(/14×14 is not 28×28/);
  });

  it('spreads the samples averaged over the whole class, first and last included', () => {
    const items = Array.from({ length: 1000 }, (_, i) => i);
    expect(evenlySpaced(items, 5)).toEqual([0, 250, 500, 749, 999]);
    expect(evenlySpaced(items.slice(0, 3), 64)).toEqual([0, 1, 2]);
    expect(new Set(evenlySpaced(items, 64)).size).toBe(64);
  });

  it('groups by true label, sorted, unlabelled together', () => {
    const g = groupByLabel(['b1', 'a1', 'b2', 'x'], (s) => (s === 'x' ? undefined : s[0]));
    expect(g).toEqual([{ label: '', items: ['x'] }, { label: 'a', items: ['a1'] }, { label: 'b', items: ['b1', 'b2'] }]);
  });
});
