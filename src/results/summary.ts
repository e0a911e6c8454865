// Per-class summary of a run: how often each true label is right, and what it is mistaken for.
import type { Verdict } from './verdict';

export interface ClassSummary {
  label: string;
  total: number;
  correct: number;
  /** The wrong predictions for this label, most frequent first. */
  confusions: { predicted: string; count: number }[];
}

export function summarizeByClass(items: { label: string | undefined; predicted: string; verdict: Verdict }[]): ClassSummary[] {
  const byLabel = new Map<string, { total: number; correct: number; wrong: Map<string, number> }>();
  for (const it of items) {
    const label = it.label ?? '(no label)';
    const s = byLabel.get(label) ?? { total: 0, correct: 0, wrong: new Map() };
    s.total++;
    if (it.verdict === 'correct') s.correct++;
    else s.wrong.set(it.predicted, (s.wrong.get(it.predicted) ?? 0) + 1);
    byLabel.set(label, s);
  }
  return [...byLabel.entries()]
    .map(([label, s]) => ({
      label,
      total: s.total,
      correct: s.correct,
      confusions: [...s.wrong.entries()].map(([predicted, count]) => ({ predicted, count })).sort((a, b) => b.count - a.count || a.predicted.localeCompare(b.predicted)),
    }))
    .sort((a, b) => a.correct / a.total - b.correct / b.total || a.label.localeCompare(b.label));
}
