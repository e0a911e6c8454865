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
  const call = (i: number) => engine.explainImages(images.slice(i, i + batchSize), options);
  // two batches in flight: the engine decodes the next while it computes this one
  let current = images.length ? call(0) : undefined;
  for (let i = 0; current; i += batchSize) {
    const ahead = i + batchSize < images.length && !hooks.signal?.aborted ? call(i + batchSize) : undefined;
    ahead?.catch(() => undefined); // a failure is reported when its turn comes, not as unhandled
    const outcomes = await current;
    current = ahead;
    if (hooks.signal?.aborted) {
      await ahead?.catch(() => undefined); // let it finish, so a new run does not queue behind it unseen
      break;
    }
    progress.done += outcomes.length;
    progress.failed += outcomes.filter((o) => 'error' in o).length;
    hooks.onBatch?.(outcomes, { ...progress });
  }
  return progress;
}
