import { useEffect, useState } from 'react';
import { useStore } from '../state/store';

/** How often the gallery (its panels and its grid) follows a running run. */
const PACE_MS = 1000;

/** A pace shared by the components that must show the same value (the gallery, the detail view's order, the class views). */
export interface RunPace<T> {
  current: { value: T; at: number; done: number };
}
export const runPace = <T>(value: T): RunPace<T> => ({ current: { value, at: -Infinity, done: 0 } });

/**
 * `value`, renewed at most every PACE_MS while a run adds results, at once otherwise. The confusion
 * matrix, the class tables and the filters' lists are hundreds of cells and options: rendered and
 * laid out again at every batch of results, they were most of the page's thread during a run of
 * 1,000 doodles (layouts of ~1,800 changed objects, 20–45 ms each). Components given the same
 * pace renew together.
 */
export function useAtRunPace<T>(value: T, held: RunPace<T>): T {
  const running = useStore((s) => s.run.status === 'running');
  const done = useStore((s) => s.run.done);
  const [, wake] = useState(0);
  // the run's first results show at once (the value renewed as the run started had none of them)
  const due = !running || held.current.done === 0 || performance.now() - held.current.at >= PACE_MS;
  if (held.current.value !== value && due) held.current = { value, at: performance.now(), done };
  const waiting = held.current.value !== value;
  // a value held back is shown when its time comes, whether or not another batch arrives by then
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => wake((n) => n + 1), Math.max(0, PACE_MS - (performance.now() - held.current.at)));
    return () => clearTimeout(timer);
  }, [waiting, value]);
  return held.current.value;
}
