// Correct or incorrect, derived (never stored) so editing class names or the regression
// threshold re-sorts the gallery without recomputing anything.
import type { Explanation } from '../engine/engine';

export type Verdict = 'correct' | 'incorrect';

export interface PredictionView {
  /** Class name (classification) or value (regression), as shown to the user. */
  predicted: string;
  confidence: number;
  verdict: Verdict;
}

export function predictionOf(
  result: Pick<Explanation, 'predictedIndex' | 'confidence'>,
  label: string | undefined,
  kind: 'classification' | 'regression',
  classNames: string[],
  threshold: number,
): PredictionView {
  if (kind === 'regression') {
    const value = result.confidence;
    const truth = label === undefined ? NaN : Number(label);
    return { predicted: formatValue(value), confidence: value, verdict: Math.abs(value - truth) <= threshold ? 'correct' : 'incorrect' };
  }
  const predicted = classNames[result.predictedIndex] ?? `class ${result.predictedIndex}`;
  return { predicted, confidence: result.confidence, verdict: label !== undefined && predicted === label ? 'correct' : 'incorrect' };
}

const formatValue = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4));
