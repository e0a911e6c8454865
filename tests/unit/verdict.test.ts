import { describe, expect, it } from 'vitest';
import { predictionOf } from '../../src/state/verdict';

describe('verdicts', () => {
  it('classification: correct when the predicted class name equals the true label', () => {
    expect(predictionOf({ predictedIndex: 1, confidence: 0.9 }, 'dog', 'classification', ['cat', 'dog'], 0.1)).toEqual({ predicted: 'dog', confidence: 0.9, verdict: 'correct' });
    expect(predictionOf({ predictedIndex: 0, confidence: 0.6 }, 'dog', 'classification', ['cat', 'dog'], 0.1).verdict).toBe('incorrect');
    expect(predictionOf({ predictedIndex: 5, confidence: 0.6 }, undefined, 'classification', ['cat'], 0.1)).toMatchObject({ predicted: 'class 5', verdict: 'incorrect' });
  });
  it('regression: correct when |predicted − true| ≤ threshold', () => {
    expect(predictionOf({ predictedIndex: 0, confidence: 2.55 }, '2.5', 'regression', [], 0.1)).toMatchObject({ predicted: '2.550', verdict: 'correct' });
    expect(predictionOf({ predictedIndex: 0, confidence: 2.65 }, '2.5', 'regression', [], 0.1).verdict).toBe('incorrect');
    expect(predictionOf({ predictedIndex: 0, confidence: 2.65 }, '2.5', 'regression', [], 0.2).verdict).toBe('correct');
    expect(predictionOf({ predictedIndex: 0, confidence: 1 }, 'big', 'regression', [], 0.2).verdict).toBe('incorrect');
  });
});
