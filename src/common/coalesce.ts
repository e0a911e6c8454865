// Many asks, one run: a call made while one is already scheduled joins it.

/**
 * `run`, scheduled with `schedule` (a microtask, an idle callback) at most once until it has run;
 * it gets what the scheduler passes (an idle callback's deadline).
 */
export function coalesced<A extends unknown[]>(schedule: (f: (...args: A) => void) => unknown, run: (...args: A) => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    schedule((...args) => {
      queued = false;
      run(...args);
    });
  };
}
