// Finding the interesting images: the confusion matrix (a click filters the gallery to a cell)
// and the filter bar. Both read the gallery's items; the filters live in the store.
import { memo, useEffect, useMemo, useRef } from 'react';
import { useStore } from '../state/store';
import { clearFilters, setFilters, setSort } from '../state/actions/view';
import { confusionMatrix, isFiltering, SORTS, worstCells, type ConfusionMatrix, type GalleryFilters, type GallerySort } from '../results/filters';
import type { GalleryItem } from './useGalleryItems';
import { RangeHandles, VerdictBars } from './Charts';

const scrollToGallery = () => document.querySelector('.gallery-rows')?.scrollIntoView({ block: 'start' });

/** Filters the gallery to a class, a cell or a column (other label filters cleared) and scrolls to it. */
export const pick = (f: GalleryFilters) => {
  setFilters({ verdict: undefined, trueLabel: undefined, predicted: undefined, ...f });
  scrollToGallery();
};

/** Actual classes in rows, predicted in columns; counts with the row's rate, coloured by rate. */
export const ConfusionMatrixView = memo(function ConfusionMatrixView({ items }: { items: GalleryItem[] }) {
  const trueLabel = useStore((s) => s.filters.trueLabel);
  const predicted = useStore((s) => s.filters.predicted);
  const m = useMemo(() => confusionMatrix(items.map((i) => ({ label: i.sample.label, predicted: i.prediction.predicted }))), [items]);
  const table = useRef<HTMLDivElement>(null);
  // The pressed cell or header is marked here, not by React: re-rendering hundreds of cells for
  // every filter change cost more than filtering 10,000 images.
  useEffect(() => {
    const root = table.current;
    if (!root) return;
    root.querySelectorAll('[aria-pressed="true"]').forEach((el) => el.setAttribute('aria-pressed', 'false'));
    const e = (v: string) => CSS.escape(v);
    const selector =
      trueLabel !== undefined && predicted !== undefined ? `[data-testid="confusion-cell"][data-true="${e(trueLabel)}"][data-pred="${e(predicted)}"]`
      : trueLabel !== undefined ? `button.axis[data-row="${e(trueLabel)}"]`
      : predicted !== undefined ? `button.axis[data-col="${e(predicted)}"]`
      : undefined;
    if (selector) root.querySelector(selector)?.setAttribute('aria-pressed', 'true');
  }, [trueLabel, predicted, m]);
  if (m.actual.length < 1 || m.predicted.length < 2) return null;
  return (
    <details className="confusion" open={m.actual.length <= 50}>
      <summary>Confusion matrix ({m.actual.length} true labels × {m.predicted.length} predicted classes): rows are the actual class, columns what the model predicted. Click a cell to see its images.</summary>
      <div className="confusion-layout" ref={table}>
        <MatrixTable m={m} />
      </div>
    </details>
  );
});

