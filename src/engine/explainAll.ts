// Streams samples through the engine in batches. Used by the app (engine in a worker) and
// the command line (engine in-process); cancel with an AbortSignal between batches.
import type { ImageToExplain, RunOptions, SampleResult } from './types';

export interface RunProgress {
  done: number;
  total: number;
  failed: number;
}

export interface RunHooks {
  batchSize?: number;
  signal?: AbortSignal;
  onBatch?: (outcomes: SampleResult[], progress: RunProgress) => void;
}

type Explainer = { explainImages(images: ImageToExplain[], options: RunOptions): Promise<SampleResult[]> };

export async function explainAll(engine: Explainer, images: ImageToExplain[], options: RunOptions, hooks: RunHooks = {}): Promise<RunProgress> {
  const batchSize = hooks.batchSize ?? 16;
  const progress: RunProgress = { done: 0, total: images.length, failed: 0 };
  for (let i = 0; i < images.length; i += batchSize) {
    if (hooks.signal?.aborted) break;
    const outcomes = await engine.explainImages(images.slice(i, i + batchSize), options);
    progress.done += outcomes.length;
    progress.failed += outcomes.filter((o) => 'error' in o).length;
    hooks.onBatch?.(outcomes, { ...progress });
  }
  return progress;
}
