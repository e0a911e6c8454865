import { describe, expect, it } from 'vitest';
import { summarizeByClass } from '../../src/results/summary';

describe('per-class summary', () => {
  it('counts per true label, worst first, with the most frequent confusions', () => {
    const rows = summarizeByClass([
      { label: 'cat', predicted: 'cat', verdict: 'correct' },
      { label: 'cat', predicted: 'dog', verdict: 'incorrect' },
      { label: 'dog', predicted: 'cat', verdict: 'incorrect' },
      { label: 'dog', predicted: 'fox', verdict: 'incorrect' },
      { label: 'dog', predicted: 'fox', verdict: 'incorrect' },
      { label: 'dog', predicted: 'dog', verdict: 'correct' },
    ]);
    expect(rows).toEqual([
      { label: 'dog', total: 4, correct: 1, confusions: [{ predicted: 'fox', count: 2 }, { predicted: 'cat', count: 1 }] },
      { label: 'cat', total: 2, correct: 1, confusions: [{ predicted: 'dog', count: 1 }] },
    ]);
  });
});