const MatrixTable = memo(function MatrixTable({ m }: { m: ConfusionMatrix }) {
  const worst = worstCells(m, 8);
  return (
    <>
      <div className="confusion-scroll">
        <table data-testid="confusion-matrix">
          <thead>
            <tr>
              <th scope="col" className="corner">actual ↓ · predicted →</th>
              {m.predicted.map((c) => (
                <th key={c} scope="col">
                  <button className="axis" data-col={c} aria-pressed="false" onClick={() => pick({ predicted: c })} title={`Every image predicted ${c}`}>{c}</button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {m.actual.map((actual, a) => (
              <tr key={actual}>
                <th scope="row">
                  <button className="axis" data-row={actual} aria-pressed="false" onClick={() => pick({ trueLabel: actual })} title={`Every image labelled ${actual}`}>{actual}</button>
                </th>
                {m.predicted.map((predicted, p) => {
                  const count = m.counts[a][p];
                  const rate = m.rowTotals[a] ? count / m.rowTotals[a] : 0;
                  const hue = actual === predicted ? 140 : 0; // green on the diagonal, red off it
                  return (
                    <td key={predicted}>
                      <button
                        data-testid="confusion-cell"
                        data-true={actual}
                        data-pred={predicted}
                        data-count={count}
                        className={`cell${count === 0 ? ' empty' : ''}`}
                        style={{ background: count ? `hsl(${hue} 70% ${95 - 33 * rate}%)` : undefined }}
                        aria-pressed="false"
                        aria-label={`${count}${count > 0 ? ` ${(rate * 100).toFixed(0)}%` : ''}: images of ${actual} predicted ${predicted}`}
                        disabled={count === 0}
                        onClick={() => pick({ trueLabel: actual, predicted })}
                      >
                        {count}
                        {count > 0 && <small> {(rate * 100).toFixed(0)}%</small>}
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {worst.length > 0 && (
        <ol className="worst-cells" aria-label="Most frequent mistakes">
          {worst.map((w) => (
            <li key={`${w.actual}→${w.predicted}`}>
              <button onClick={() => pick({ trueLabel: w.actual, predicted: w.predicted })}>
                {w.actual} taken for {w.predicted}: {w.count} ({(w.rate * 100).toFixed(0)} %)
              </button>
            </li>
          ))}
        </ol>
      )}
    </>
  );
});

/** A number input for one end of a range (empty: no limit); `scale` 100 shows fractions as per cent. */
function RangeEnd({ testId, label, value, onChange, scale = 1, max, step }: { testId: string; label: string; value?: number; onChange: (v: number | undefined) => void; scale?: number; max?: number; step: number }) {
  return (
    <label>
      {label}{' '}
      <input data-testid={testId} type="number" min={0} max={max} step={step} size={4} value={value === undefined ? '' : Math.round(value * scale * 1000) / 1000} placeholder={label === 'from' ? '0' : max === undefined ? 'any' : String(max)} onChange={(e) => onChange(e.target.value === '' ? undefined : Math.min(max ?? Infinity, Math.max(0, Number(e.target.value))) / scale)} />
    </label>
  );
}

/** Confidence range: a histogram of correct and incorrect behind two handles, and the exact ends in per cent. */
function ConfidenceRange({ items }: { items: GalleryItem[] }) {
  const min = useStore((s) => s.filters.confidenceMin);
  const max = useStore((s) => s.filters.confidenceMax);
  const points = useMemo(() => items.map((i) => ({ x: 'confidence' in i.prediction ? i.prediction.confidence : NaN, verdict: i.prediction.verdict })), [items]);
  return (
    <span className="confidence-range" role="group" aria-label="Confidence of the prediction, per cent">
      <span className="range-box">
        <VerdictBars points={points} bins={20} lo={0} hi={1} from={min ?? 0} to={max ?? 1} label="Confidence histogram" testId="confidence-histogram" onPick={(lo, hi) => setFilters({ confidenceMin: lo || undefined, confidenceMax: hi >= 1 ? undefined : hi })} />
        <RangeHandles min={min} max={max} testId="confidence-slider" label="Confidence" onChange={(a, b) => setFilters({ confidenceMin: a, confidenceMax: b })} />
      </span>
      Confidence % <RangeEnd testId="confidence-min" label="from" value={min} scale={100} max={100} step={5} onChange={(v) => setFilters({ confidenceMin: v })} />
      <RangeEnd testId="confidence-max" label="to" value={max} scale={100} max={100} step={5} onChange={(v) => setFilters({ confidenceMax: v })} />
    </span>
  );
}

/** Verdict, true label, predicted label, confidence and file-name filters and the order, with how many images match. */
export function FilterBar({ items, shown }: { items: GalleryItem[]; shown: number }) {
  const filters = useStore((s) => s.filters);
  const sort = useStore((s) => s.sort);
  const kind = useStore((s) => s.model?.info.outputKind ?? 'classification');
  const scored = useStore((s) => !!s.faithfulness.random || !!filters.unfaithful);
  const labels = useMemo(() => [...new Set(items.map((i) => i.sample.label ?? ''))].sort((a, b) => a.localeCompare(b)), [items]);
  const predictions = useMemo(() => (kind === 'classification' ? [...new Set(items.map((i) => i.prediction.predicted))].sort((a, b) => a.localeCompare(b)) : []), [items, kind]);
  return (
    <div className="filters" role="search">
      <label>
        Verdict{' '}
        <select data-testid="filter-verdict" value={filters.verdict ?? ''} onChange={(e) => setFilters({ verdict: (e.target.value || undefined) as GalleryFilters['verdict'] })}>
          <option value="">all</option>
          <option value="incorrect">incorrect</option>
          <option value="correct">correct</option>
        </select>
      </label>
      <label>
        True label{' '}
        <select data-testid="filter-true" value={filters.trueLabel ?? '\u0000'} onChange={(e) => setFilters({ trueLabel: e.target.value === '\u0000' ? undefined : e.target.value })}>
          <option value={'\u0000'}>all</option>
          {labels.map((l) => <option key={l} value={l}>{l || '(none)'}</option>)}
        </select>
      </label>
      {kind === 'classification' && (
        <label>
          Predicted{' '}
          <select data-testid="filter-pred" value={filters.predicted ?? '\u0000'} onChange={(e) => setFilters({ predicted: e.target.value === '\u0000' ? undefined : e.target.value })}>
            <option value={'\u0000'}>all</option>
            {predictions.map((l) => <option key={l} value={l}>{l}</option>)}
          </select>
        </label>
      )}
      {kind === 'classification' && <ConfidenceRange items={items} />}
      {kind === 'regression' && (
        <span role="group" aria-label="Absolute error |predicted − true|">
          Error <RangeEnd testId="error-min" label="from" value={filters.errorMin} step={0.1} onChange={(v) => setFilters({ errorMin: v })} />
          <RangeEnd testId="error-max" label="to" value={filters.errorMax} step={0.1} onChange={(v) => setFilters({ errorMax: v })} />
        </span>
      )}
      <label>
        File name{' '}
        <input data-testid="search-input" type="search" value={filters.search ?? ''} placeholder="part of the path" onChange={(e) => setFilters({ search: e.target.value })} />
      </label>
      {scored && (
        <label>
          <input type="checkbox" data-testid="filter-unfaithful" checked={!!filters.unfaithful} onChange={(e) => setFilters({ unfaithful: e.target.checked || undefined })} /> only maps no better than the random map
        </label>
      )}
      <label>
        Order{' '}
        <select data-testid="sort-select" value={sort} onChange={(e) => setSort(e.target.value as GallerySort)}>
          {SORTS.filter((o) => o.for === 'both' || o.for === kind).map((o) => <option key={o.id} value={o.id}>{o.label}</option>)}
        </select>
      </label>
      <span className="status" data-testid="gallery-count" data-count={shown} aria-live="polite">
        {isFiltering(filters) ? `${shown} of ${items.length} images match` : `${items.length} images`}
      </span>
      <button data-testid="clear-filters" onClick={clearFilters} disabled={!isFiltering(filters)}>Clear filters</button>
    </div>
  );
}
