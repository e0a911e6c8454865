import { describe, expect, it } from 'vitest';
import { predictionOf } from '../../src/results/verdict';

describe('verdicts', () => {
  it('classification: correct when the predicted class name equals the true label', () => {
    expect(predictionOf({ kind: 'classification', predictedIndex: 1, confidence: 0.9 }, 'dog', ['cat', 'dog'], 0.1)).toEqual({ predicted: 'dog', confidence: 0.9, verdict: 'correct' });
    expect(predictionOf({ kind: 'classification', predictedIndex: 0, confidence: 0.6 }, 'dog', ['cat', 'dog'], 0.1).verdict).toBe('incorrect');
    expect(predictionOf({ kind: 'classification', predictedIndex: 5, confidence: 0.6 }, undefined, ['cat'], 0.1)).toMatchObject({ predicted: 'class 5', verdict: 'incorrect' });
  });
  it('regression: correct when |predicted − true| ≤ threshold', () => {
    expect(predictionOf({ kind: 'regression', predictedIndex: 0, value: 2.55 }, '2.5', [], 0.1)).toMatchObject({ predicted: '2.550', verdict: 'correct' });
    expect(predictionOf({ kind: 'regression', predictedIndex: 0, value: 2.65 }, '2.5', [], 0.1).verdict).toBe('incorrect');
    expect(predictionOf({ kind: 'regression', predictedIndex: 0, value: 2.65 }, '2.5', [], 0.2).verdict).toBe('correct');
    expect(predictionOf({ kind: 'regression', predictedIndex: 0, value: 1 }, 'big', [], 0.2).verdict).toBe('incorrect');
  });
});
