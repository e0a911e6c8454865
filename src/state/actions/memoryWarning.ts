// Before a run: the memory it will take, against what this device gives one page (common/memoryEstimate.ts).
import { estimateRunMemory, pageBudgetMB } from '../../common/memoryEstimate';
import { MAP_KEYS } from '../../methods/registry';
import { samplesOfSplit } from '../../sources/datasets/dataset';
import { targetLayerOf } from '../selectors';
import { useStore } from '../store';
import { say } from './messages';

const get = useStore.getState;

/** Before a run: will it fit in what this device gives one page? If not, say so and what to do (the run goes on). */
export function warnIfTooBig(images: number) {
  const s = get();
  if (!s.model || !s.dataset) return;
  const nav = globalThis.navigator as (Navigator & { deviceMemory?: number }) | undefined;
  const heap = (globalThis.performance as Performance & { memory?: { jsHeapSizeLimit: number } }).memory?.jsHeapSizeLimit;
  const budget = pageBudgetMB(nav?.deviceMemory, heap);
  const shape = s.model.info.targetLayers.find((l) => l.path === targetLayerOf(s))?.shape ?? [];
  const [h, w, c] = s.model.info.inputShape;
  const need = estimateRunMemory({
    images,
    datasetBytes: s.datasetBytes ?? 0,
    modelParams: s.model.info.paramCount,
    gridCells: (shape.at(-3) ?? 1) * (shape.at(-2) ?? 1),
    mapsPerImage: MAP_KEYS.length,
    inputValues: h * w * c,
    batch: s.backend?.batchSize ?? 16,
  });
  if (budget === undefined || need.total <= budget) return;
  // a data set left on disk (a dropped zip or folder) takes no page memory: it is not named
  const testing = s.split === 'all' ? samplesOfSplit(s.dataset, 'testing').length : 0;
  say('warning', `This run may need about ${need.total} MB (${need.dataset ? `the data set ${need.dataset} MB, ` : ''}its results ${need.results} MB, the model ${need.model} MB, the browser and the engine ${need.browser + need.gallery + need.batches} MB), more than this device is likely to give one page (about ${budget} MB): the tab may run out of memory. ${testing > 0 && testing < images ? `Choose the testing split (${testing} images), or split` : 'Split'} the data set into smaller zips and explain them one at a time. Results already explained are kept if it does.`);
}
