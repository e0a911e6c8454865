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
  /** Confidence range (0..1) of the predicted class; classification only. */
  confidenceMin?: number;
  confidenceMax?: number;
  /** Absolute error range |predicted − true|; regression only. */
  errorMin?: number;
  errorMax?: number;
  /** Only images whose map scored no better than the random map (faithfulness, where scored). */
  unfaithful?: boolean;
}

/** What a filter reads of a sample. */
export interface Filterable {
  path: string;
  label?: string;
  predicted: string;
  verdict: Verdict;
  /** The predicted class's probability (classification). */
  confidence?: number;
  /** The predicted value (regression). */
  value?: number;
  /** Faithfulness of the shown map, where scored. */
  deletionAuc?: number;
  insertionAuc?: number;
  road?: number;
  /** The map scored no better than the random map on this image (results/faithfulness.ts: noBetterThanRandom). */
  unfaithful?: boolean;
}

export const isFiltering = (f: GalleryFilters) =>
  f.verdict !== undefined || f.trueLabel !== undefined || f.predicted !== undefined || !!f.search || f.confidenceMin !== undefined || f.confidenceMax !== undefined || f.errorMin !== undefined || f.errorMax !== undefined || !!f.unfaithful;

/** Regression: how far the prediction is from the true value (NaN without a numeric label). */
export const errorOf = (x: Pick<Filterable, 'value' | 'label'>) => Math.abs((x.value ?? NaN) - (x.label === undefined || x.label.trim() === '' ? NaN : Number(x.label)));

export function matchesFilters(x: Filterable, f: GalleryFilters): boolean {
  if (f.verdict !== undefined && x.verdict !== f.verdict) return false;
  if (f.trueLabel !== undefined && (x.label ?? '') !== f.trueLabel) return false;
  if (f.predicted !== undefined && x.predicted !== f.predicted) return false;
  if (f.search && !x.path.toLowerCase().includes(f.search.toLowerCase())) return false;
  if (f.confidenceMin !== undefined && !((x.confidence ?? NaN) >= f.confidenceMin)) return false;
  if (f.confidenceMax !== undefined && !((x.confidence ?? NaN) <= f.confidenceMax)) return false;
  if (f.errorMin !== undefined && !(errorOf(x) >= f.errorMin)) return false;
  if (f.errorMax !== undefined && !(errorOf(x) <= f.errorMax)) return false;
  if (f.unfaithful && !x.unfaithful) return false;
  return true;
}

/** Gallery orders: by verdict (incorrect first, in data-set order) or one sorted grid. */
export type GallerySort = 'verdict' | 'confidence-asc' | 'confidence-desc' | 'error-desc' | 'label' | 'file' | 'deletion-desc' | 'insertion-asc' | 'road-asc';
export const SORTS: { id: GallerySort; label: string; for: 'classification' | 'regression' | 'both' }[] = [
  { id: 'verdict', label: 'incorrect first', for: 'both' },
  { id: 'confidence-asc', label: 'least confident first', for: 'classification' },
  { id: 'confidence-desc', label: 'most confident first', for: 'classification' },
  { id: 'error-desc', label: 'largest error first', for: 'regression' },
  { id: 'label', label: 'true label', for: 'both' },
  { id: 'file', label: 'file name', for: 'both' },
  { id: 'deletion-desc', label: 'least faithful first (deletion AUC)', for: 'both' },
  { id: 'insertion-asc', label: 'least faithful first (insertion AUC)', for: 'both' },
  { id: 'road-asc', label: 'least faithful first (ROAD)', for: 'both' },
];

/** The orders by a faithfulness score: they need the scores, which the others never read. */
export const byFaithfulness = (sort: GallerySort): boolean => sort === 'deletion-desc' || sort === 'insertion-asc' || sort === 'road-asc';

/** A sorted copy (stable: ties keep data-set order); 'verdict' keeps the order given. */
export function sortItems<T>(items: T[], sort: GallerySort, read: (t: T) => Filterable): T[] {
  if (sort === 'verdict') return items;
  const key = (x: Filterable): number | string => {
    switch (sort) {
      case 'confidence-asc': return x.confidence ?? Infinity;
      case 'confidence-desc': return -(x.confidence ?? -Infinity);
      case 'error-desc': return -errorOf(x) || 0;
      case 'label': return x.label ?? '';
      case 'file': return x.path;
      // unscored images last
      case 'deletion-desc': return -(x.deletionAuc ?? -Infinity);
      case 'insertion-asc': return x.insertionAuc ?? Infinity;
      case 'road-asc': return x.road ?? Infinity;
    }
  };
  const keyed = items.map((t, i) => ({ t, i, k: key(read(t)) }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i));
  return keyed.map((x) => x.t);
}

/**
 * The first `perCell` items of each of the `cells` fullest confusion cells (most items first), each
 * in the order given: what a click on those cells shows first.
 */
export function fullestCells<T>(items: T[], read: (t: T) => { label?: string; predicted: string }, perCell: number, cells: number): T[] {
  const byCell = new Map<string, { count: number; first: T[] }>();
  for (const item of items) {
    const { label, predicted } = read(item);
    const key = `${label ?? ''}\u0000${predicted}`;
    let cell = byCell.get(key);
    if (!cell) byCell.set(key, (cell = { count: 0, first: [] }));
    cell.count++;
    if (cell.first.length < perCell) cell.first.push(item);
  }
  return [...byCell.values()].sort((a, b) => b.count - a.count).slice(0, cells).flatMap((c) => c.first);
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

/** Counts of correct and incorrect samples in `bins` equal bins over [lo, hi] (values outside are clamped into the end bins; NaN left out). */
export function histogramByVerdict(points: { x: number; verdict: Verdict }[], bins: number, lo: number, hi: number): { correct: number[]; incorrect: number[] } {
  const correct = new Array<number>(bins).fill(0);
  const incorrect = new Array<number>(bins).fill(0);
  const width = hi > lo ? (hi - lo) / bins : 1;
  for (const p of points) {
    if (!Number.isFinite(p.x)) continue;
    const b = Math.min(bins - 1, Math.max(0, Math.floor((p.x - lo) / width)));
    (p.verdict === 'correct' ? correct : incorrect)[b]++;
  }
  return { correct, incorrect };
}
