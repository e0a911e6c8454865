// One drop for everything: the files dropped together (a data-set zip with a model zip, a folder
// holding a model and its images) sorted by content into the model's files and the data set's.
// Pure: no DOM, no TF.js. Zips are indexed, not inflated, except the few small entries sniffed.
import { baseName } from '../common/paths';
import { isImagePath } from '../image/decode';
import { isHdf5 } from './models/hdf5';
import { parseLayersModelJson } from './models/modelFiles';
import { isZip, renamed, unzipAny, type DroppedFile } from './datasets/files';

export type DropTarget = 'model' | 'dataset';

export interface SortedDrop {
  /** Files for the model loader (whole zips where a zip holds only a model). */
  model: DroppedFile[];
  /** Files for the data-set loader (whole zips where a zip holds only data). */
  dataset: DroppedFile[];
  /** The model file's name (a .h5, a model.json) where one was seen outside a zip: a name for loose files. */
  modelFile?: string;
}

/** A companion (class names, weight shards, metadata) goes with a model only when there is one. */
type Kind = 'model' | 'companion' | 'data' | 'other';

const COMPANION_NAMES = new Set(['class_names.txt', 'labels.txt', 'metadata.json', 'config.json']);
const MODEL_EXTENSIONS = new Set(['h5', 'hdf5', 'keras']);

const extension = (path: string) => (baseName(path).includes('.') ? baseName(path).split('.').pop()!.toLowerCase() : '');

/** What one (non-zip) file is, by name first so that images are never inflated to be sniffed. */
function kindOf(f: DroppedFile): Kind {
  const name = baseName(f.path).toLowerCase();
  if (isImagePath(f.path) || name === 'info.labels') return 'data';
  if (MODEL_EXTENSIONS.has(extension(name))) return 'model';
  if (COMPANION_NAMES.has(name) || extension(name) === 'bin') return 'companion';
  if (f.read) return 'other'; // left on disk: a file too big to be a model's JSON (zipOnDisk)
  if (extension(name) === 'json') return parseLayersModelJson(f.bytes) ? 'model' : 'other';
  if (extension(name) === '' && isHdf5(f.bytes.subarray(0, 8))) return 'model';
  return 'other';
}

/** A zip by name, or by content when the name says nothing (an image is never read to tell). */
const isZipFile = (f: DroppedFile) => !!f.blob || extension(f.path) === 'zip' || (extension(f.path) !== 'keras' && !isImagePath(f.path) && !f.read && isZip(f.bytes.subarray(0, 4)));

/**
 * Splits a drop into model files and data-set files. A zip holding only one kind goes whole to
 * that side (so the loaders name it as before); a zip or folder holding both is split entry by
 * entry. Files that are neither (a README, an unreadable zip) go to `hint` (the area they were
 * dropped on), else to the data set, whose loader says what it could not use. With no model
 * file, or no image, everything goes to the one side that has something (or to `hint`).
 */
export async function sortDrop(files: DroppedFile[], hint?: DropTarget): Promise<SortedDrop> {
  const model: DroppedFile[] = [];
  const companions: DroppedFile[] = [];
  const data: DroppedFile[] = [];
  const other: DroppedFile[] = [];
  const sides = { model, companion: companions, data, other } as const;
  let sawModel = false;
  let sawData = false;
  for (const f of files) {
    if (!isZipFile(f)) {
      const kind = kindOf(f);
      sides[kind].push(f);
      sawModel ||= kind === 'model';
      sawData ||= kind === 'data';
      continue;
    }
    let entries: DroppedFile[];
    try {
      entries = await unzipAny(f);
    } catch {
      other.push(f); // the loader it lands on says why it cannot be read (or that it is over a limit)
      continue;
    }
    const kinds = entries.map(kindOf);
    const hasModel = kinds.includes('model');
    const hasData = kinds.includes('data');
    sawModel ||= hasModel;
    sawData ||= hasData;
    if (hasModel && hasData) {
      const prefix = f.path.replace(/\.zip$/i, '') + '/';
      entries.forEach((e, i) => sides[kinds[i]].push(renamed(e, prefix + e.path)));
    } else {
      (hasModel ? model : hasData ? data : other).push(f);
    }
  }
  if (!sawModel) return hint === 'model' && !sawData ? { model: files, dataset: [] } : { model: [], dataset: files };
  const modelFile = model[0] && baseName(model[0].path);
  if (!sawData) return { model: files, dataset: [], modelFile };
  return hint === 'model' ? { model: [...model, ...companions, ...other], dataset: data, modelFile } : { model: [...model, ...companions], dataset: [...data, ...other], modelFile };
}
