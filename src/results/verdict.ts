// Correct or incorrect, derived (never stored) so editing class names or the regression
// threshold re-sorts the gallery without recomputing anything.
import type { Prediction } from '../engine/types';

export type Verdict = 'correct' | 'incorrect';

/** What a sample's tile and report say: the prediction in words, its confidence or value, the verdict. */
export type PredictionView = {
  /** Class name (classification) or value (regression), as shown to the user. */
  predicted: string;
  verdict: Verdict;
} & ({ confidence: number } | { value: number });

export function predictionOf(result: Prediction & { predictedIndex: number }, label: string | undefined, classNames: string[], threshold: number): PredictionView {
  if (result.kind === 'regression') {
    const truth = label === undefined ? NaN : Number(label);
    return { predicted: formatValue(result.value), value: result.value, verdict: Math.abs(result.value - truth) <= threshold ? 'correct' : 'incorrect' };
  }
  const predicted = classNames[result.predictedIndex] ?? `class ${result.predictedIndex}`;
  return { predicted, confidence: result.confidence, verdict: label !== undefined && predicted === label ? 'correct' : 'incorrect' };
}

const formatValue = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4));
