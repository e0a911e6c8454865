import { useEffect, useState } from 'react';
import { useStore } from '../state/store';
import { cancelRun } from '../state/actions/run';

const fmtTime = (s: number) => (s < 60 ? `${Math.ceil(s)} s` : `${Math.floor(s / 60)} min ${Math.ceil(s % 60)} s`);

export function RunBar() {
  const run = useStore((s) => s.run);
  const [now, setNow] = useState(performance.now());
  useEffect(() => {
    if (run.status !== 'running') return;
    const t = setInterval(() => setNow(performance.now()), 500);
    return () => clearInterval(t);
  }, [run.status]);
  if (run.status === 'idle' && !run.step) return null;
  if (run.status === 'loading') return <section className="runbar"><span data-testid="run-step">{run.step}</span></section>;
  const end = run.finishedAt ?? now;
  const seconds = Math.max((end - run.startedAt) / 1000, 1e-3);
  const rate = run.done / seconds;
  const eta = rate > 0 ? (run.total - run.done) / rate : Infinity;
  const label =
    run.status === 'running'
      ? `${run.done} / ${run.total} images · ${rate.toFixed(1)} images/s · ${Number.isFinite(eta) ? `about ${fmtTime(eta)} left` : 'starting…'}`
      : `${run.status === 'done' ? 'Done' : run.status === 'cancelled' ? 'Cancelled' : 'Stopped'}: ${run.done} / ${run.total} images in ${fmtTime(seconds)} (${rate.toFixed(1)} images/s)${run.failed ? `, ${run.failed} could not be read` : ''}`;
  return (
    <section className="runbar" data-testid="run-status" data-status={run.status} data-run-id={run.id}>
      <progress data-testid="run-progress" max={run.total || 1} value={run.done} />
      <span data-testid="run-label">{label}</span>
      {run.status === 'running' && <button data-testid="cancel-button" onClick={cancelRun}>Cancel</button>}
    </section>
  );
}
