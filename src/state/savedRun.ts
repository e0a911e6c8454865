// Results kept in this browser (IndexedDB) while a run streams in, so a reload or a closed tab loses
// nothing: on return, loading the same files (the same model, data set, split and settings, checked
// by fingerprints of the files' names, sizes and contents) carries on from there. One run is kept, the
// latest; nothing leaves the browser, and the API key is never part of it. Where IndexedDB is missing
// (Node) or refused (a private window may refuse it), nothing is kept and nothing fails.
import type { SampleResult } from '../engine/types';

/** What the return visit is told, and what it must match. */
export interface SavedRun {
  /** The model, data set, split and run settings, fingerprinted (see runKey). */
  key: string;
  model: string;
  dataset: string;
  total: number;
  done: number;
  finished: boolean;
  savedAt: number;
}

const DB = 'gradcam-studio';
const RESULTS = 'results';
const META = 'meta';

let db: Promise<IDBDatabase | undefined> | undefined;
function open(): Promise<IDBDatabase | undefined> {
  db ??= new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') return resolve(undefined);
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore(RESULTS, { keyPath: 'id' });
      req.result.createObjectStore(META);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => resolve(undefined);
    req.onblocked = () => resolve(undefined);
  });
  return db;
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted (is the disk full?)'));
  });
}

const request = <T>(r: IDBRequest<T>) => new Promise<T>((resolve, reject) => {
  r.onsuccess = () => resolve(r.result);
  r.onerror = () => reject(r.error);
});

/**
 * The kept results' format: part of the run's identity, so results kept by an older version (version
 * 1 kept one record a sample, with its whole output vector) are never read as this version's (one
 * record a batch, each sample with its top classes).
 */
const FORMAT = 2;

/** Identity of a run: what must be the same for kept results to be the ones this run would compute. */
export function runKey(parts: { modelKey: string; datasetKey: string; split: string; options: unknown }): string {
  return JSON.stringify([FORMAT, parts.modelKey, parts.datasetKey, parts.split, parts.options]);
}

export async function savedRun(): Promise<SavedRun | undefined> {
  const d = await open();
  if (!d) return undefined;
  return (await request(d.transaction(META).objectStore(META).get('run'))) as SavedRun | undefined;
}

/**
 * Reads the kept run's description and writes, in one transaction: `write` is called with it while
 * the transaction is still open (in the read's success handler), so nothing can slip in between.
 */
async function update(write: (tx: IDBTransaction, kept: SavedRun | undefined) => void): Promise<void> {
  const d = await open();
  if (!d) return;
  const tx = d.transaction([META, RESULTS], 'readwrite');
  const read = tx.objectStore(META).get('run');
  read.onsuccess = () => write(tx, read.result as SavedRun | undefined);
  await done(tx);
}

/** A new run: what was kept of another run is dropped (one run is kept). */
export function beginSavedRun(meta: SavedRun): Promise<void> {
  return update((tx, kept) => {
    if (kept?.key !== meta.key) tx.objectStore(RESULTS).clear();
    tx.objectStore(META).put(meta, 'run');
  });
}

/** Keys of the batches written by this page: numbers, in the order written (a later batch wins). */
let batches = Date.now() * 1000;

/**
 * Results as they arrive, and how far the run got. A batch is one record: one put per result cost
 * the page's thread ~85 µs a result (10,000 doodles: 0.85 s of a 28 s run).
 */
export function keepResults(results: SampleResult[], progress: Pick<SavedRun, 'done' | 'finished'>): Promise<void> {
  return update((tx, kept) => {
    if (!kept) return;
    if (results.length) tx.objectStore(RESULTS).put({ id: batches++, results });
    tx.objectStore(META).put({ ...kept, ...progress, savedAt: Date.now() }, 'run');
  });
}

/** The kept results, if they are this run's (a sample kept twice: its later result). */
export async function keptResults(key: string): Promise<SampleResult[]> {
  const d = await open();
  const kept = await savedRun();
  if (!d || kept?.key !== key) return [];
  const records = (await request(d.transaction(RESULTS).objectStore(RESULTS).getAll())) as { id: number; results: SampleResult[] }[];
  const byId = new Map<string, SampleResult>();
  for (const r of records) for (const result of r.results) byId.set(result.id, result);
  return [...byId.values()];
}

export async function forgetSavedRun(): Promise<void> {
  const d = await open();
  if (!d) return;
  const tx = d.transaction([META, RESULTS], 'readwrite');
  tx.objectStore(RESULTS).clear();
  tx.objectStore(META).clear();
  await done(tx);
}
