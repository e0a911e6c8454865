// A fresh export of the project's data, and its trained model.
import { callApi, apiBytes, downloadExport, EdgeImpulseError, type Connection, type Keeper } from './http';
import type { ProjectFacts } from './project';

export interface ExportOptions {
  onStep?: (text: string) => void;
  /** Poll interval for the export job (official clients poll every 1–5 s). */
  pollMs?: number;
  /** Give up waiting for the export after this long. */
  timeoutMs?: number;
  /** Rewrites the storage URL to go through this app's proxy, when direct downloads are refused. */
  via?: (url: string) => string;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((res, rej) => {
    const t = setTimeout(res, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      rej(new EdgeImpulseError('Cancelled.', 'cancelled'));
    });
  });

/**
 * Starts a fresh export job, waits for it, and downloads the zip it made (never an older one):
 * its bytes, or with `keep` the file it was written to as it arrived.
 */
export function exportDataset(c: Connection, facts: ProjectFacts, options?: ExportOptions): Promise<Uint8Array>;
export function exportDataset(c: Connection, facts: ProjectFacts, options: ExportOptions, keep: Keeper): Promise<Blob>;
export async function exportDataset(c: Connection, facts: ProjectFacts, options: ExportOptions = {}, keep?: Keeper): Promise<Uint8Array | Blob> {
  const { onStep = () => {}, pollMs = 2000, timeoutMs = 10 * 60_000 } = options;
  const pid = facts.projectId;
  onStep('Starting a fresh export of the data set…');
  let jobId: number;
  try {
    jobId = (await callApi<{ id: number }>(c, 'POST', `/api/${pid}/jobs/export/original`, { uploaderFriendlyFilenames: true, retainCrops: true })).id;
  } catch (e) {
    const err = e as EdgeImpulseError;
    if (facts.role !== 'admin' && facts.role !== 'unknown' && err.kind !== 'network' && err.kind !== 'cancelled') {
      throw new EdgeImpulseError(`This key's role is "${facts.role}", which cannot start an export (${err.message}). Use an admin API key.`, 'forbidden', err.status);
    }
    throw err;
  }
  const started = Date.now();
  let created: number | undefined;
  for (;;) {
    const { job } = await callApi<{ job: { created?: string; finished?: string; finishedSuccessful?: boolean } }>(c, 'GET', `/api/${pid}/jobs/${jobId}/status`);
    created ??= job.created ? Date.parse(job.created) : started;
    if (job.finished) {
      if (job.finishedSuccessful === false) throw new EdgeImpulseError(`The export job (${jobId}) failed in Edge Impulse. Try again; if it keeps failing, check the project's jobs in Studio.`, 'api');
      break;
    }
    const waited = Date.now() - started;
    if (waited > timeoutMs) throw new EdgeImpulseError(`The export was not ready after ${Math.round(waited / 1000)} s. Press Retry to keep waiting, or try later.`, 'timeout');
    onStep(`Waiting for the export job ${jobId} (${Math.round(waited / 1000)} s)…`);
    await sleep(pollMs, c.signal);
  }
  // The latest export may still be an older one for a moment: take it only once it is this job's.
  for (;;) {
    const got = await callApi<{ hasExport?: boolean; created?: string; url?: string }>(c, 'GET', `/api/${pid}/export/get-url`);
    if (got.hasExport && got.url && got.created && Date.parse(got.created) >= created - 1000) {
      onStep('Downloading the data set…');
      const how = { fetch: c.fetch, signal: c.signal, via: options.via, retry: c.retry };
      return keep ? downloadExport(got.url, how, keep) : downloadExport(got.url, how);
    }
    if (Date.now() - started > timeoutMs) throw new EdgeImpulseError('Edge Impulse only offers an export older than the one just made. Press Retry.', 'timeout');
    await sleep(pollMs, c.signal);
  }
}

/** The trained Keras model: a zip holding model.h5. */
export async function downloadModel(c: Connection, facts: ProjectFacts, onStep: (text: string) => void = () => {}): Promise<Uint8Array> {
  onStep('Downloading the trained model…');
  return apiBytes(c, `/api/${facts.projectId}/learn-data/${facts.learnBlock.id}/model/tflite-h5`);
}
