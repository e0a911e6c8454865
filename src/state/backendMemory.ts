// What the backend measurement found for a model on this device, kept in localStorage so the
// next load of the same model starts only the chosen backend and measures nothing. Holds
// backend names, batch sizes and timings; never a file, a key or a path.
import type { BackendChoice, BackendName, BatchTiming } from '../engine/types';

const STORAGE_KEY = 'gradcam-studio.backends.v1';
const MAX_ENTRIES = 50;

export interface RememberedBackend {
  backend: BackendName;
  batchSize: number;
  measured?: Partial<Record<BackendName, BatchTiming[]>>;
  when: number;
}

/** This device, as far as a page can tell: the browser and its number of cores. */
function device(): string {
  return typeof navigator === 'undefined' ? 'node' : `${navigator.userAgent}|${navigator.hardwareConcurrency ?? 0}`;
}

const keyOf = (choice: BackendChoice, modelKey: string) => `${device()}|${modelKey}|${choice}`;

function readAll(): Record<string, RememberedBackend> {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') ?? {};
  } catch {
    return {}; // no storage (private mode, a worker, Node) or unreadable: measure again
  }
}

export function recallBackend(choice: BackendChoice, modelKey: string): RememberedBackend | undefined {
  const r = readAll()[keyOf(choice, modelKey)];
  return r && typeof r.backend === 'string' && Number.isInteger(r.batchSize) && r.batchSize > 0 ? r : undefined;
}

export function rememberBackend(choice: BackendChoice, modelKey: string, entry: Omit<RememberedBackend, 'when'>) {
  const all = readAll();
  all[keyOf(choice, modelKey)] = { ...entry, when: Date.now() };
  const kept = Object.entries(all).sort((a, b) => b[1].when - a[1].when).slice(0, MAX_ENTRIES);
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(Object.fromEntries(kept)));
  } catch {
    // full or unavailable: the measurement is simply not remembered
  }
}

export function forgetBackend(choice: BackendChoice, modelKey: string) {
  const all = readAll();
  delete all[keyOf(choice, modelKey)];
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(all));
  } catch {
    // nothing to forget
  }
}
