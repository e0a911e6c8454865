// Which explained samples the gallery shows, and the confusion matrix that sets those filters
// with a click. Pure: the gallery, the matrix and the tests read the same functions.
import type { Verdict } from './verdict';

/** The gallery's filters; an absent field does not filter. */
export interface GalleryFilters {
  verdict?: Verdict;
  /** The sample's true label. */
  trueLabel?: string;
  /** What the model predicted (a class name). */
  predicted?: string;
  /** Part of the file's path, any case. */
  search?: string;
}

/** What a filter reads of a sample. */
export interface Filterable {
  path: string;
  label?: string;
  predicted: string;
  verdict: Verdict;
}

export const isFiltering = (f: GalleryFilters) => f.verdict !== undefined || f.trueLabel !== undefined || f.predicted !== undefined || !!f.search;

export function matchesFilters(x: Filterable, f: GalleryFilters): boolean {
  if (f.verdict !== undefined && x.verdict !== f.verdict) return false;
  if (f.trueLabel !== undefined && (x.label ?? '') !== f.trueLabel) return false;
  if (f.predicted !== undefined && x.predicted !== f.predicted) return false;
  if (f.search && !x.path.toLowerCase().includes(f.search.toLowerCase())) return false;
  return true;
}

export interface ConfusionMatrix {
  /** Rows: every true label that occurs, sorted. */
  actual: string[];
  /** Columns: every label and every prediction that occurs, sorted (a model may predict classes no sample has). */
  predicted: string[];
  /** counts[row][column] */
  counts: number[][];
  /** Samples per actual class (row sums). */
  rowTotals: number[];
}

/** Actual classes in rows, predicted in columns; samples without a label are left out. */
export function confusionMatrix(items: { label?: string; predicted: string }[]): ConfusionMatrix {
  const labelled = items.filter((x): x is { label: string; predicted: string } => x.label !== undefined);
  const byName = (a: string, b: string) => a.localeCompare(b);
  const actual = [...new Set(labelled.map((x) => x.label))].sort(byName);
  const predicted = [...new Set([...actual, ...labelled.map((x) => x.predicted)])].sort(byName);
  const row = new Map(actual.map((c, i) => [c, i]));
  const column = new Map(predicted.map((c, i) => [c, i]));
  const counts = actual.map(() => predicted.map(() => 0));
  for (const x of labelled) counts[row.get(x.label)!][column.get(x.predicted)!]++;
  return { actual, predicted, counts, rowTotals: counts.map((r) => r.reduce((a, b) => a + b, 0)) };
}

/** The off-diagonal cells, most samples first: the mistakes worth a look. */
export function worstCells(m: ConfusionMatrix, limit = 10): { actual: string; predicted: string; count: number; rate: number }[] {
  const out: { actual: string; predicted: string; count: number; rate: number }[] = [];
  m.counts.forEach((row, a) => row.forEach((count, p) => {
    if (m.actual[a] !== m.predicted[p] && count > 0) out.push({ actual: m.actual[a], predicted: m.predicted[p], count, rate: count / m.rowTotals[a] });
  }));
  return out.sort((x, y) => y.count - x.count || y.rate - x.rate).slice(0, limit);
}
