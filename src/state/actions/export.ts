// The export zip of what the gallery shows, streamed: to a file the user picks where the browser
// can write one (File System Access), else through the service worker into the browser's downloads,
// else (no service worker in control yet) into Blob parts downloaded at the end. Progress and Cancel.
import { ExportCancelled, writeExport, type ExportSink, type OverlayMaker } from '../../export/exportZip';
import { preparationWorkers } from '../../engine/preparationWorkers';
import { samplesOfSplit } from '../../sources/datasets/dataset';
import { methodById } from '../../methods/registry';
import { messageOf } from '../../common/errors';
import { inputGeometry, isCurrent, layersOf, methodSet, targetDescription, targetLayerOf } from '../selectors';
import { useStore } from '../store';
import { say } from './messages';
import { task } from './task';
import { streamedDownload } from '../../offline/download';
import { forWorker } from '../../sources/datasets/files';

const exporting = task();

/**
 * Overlays drawn and encoded in the page's preparation workers (idle once a run is done; starting
 * export workers of their own cost ~30 MB each and their start), so the page only writes the zip.
 */
function overlayWorkers(): { makeOverlay: OverlayMaker; parallel: number } {
  const apis = preparationWorkers(Math.min(4, navigator.hardwareConcurrency || 2));
  let next = 0;
  // a deflated zip entry is inflated there, and the PNG summed for the zip there: inflating and
  // summing here were ~0.8 ms of this thread's ~4 an overlay. The reading stays here: the export
  // goes through the zip in order, and the page reads it in blocks that serve many entries (a
  // worker reading each photo itself made the export of 1,000 photos ~15 % slower)
  const makeOverlay: OverlayMaker = async (order, sample) => {
    const worker = apis[next++ % apis.length];
    return worker.overlayPng({ ...order, image: await forWorker(sample) });
  };
  return { makeOverlay, parallel: 4 * apis.length };
}

type SavePicker = (o: { suggestedName: string; types: { description: string; accept: Record<string, string[]> }[] }) => Promise<{ createWritable(): Promise<{ write(c: Uint8Array): Promise<void>; close(): Promise<void>; abort(): Promise<void> }> }>;

/** A file on disk where the browser lets the page write one (not under automation: no one to answer the dialog). */
async function diskSink(): Promise<(ExportSink & { finish(): Promise<void>; abort(): Promise<void> }) | undefined> {
  const pick = (window as unknown as { showSaveFilePicker?: SavePicker }).showSaveFilePicker;
  if (!pick || navigator.webdriver) return undefined;
  const handle = await pick({ suggestedName: 'gradcam.zip', types: [{ description: 'Zip archive', accept: { 'application/zip': ['.zip'] } }] });
  const file = await handle.createWritable();
  return { write: (c) => file.write(c), finish: () => file.close(), abort: () => file.abort() };
}

/**
 * Blob parts, downloaded at the end; the parts live in the browser's blob store, not the page's
 * heap. Chunks are gathered into parts of a few MB (a Blob per zip chunk would be tens of thousands).
 */
function downloadSink(): ExportSink & { finish(): Promise<void>; abort(): Promise<void> } {
  let parts: Blob[] = [];
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = () => {
    if (pending.length) parts.push(new Blob(pending as BlobPart[]));
    pending = [];
    pendingBytes = 0;
  };
  return {
    write(c) {
      pending.push(c);
      pendingBytes += c.length;
      if (pendingBytes > 4 << 20) flush();
    },
    async finish() {
      flush();
      const url = URL.createObjectURL(new Blob(parts, { type: 'application/zip' }));
      parts = [];
      const a = document.createElement('a');
      a.href = url;
      a.download = 'gradcam.zip';
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
    async abort() {
      parts = [];
      pending = [];
    },
  };
}

export function cancelExport() {
  exporting.cancel();
}

/** Where an export's zip went: a file the user picked, the browser's downloads as it was written, or downloaded whole at the end. */
export type ExportedVia = 'file' | 'stream' | 'blob';

/** Writes the export; says where it went, or undefined when nothing was written. */
export async function exportOverlays(onProgress?: (done: number, total: number) => void): Promise<ExportedVia | undefined> {
  const s = useStore.getState();
  const { dataset, model, view, classNames, preprocess, split, explain, scoreCam } = s;
  if (!dataset || !model) return undefined;
  // only maps computed with the current settings (a cancelled re-run can leave older ones)
  const results = Object.fromEntries(Object.entries(s.results).filter(([id]) => isCurrent(s, id)));
  const stale = samplesOfSplit(dataset, split).filter((x) => s.results[x.id] && !results[x.id]).length;
  if (stale > 0) say('warning', `${stale} images still show maps from earlier settings and were left out of the export; press Run to refresh them.`);
  const signal = exporting.start();
  let sink: Awaited<ReturnType<typeof diskSink>>;
  let via: ExportedVia;
  try {
    const file = await diskSink();
    const streamed = file ? undefined : await streamedDownload('gradcam.zip');
    sink = file ?? streamed ?? downloadSink();
    via = file ? 'file' : streamed ? 'stream' : 'blob';
  } catch (e) {
    if ((e as Error).name !== 'AbortError') say('error', `Could not open the file to write: ${messageOf(e)}`);
    return undefined; // the user closed the save dialog
  }
  const workers = overlayWorkers();
  // Progress at most every 200 ms: a repaint of the page per overlay cost more than the overlays.
  let shownAt = 0;
  const progress = (done: number, total: number) => {
    if (done < total && performance.now() - shownAt < 200) return;
    shownAt = performance.now();
    onProgress?.(done, total);
  };
  try {
    const { rows } = await writeExport({
      samples: samplesOfSplit(dataset, split),
      results,
      scoreCam,
      view,
      classNames,
      model,
      targetLayer: targetLayerOf(s) ?? model.info.defaultTargetLayer,
      finer: { layers: layersOf(s), fusion: s.explain.fusion, smooth: s.explain.smooth !== 'off' ? s.explain.smooth : undefined },
      target: targetDescription(s),
      preprocess,
      geometry: inputGeometry(model, preprocess),
      score: explain.score,
      faithfulness: { how: s.faithfulnessHow, method: s.faithfulness[methodSet(s)], random: s.faithfulness.random, gaussian: s.faithfulness.gaussian },
      sanity: s.sanity.status === 'done' ? s.sanity.report : undefined,
    }, sink, { makeOverlay: workers.makeOverlay, parallel: workers.parallel, onProgress: progress, signal });
    await sink.finish();
    const missing = Object.keys(results).length - rows.length;
    if (missing > 0) say('warning', `${missing} images have no ${methodById(view.method).onRequest ? `${methodById(view.method).label} ` : ''}map yet and were left out of the export.`);
    return via;
  } catch (e) {
    await sink.abort();
    if (e instanceof ExportCancelled) say('info', `Export cancelled; ${via === 'stream' ? 'the browser shows the download as failed' : 'nothing was written'}.`);
    else say('error', `Export failed: ${messageOf(e)}. Your results are kept; try again.`);
    return undefined;
  }
}
