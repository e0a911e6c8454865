// How much memory a run will take, from what is known before it starts, to warn before a browser
// tab runs out rather than after. Calibrated on this project's bench (bench/app: 10,000 doodles
// peaked at ~840 MB during the run, 1,000 VWW photos at ~790 MB; the browser alone holds ~400 MB).

const MB = 1024 * 1024;

export interface RunSize {
  images: number;
  /** Bytes of the dropped data set the page holds (loose files, a zip fetched from the API; a dropped zip stays on disk). */
  datasetBytes: number;
  modelParams: number;
  /** The explained layer's grid (height × width): the size of each map. */
  gridCells: number;
  /** Maps kept per image (one per method and pooling). */
  mapsPerImage: number;
  /** One model input's values (height × width × channels) and the batch size. */
  inputValues: number;
  batch: number;
}

/** The parts, in MB, rounded up; `total` is their sum. */
export function estimateRunMemory(x: RunSize): Record<'browser' | 'dataset' | 'model' | 'results' | 'gallery' | 'batches' | 'total', number> {
  const parts = {
    // Chromium's processes, the page, the engine worker and the WASM runtime before any work
    browser: 600,
    dataset: x.datasetBytes / MB,
    // the weights in the worker, the copy a backend packs them into, and a copy while loading
    model: (3 * 4 * x.modelParams) / MB,
    // per image: its maps, its top classes (~200 bytes), and ~1 kB of bookkeeping (ids, the store's entries)
    results: (x.images * (4 * x.mapsPerImage * x.gridCells + 200 + 1024)) / MB,
    // bounded caches: 300 thumbnails and 120 tiles' layers, ~100–200 kB each
    gallery: 100,
    // three batches in flight, each input with its activations and gradients (~30 copies)
    batches: (3 * x.batch * x.inputValues * 4 * 30) / MB,
  };
  const rounded = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, Math.ceil(v)])) as typeof parts;
  return { ...rounded, total: Object.values(rounded).reduce((a, b) => a + b, 0) };
}

/**
 * What one page can expect to use, in MB: half the device's memory where the browser says
 * (navigator.deviceMemory, in GB, rounded and capped at 8 by Chrome), never more than the 4 GB a
 * tab's heap is limited to; undefined where the browser does not say.
 */
export function pageBudgetMB(deviceMemoryGB: number | undefined, heapLimitBytes?: number): number | undefined {
  const budgets = [deviceMemoryGB ? (deviceMemoryGB * 1024) / 2 : undefined, heapLimitBytes ? heapLimitBytes / MB : undefined].filter((v): v is number => v !== undefined);
  return budgets.length ? Math.min(4096, ...budgets) : undefined;
}
