// The export zip of what the gallery shows, downloaded by the browser.
import { buildExport } from '../../export/exportZip';
import { samplesOfSplit } from '../../sources/datasets/dataset';
import { methodById } from '../../methods/registry';
import { messageOf } from '../../common/errors';
import { inputGeometry, isCurrent, targetDescription, targetLayerOf } from '../selectors';
import { useStore } from '../store';
import { say } from './messages';

export async function exportOverlays(onProgress?: (done: number, total: number) => void): Promise<void> {
  const s = useStore.getState();
  const { dataset, model, view, classNames, preprocess, split, explain, scoreCam } = s;
  if (!dataset || !model) return;
  // only maps computed with the current settings (a cancelled re-run can leave older ones)
  const results = Object.fromEntries(Object.entries(s.results).filter(([id]) => isCurrent(s, id)));
  const stale = samplesOfSplit(dataset, split).filter((x) => s.results[x.id] && !results[x.id]).length;
  if (stale > 0) say('warning', `${stale} images still show maps from earlier settings and were left out of the export; press Run to refresh them.`);
  try {
    const { zip, rows } = await buildExport({
      samples: samplesOfSplit(dataset, split),
      results,
      scoreCam,
      view,
      classNames,
      model,
      targetLayer: targetLayerOf(s) ?? model.info.defaultTargetLayer,
      target: targetDescription(s),
      preprocess,
      geometry: inputGeometry(model, preprocess),
      score: explain.score,
    }, onProgress);
    const missing = Object.keys(results).length - rows.length;
    if (missing > 0) say('warning', `${missing} images have no ${methodById(view.method).onRequest ? `${methodById(view.method).label} ` : ''}map yet and were left out of the export.`);
    const url = URL.createObjectURL(new Blob([zip as BlobPart], { type: 'application/zip' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'gradcam.zip';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (e) {
    say('error', `Export failed: ${messageOf(e)}. Your results are kept; try again.`);
  }
}
