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

/** `f` when the page is next idle (with the idle period's deadline), at the latest after `timeout` ms; a task later where there are no idle callbacks (Safari). */
export const whenIdle = (f: (deadline?: IdleDeadline) => void, timeout = 2000): unknown => (typeof requestIdleCallback === 'function' ? requestIdleCallback(f, { timeout }) : setTimeout(f, 50));
