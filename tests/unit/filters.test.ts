// Gallery filters and the confusion matrix (results/filters.ts).
import { describe, expect, it } from 'vitest';
import { noBetterThanRandom } from '../../src/results/faithfulness';
import { confusionMatrix, errorOf, fullestCells, histogramByVerdict, isFiltering, matchesFilters, sortItems, worstCells } from '../../src/results/filters';

const items = [
  { path: 'a/cat.1.png', label: 'cat', predicted: 'cat', verdict: 'correct' as const },
  { path: 'a/cat.2.png', label: 'cat', predicted: 'dog', verdict: 'incorrect' as const },
  { path: 'a/cat.3.png', label: 'cat', predicted: 'dog', verdict: 'incorrect' as const },
  { path: 'b/Dog.1.png', label: 'dog', predicted: 'dog', verdict: 'correct' as const },
  { path: 'b/dog.2.png', label: 'dog', predicted: 'fox', verdict: 'incorrect' as const },
  { path: 'c/none.png', predicted: 'cat', verdict: 'incorrect' as const },
];

describe('gallery filters', () => {
  it('combine: every given field must match; search ignores case', () => {
    expect(isFiltering({})).toBe(false);
    expect(isFiltering({ search: '' })).toBe(false);
    const pick = (f: Parameters<typeof matchesFilters>[1]) => items.filter((x) => matchesFilters(x, f)).map((x) => x.path);
    expect(pick({ trueLabel: 'cat', predicted: 'dog' })).toEqual(['a/cat.2.png', 'a/cat.3.png']);
    expect(pick({ verdict: 'correct' })).toEqual(['a/cat.1.png', 'b/Dog.1.png']);
    expect(pick({ search: 'DOG' })).toEqual(['b/Dog.1.png', 'b/dog.2.png']);
    expect(pick({ search: 'dog', verdict: 'incorrect' })).toEqual(['b/dog.2.png']);
    expect(pick({ trueLabel: '' })).toEqual(['c/none.png']); // no label
  });
});

describe('confusion matrix', () => {
  it('has actual classes in rows and predicted in columns, over every class that occurs', () => {
    const m = confusionMatrix(items);
    expect(m.actual).toEqual(['cat', 'dog']); // fox is only ever predicted; the unlabelled sample is left out
    expect(m.predicted).toEqual(['cat', 'dog', 'fox']);
    expect(m.counts).toEqual([
      [1, 2, 0],
      [0, 1, 1],
    ]);
    expect(m.rowTotals).toEqual([3, 2]);
    // a cell's count is what its filters leave
    m.actual.forEach((a, i) => m.predicted.forEach((p, j) => expect(items.filter((x) => matchesFilters(x, { trueLabel: a, predicted: p })).length).toBe(m.counts[i][j])));
  });

  it('lists the worst mistakes first', () => {
    expect(worstCells(confusionMatrix(items))).toEqual([
      { actual: 'cat', predicted: 'dog', count: 2, rate: 2 / 3 },
      { actual: 'dog', predicted: 'fox', count: 1, rate: 1 / 2 },
    ]);
  });
});

