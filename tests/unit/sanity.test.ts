// Sanity checks (Adebayo et al. 2018) through the engine's API, on DoodleNet and real doodles:
// re-initialising the top layers changes the class-sensitive maps; Eigen-CAM, which ignores the
// class, gives the same map for any class; the rank correlation itself is checked by hand.
import { beforeAll, describe, expect, it } from 'vitest';
import api from '../../src/engine/workerApi';
import { spearman } from '../../src/methods/rank';
import { mapKey } from '../../src/methods/registry';
import { doodlePng, modelFiles, QUICKDRAW_CLASSES, quickdrawRows } from '../helpers';

describe('rank correlation', () => {
  it('is 1 for the same order, −1 for the reverse, averages ties, and 0 against a constant', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // ranks [1, 2.5, 2.5, 4] (0-based: 0, 1.5, 1.5, 3) against [1, 2, 3, 4]: 0.9486832981
    expect(spearman([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(0.9486832981, 9);
    expect(spearman([5, 5, 5], [1, 2, 3])).toBe(0);
  });
});

describe('sanity checks on DoodleNet', () => {
  beforeAll(async () => {
    await api.init('wasm');
    await api.loadModel(modelFiles('tfjs-doodlenet'), 'doodlenet');
  }, 120_000);

  it('model randomisation lowers the class-sensitive maps\' correlation; class randomisation leaves Eigen-CAM unchanged', async () => {
    const images = QUICKDRAW_CLASSES.flatMap((cls) => quickdrawRows(cls, 60, 4).map((row, i) => ({ id: `${cls}/${i}`, bytes: doodlePng(row) })));
    const report = await api.sanityChecks(images, {}, 2);
    const g = mapKey('gradcam'), eigen = mapKey('eigencam');
    console.log(`sanity, ${report.images} doodles, layers ${report.layers.join(' → ')}: Grad-CAM ρ ${report.model[g].map((r) => r.toFixed(3)).join(' → ')}, class ρ ${report.classes[g].toFixed(3)}; Eigen-CAM ρ ${report.model[eigen].map((r) => r.toFixed(3)).join(' → ')}, class ρ ${report.classes[eigen].toFixed(3)}`);
    expect(report.images).toBe(12);
    expect(report.layers).toHaveLength(2);
    expect(report.model[g]).toHaveLength(2);
    expect(report.model[g][1]).toBeLessThan(0.5); // the map depends on the model's top layers
    expect(report.classes[g]).toBeLessThan(0.9); // and on the class
    expect(report.classes[eigen]).toBeCloseTo(1, 6); // Eigen-CAM does not look at the class
    // the same numbers on a second call: seeded
    const again = await api.sanityChecks(images, {}, 2);
    expect(again.model[g]).toEqual(report.model[g]);
    expect(again.classes[g]).toEqual(report.classes[g]);
  }, 120_000);

  it('checks the maps as the run makes them: fused from finer layers and smoothed, and says so', async () => {
    const images = QUICKDRAW_CLASSES.flatMap((cls) => quickdrawRows(cls, 60, 2).map((row, i) => ({ id: `${cls}/${i}`, bytes: doodlePng(row) })));
    const plain = await api.sanityChecks(images, {}, 2);
    const finer = await api.sanityChecks(images, { layers: ['conv2d_5', 'conv2d_3'], fusion: 'max', smooth: 'eigen' }, 2);
    const g = mapKey('gradcam');
    console.log(`sanity on fused, eigen-smoothed maps: Grad-CAM ρ ${finer.model[g].map((r) => r.toFixed(3)).join(' → ')} (plain ${plain.model[g].map((r) => r.toFixed(3)).join(' → ')})`);
    expect(plain.maps).toEqual({ layers: ['conv2d_5'] });
    expect(finer.maps).toEqual({ layers: ['conv2d_5', 'conv2d_3'], fusion: 'max', smooth: 'eigen' });
    expect(finer.model[g]).not.toEqual(plain.model[g]);
    expect(finer.model[g][1]).toBeLessThan(0.5);
  }, 120_000);
});
