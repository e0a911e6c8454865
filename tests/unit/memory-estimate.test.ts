// The memory estimate a run is warned with: hand-computed parts, and the page's budget.
import { describe, expect, it } from 'vitest';
import { estimateRunMemory, pageBudgetMB } from '../../src/common/memoryEstimate';

describe('memory estimate', () => {
  it('adds the parts: 10,000 DoodleNet doodles', () => {
    // 4.6 MB zip; ~1.3 M parameters; 3×3 grid, 7 maps; 28×28×1 inputs, batches of 32
    const e = estimateRunMemory({ images: 10_000, datasetBytes: 4.6 * 1024 * 1024, modelParams: 1_300_000, gridCells: 9, mapsPerImage: 7, inputValues: 28 * 28, batch: 32 });
    expect(e.dataset).toBe(5);
    expect(e.model).toBe(Math.ceil((3 * 4 * 1_300_000) / 1048576)); // 15
    expect(e.results).toBe(Math.ceil((10_000 * (4 * 7 * 9 + 200 + 1024)) / 1048576)); // 15
    expect(e.batches).toBe(Math.ceil((3 * 32 * 784 * 4 * 30) / 1048576)); // 9
    expect(e.total).toBe(600 + 5 + 15 + 15 + 100 + 9);
  });
  it('a data set of 40,000 photos in a 6 GB zip needs more than a tab gets', () => {
    const e = estimateRunMemory({ images: 40_000, datasetBytes: 6 * 1024 ** 3, modelParams: 250_000, gridCells: 9, mapsPerImage: 7, inputValues: 96 * 96 * 3, batch: 32 });
    expect(e.total).toBeGreaterThan(pageBudgetMB(8)!);
  });
  it('budget: half the device memory, at most 4 GB, the smaller of what the browser says', () => {
    expect(pageBudgetMB(8)).toBe(4096);
    expect(pageBudgetMB(4)).toBe(2048);
    expect(pageBudgetMB(2, 4 * 1024 ** 3)).toBe(1024);
    expect(pageBudgetMB(undefined, 2 * 1024 ** 3)).toBe(2048);
    expect(pageBudgetMB(undefined)).toBeUndefined();
  });
});
