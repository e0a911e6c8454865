// One kind of cancellable work at a time (a run, Score-CAM, an Edge Impulse download):
// starting it again cancels the one before.
export interface Task {
  /** Cancels the previous one, if any, and returns the new one's signal. */
  start(): AbortSignal;
  /** Cancels the current one; false when none was going. */
  cancel(): boolean;
  /** Whether `signal` belongs to the latest start (a later start makes older work moot). */
  isLatest(signal: AbortSignal): boolean;
}

export function task(): Task {
  let current: AbortController | undefined;
  return {
    start() {
      current?.abort();
      current = new AbortController();
      return current.signal;
    },
    cancel() {
      if (!current) return false;
      current.abort();
      current = undefined;
      return true;
    },
    isLatest: (signal) => current?.signal === signal,
  };
}
