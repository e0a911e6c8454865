// Many asks, one run: a call made while one is already scheduled joins it.

/** `run`, scheduled with `schedule` (a microtask, an idle callback) at most once until it has run. */
export function coalesced(schedule: (f: () => void) => unknown, run: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    schedule(() => {
      queued = false;
      run();
    });
  };
}