describe('sorting and the confidence range', () => {
  const scored = [
    { path: 'b.png', label: 'cat', predicted: 'cat', verdict: 'correct' as const, confidence: 0.9 },
    { path: 'a.png', label: 'dog', predicted: 'cat', verdict: 'incorrect' as const, confidence: 0.4 },
    { path: 'c.png', label: 'cat', predicted: 'dog', verdict: 'incorrect' as const, confidence: 0.9 },
  ];
  const order = (s: Parameters<typeof sortItems>[1]) => sortItems(scored, s, (x) => x).map((x) => x.path);
  it('orders by confidence either way (ties keep data-set order), label or file name', () => {
    expect(order('verdict')).toEqual(['b.png', 'a.png', 'c.png']);
    expect(order('confidence-asc')).toEqual(['a.png', 'b.png', 'c.png']);
    expect(order('confidence-desc')).toEqual(['b.png', 'c.png', 'a.png']);
    expect(order('label')).toEqual(['b.png', 'c.png', 'a.png']);
    expect(order('file')).toEqual(['a.png', 'b.png', 'c.png']);
  });
  it('orders by ROAD, least faithful first (unscored last); keeps only maps no better than the random map', () => {
    const faith = scored.map((x, i) => ({ ...x, road: [0.2, undefined, -0.1][i], unfaithful: i === 1 }));
    expect(sortItems(faith, 'road-asc', (x) => x).map((x) => x.path)).toEqual(['c.png', 'b.png', 'a.png']);
    expect(faith.filter((x) => matchesFilters(x, { unfaithful: true })).map((x) => x.path)).toEqual(['a.png']);
    expect(isFiltering({ unfaithful: true })).toBe(true);
    const mine = { deletionAuc: 0.2, insertionAuc: 0.1 }, random = { deletionAuc: 0.1, insertionAuc: 0.3 };
    expect(noBetterThanRandom(mine as never, random as never)).toBe(true);
    expect(noBetterThanRandom(random as never, mine as never)).toBe(false);
    expect(noBetterThanRandom(mine as never, undefined)).toBe(false); // not scored: not marked
  });
  it('orders regression by absolute error, largest first', () => {
    const reg = [
      { path: 'x', label: '2', predicted: '2.5', verdict: 'correct' as const, value: 2.5 },
      { path: 'y', label: '2', predicted: '5', verdict: 'incorrect' as const, value: 5 },
      { path: 'z', label: '2', predicted: '0', verdict: 'incorrect' as const, value: 0 },
    ];
    expect(sortItems(reg, 'error-desc', (x) => x).map((x) => x.path)).toEqual(['y', 'z', 'x']);
    const pick = (f: Parameters<typeof matchesFilters>[1]) => reg.filter((x) => matchesFilters(x, f)).map((x) => x.path);
    expect(pick({ errorMin: 2 })).toEqual(['y', 'z']);
    expect(pick({ errorMin: 0.5, errorMax: 2 })).toEqual(['x', 'z']);
    expect(pick({ errorMax: 1 })).toEqual(['x']);
    expect(isFiltering({ errorMax: 1 })).toBe(true);
    expect(errorOf({ value: 1, label: undefined })).toBeNaN();
    expect(errorOf({ value: 1, label: ' ' })).toBeNaN();
  });
  it('counts correct and incorrect per bin, ends clamped, NaN left out', () => {
    const points = [0, 0.05, 0.5, 0.99, 1, 1.5, -0.2, NaN].map((x, i) => ({ x, verdict: i % 2 ? ('correct' as const) : ('incorrect' as const) }));
    expect(histogramByVerdict(points, 4, 0, 1)).toEqual({ correct: [1, 0, 0, 2], incorrect: [2, 0, 1, 1] });
  });
  it('keeps confidences within the range, ends included', () => {
    const pick = (f: Parameters<typeof matchesFilters>[1]) => scored.filter((x) => matchesFilters(x, f)).map((x) => x.path);
    expect(pick({ confidenceMin: 0.5 })).toEqual(['b.png', 'c.png']);
    expect(pick({ confidenceMax: 0.4 })).toEqual(['a.png']);
    expect(pick({ confidenceMin: 0.4, confidenceMax: 0.9, verdict: 'incorrect' })).toEqual(['a.png', 'c.png']);
    expect(isFiltering({ confidenceMin: 0 })).toBe(true);
  });
});

describe('the fullest confusion cells (their first images are decoded ahead)', () => {
  it('gives the first items of the fullest cells, fullest first, each in the order given', () => {
    const items = [
      { id: 1, label: 'cat', predicted: 'cat' },
      { id: 2, label: 'dog', predicted: 'cat' },
      { id: 3, label: 'cat', predicted: 'cat' },
      { id: 4, label: 'dog', predicted: 'dog' },
      { id: 5, label: 'cat', predicted: 'cat' },
      { id: 6, label: 'dog', predicted: 'dog' },
      { id: 7, label: undefined, predicted: 'cat' },
    ];
    const ids = (xs: typeof items) => xs.map((x) => x.id);
    // cat→cat (3), dog→dog (2), then cells of one; two items a cell, two cells
    expect(ids(fullestCells(items, (x) => x, 2, 2))).toEqual([1, 3, 4, 6]);
    expect(ids(fullestCells(items, (x) => x, 1, 10))).toEqual([1, 4, 2, 7]);
    // an unlabelled image is a cell of its own, not cat→cat
    expect(ids(fullestCells([items[6], items[0]], (x) => x, 5, 1))).toEqual([7]);
    expect(fullestCells([], (x: { label?: string; predicted: string }) => x, 5, 5)).toEqual([]);
  });
});
