// Regression: predicted against true (points open their image) and the error histogram (a bar
// filters the gallery to that error range), both coloured by verdict under the current threshold.
import { memo, useMemo } from 'react';
import { useStore } from '../state/store';
import { setFilters } from '../state/actions/view';
import { errorOf } from '../results/filters';
import { filterable } from './useShownItems';
import type { GalleryItem } from './useGalleryItems';
import { RegressionScatter, VerdictBars } from './Charts';

export const RegressionViews = memo(function RegressionViews({ items }: { items: GalleryItem[] }) {
  const threshold = useStore((s) => s.view.threshold);
  const errorMin = useStore((s) => s.filters.errorMin);
  const errorMax = useStore((s) => s.filters.errorMax);
  const points = useMemo(() => items.map((i) => ({ id: i.sample.id, truth: Number(i.sample.label ?? NaN), predicted: 'value' in i.prediction ? i.prediction.value : NaN, verdict: i.prediction.verdict })), [items]);
  const errors = useMemo(() => items.map((i) => ({ x: errorOf(filterable(i)), verdict: i.prediction.verdict })), [items]);
  const maxError = useMemo(() => errors.reduce((m, e) => (Number.isFinite(e.x) ? Math.max(m, e.x) : m), 0) || 1, [errors]);
  if (items.length === 0) return null;
  return (
    <details className="regression-views" open>
      <summary>Predicted against true, and the error histogram</summary>
      <div className="regression-layout">
        <RegressionScatter points={points} threshold={threshold} />
        <figure className="error-histogram">
          <VerdictBars points={errors} bins={20} lo={0} hi={maxError} from={(errorMin ?? 0) / maxError} to={(errorMax ?? maxError) / maxError} label="Error histogram" testId="error-histogram" onPick={(lo, hi) => setFilters({ errorMin: lo, errorMax: hi })} />
          <figcaption>
            |predicted − true| from 0 to {maxError.toPrecision(3)}; green within ± {threshold}. Click a bar to see its images.
          </figcaption>
        </figure>
      </div>
    </details>
  );
});
