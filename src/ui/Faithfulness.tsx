// How far to trust the maps: faithfulness scores on request, the data-set table (the method
// against a random and a centred Gaussian map), and one image's deletion and insertion curves.
import { memo, useMemo } from 'react';
import { useStore } from '../state/store';
import { cancelFaithfulness, computeFaithfulness, setFaithfulnessHow } from '../state/actions/faithfulness';
import { methodSet } from '../state/selectors';
import { REFERENCE_MAPS, summarize } from '../results/faithfulness';
import { BASELINES, FAITHFULNESS_STEPS, type Baseline, type FaithfulnessScore } from '../methods/faithfulness';
import { ROAD_PERCENTS } from '../methods/road';
import { SanityChecks } from './SanityChecks';

const LABELS: Record<string, string> = { random: 'random map (reference)', gaussian: 'centred Gaussian (reference)' };
const BASELINE_LABELS: Record<Baseline, string> = { black: 'black', blur: 'a blurred copy', mean: 'the image’s mean colour' };
const num = (v: number, d = 3) => v.toFixed(d);

export const FaithfulnessPanel = memo(function FaithfulnessPanel({ count }: { count: number }) {
  const scores = useStore((s) => s.faithfulness);
  const run = useStore((s) => s.faithfulnessRun);
  const current = useStore(methodSet);
  const rows = useMemo(() => Object.entries(scores).map(([name, byId]) => ({ name, summary: summarize(Object.values(byId)) })).sort((a, b) => Number(REFERENCE_MAPS.includes(a.name as never)) - Number(REFERENCE_MAPS.includes(b.name as never))), [scores]);
  const running = run.status === 'running';
  const checked = useStore((s) => s.sanity.status !== 'idle');
  const how = useStore((s) => s.faithfulnessHow);
  const passes = 2 * FAITHFULNESS_STEPS - 1;
  const withRoad = rows.some((r) => r.summary?.road);
  return (
    <details className="faithfulness" open={rows.length > 0 || running || checked}>
      <summary>How far to trust the maps: faithfulness scores (deletion, insertion, Average Drop) against a random and a centred Gaussian map, and sanity checks</summary>
      <p className="hint">
        Each map is tested on the model: its pixels removed (deletion: lower is better) or revealed over a blurred copy (insertion: higher is better), highest first, in {FAITHFULNESS_STEPS} steps; Average Drop keeps the input only where the map is high (lower is better). {passes} forward passes a map an image, and 3 an image.
        ROAD removes the map's top (and bottom) 10…90 % by filling them in from their neighbours rather than painting them over, so the model is not just reacting to patches: the mean probability with the bottom removed minus with the top removed, halved (higher is better).
      </p>
      <p className="controls">
        <label>
          Removed pixels become{' '}
          <select data-testid="faithfulness-baseline" value={how.baseline} disabled={running} onChange={(e) => setFaithfulnessHow({ baseline: e.target.value as Baseline })}>
            {BASELINES.map((b) => <option key={b} value={b}>{BASELINE_LABELS[b]}</option>)}
          </select>
        </label>{' '}
        <label>
          <input type="checkbox" data-testid="faithfulness-road" checked={how.road} disabled={running} onChange={(e) => setFaithfulnessHow({ road: e.target.checked })} /> ROAD too (heavier: {2 * ROAD_PERCENTS.length} more forward passes and {2 * ROAD_PERCENTS.length} linear solves a map; about a second a map an image at 96×96)
        </label>
      </p>
      <button data-testid="faithfulness-button" disabled={running || count === 0} onClick={() => computeFaithfulness()}>
        Score {current} on {count} images{scores.random ? '' : ' (and the reference maps)'}
      </button>{' '}
      <button data-testid="faithfulness-all-button" disabled={running || count === 0} onClick={() => computeFaithfulness(true)} title="One row per method: the table that says which method to trust for this model. The image is decoded once and the three passes every map shares are run once.">
        Score every method
      </button>
      {running && (
        <>
          {' '}<progress max={run.total} value={run.done} /> <span data-testid="faithfulness-progress">{run.done} / {run.total}</span>{' '}
          <button data-testid="faithfulness-cancel" onClick={cancelFaithfulness}>Cancel</button>
        </>
      )}
      {rows.length > 0 && (
        <table data-testid="faithfulness-table">
          <thead>
            <tr><th scope="col">map</th><th scope="col">images</th><th scope="col">deletion AUC ↓</th><th scope="col">insertion AUC ↑</th><th scope="col">Average Drop % ↓</th><th scope="col">Increase %</th>{withRoad && <th scope="col">ROAD ↑</th>}</tr>
          </thead>
          <tbody>
            {rows.map(({ name, summary: s }) => s && (
              <tr key={name} data-testid="faithfulness-row" data-set={name} data-deletion={s.deletion.mean} data-insertion={s.insertion.mean} data-drop={s.averageDrop} className={name === current ? 'current' : undefined}>
                <th scope="row">{LABELS[name] ?? name}</th>
                <td>{s.n}</td>
                <td>{num(s.deletion.mean)} ± {num(s.deletion.sd)}</td>
                <td>{num(s.insertion.mean)} ± {num(s.insertion.sd)}</td>
                <td>{num(s.averageDrop, 1)}</td>
                <td>{num(s.increase, 1)}</td>
                {withRoad && <td data-testid="faithfulness-road-mean" data-road={s.road?.mean}>{s.road ? `${num(s.road.mean)} ± ${num(s.road.sd)}` : '—'}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <SanityChecks />
    </details>
  );
});

/** One image's curves: f as the map's pixels are deleted and inserted, highest first. */
export function FaithfulnessCurves({ score }: { score: FaithfulnessScore }) {
  const W = 160, H = 60;
  const line = (v: number[]) => v.map((y, i) => `${(i / (v.length - 1)) * W},${H - Math.max(0, Math.min(1, y / Math.max(1e-9, score.y, ...v))) * H}`).join(' ');
  return (
    <figure className="curves" data-testid="detail-faithfulness" data-deletion={score.deletionAuc} data-insertion={score.insertionAuc}>
      <svg viewBox={`0 0 ${W} ${H}`} width={W * 1.5} height={H * 1.5} role="img" aria-label={`Deletion AUC ${num(score.deletionAuc)}, insertion AUC ${num(score.insertionAuc)}`}>
        <polyline points={line(score.deletion)} fill="none" stroke="#d0534f" strokeWidth={1.5} />
        <polyline points={line(score.insertion)} fill="none" stroke="#3f9a55" strokeWidth={1.5} />
      </svg>
      <figcaption>
        <span style={{ color: '#d0534f' }}>deletion</span> AUC {num(score.deletionAuc)} · <span style={{ color: '#3f9a55' }}>insertion</span> AUC {num(score.insertionAuc)} · Average Drop {num(score.averageDrop * 100, 1)} %{score.increase ? ' (increase)' : ''}{score.road === undefined ? '' : ` · ROAD ${num(score.road)}`}
      </figcaption>
    </figure>
  );
}
