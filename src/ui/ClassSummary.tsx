import { memo, useMemo } from 'react';
import { summarizeByClass } from '../results/summary';
import type { GalleryItem } from './useGalleryItems';

/** Accuracy per true label, worst first, with what each label is mistaken for. */
export const ClassSummaryTable = memo(function ClassSummaryTable({ items, kind }: { items: GalleryItem[]; kind: 'classification' | 'regression' }) {
  const rows = useMemo(() => summarizeByClass(items.map((i) => ({ label: i.sample.label, predicted: i.prediction.predicted, verdict: i.prediction.verdict }))), [items]);
  if (rows.length < 2 || rows.length > 200) return null;
  return (
    <details className="class-summary" open={rows.length <= 12}>
      <summary>Per class ({rows.length} labels, worst first)</summary>
      <table data-testid="class-summary">
        <thead>
          <tr><th>True label</th><th>Images</th><th>Correct</th><th>Accuracy</th>{kind === 'classification' && <th>Most often taken for</th>}</tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label} data-label={r.label}>
              <td>{r.label}</td>
              <td>{r.total}</td>
              <td>{r.correct}</td>
              <td>{((r.correct / r.total) * 100).toFixed(1)} %</td>
              {kind === 'classification' && <td>{r.confusions.slice(0, 3).map((c) => `${c.predicted} (${c.count})`).join(', ')}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
});
