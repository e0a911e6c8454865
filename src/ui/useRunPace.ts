import { useEffect, useRef, useState } from 'react';
import { useStore } from '../state/store';

/** How often the analysis views follow a running run. */
const PACE_MS = 1000;

/**
 * `value`, renewed at most every PACE_MS while a run adds results, at once otherwise. The confusion
 * matrix, the class tables and the filters' lists are hundreds of cells and options: rendered and
 * laid out again at every batch of results, they were most of the page's thread during a run of
 * 1,000 doodles (layouts of ~1,800 changed objects, 20–45 ms each).
 */
export function useAtRunPace<T>(value: T): T {
  const running = useStore((s) => s.run.status === 'running');
  const held = useRef({ value, at: -Infinity });
  const [, wake] = useState(0);
  if (held.current.value !== value && (!running || performance.now() - held.current.at >= PACE_MS)) held.current = { value, at: performance.now() };
  const waiting = held.current.value !== value;
  // a value held back is shown when its time comes, whether or not another batch arrives by then
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => wake((n) => n + 1), Math.max(0, PACE_MS - (performance.now() - held.current.at)));
    return () => clearTimeout(timer);
  }, [waiting, value]);
  return held.current.value;
}
