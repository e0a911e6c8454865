// Builds the sample index from dropped files: which files are images, their split and label.
import { isImagePath } from '../../image/decode';
import { baseName } from '../../common/paths';
import { DatasetError, renamed, type DroppedFile } from './files';
import { labelFromFileName, parseInfoLabels, SPLIT_FOLDERS, type Split } from './labels';

export interface Sample {
  /** Stable within the data set (its path, made unique), never an array position. */
  readonly id: string;
  /** Path inside the data set (after the common root folder is removed). */
  path: string;
  fileName: string;
  label: string | undefined;
  split: Split;
  /** The image file; read from its zip each time (see DroppedFile). Absent for an image left on disk: read every sample with readBytes. */
  readonly bytes: Uint8Array;
  /** Its compressed data when it is a deflated zip entry (see DroppedFile). */
  readonly deflated?: DroppedFile['deflated'];
  /** An image left on disk (see DroppedFile). */
  readonly read?: DroppedFile['read'];
  readonly readDeflated?: DroppedFile['readDeflated'];
  readonly onDisk?: DroppedFile['onDisk'];
}

export type DatasetLayout = 'edge-impulse' | 'edge-impulse-names' | 'class-folders';

export interface Dataset {
  name: string;
  layout: DatasetLayout;
  samples: Sample[];
  /** The samples by id. */
  byId: ReadonlyMap<string, Sample>;
  /** Files that were not used, with the reason. */
  skipped: { path: string; reason: string }[];
  splits: Split[];
}

const QUIET = new Set(['info.labels', 'readme.txt', 'readme.md', 'license', 'license.txt']);

/** Removes folders that every path shares (a zip of a folder), keeping at least the file name. */
function stripCommonRoot(files: DroppedFile[], anchor?: string): DroppedFile[] {
  let root = '';
  if (anchor) {
    root = anchor.slice(0, anchor.length - 'info.labels'.length);
  } else {
    const dirs = files.map((f) => f.path.split('/').slice(0, -1));
    const first = dirs[0] ?? [];
    let n = 0;
    while (n < first.length && dirs.every((d) => d.length > n + 1 && d[n] === first[n]) && !SPLIT_FOLDERS.includes(first[n] as Split)) n++;
    root = n ? first.slice(0, n).join('/') + '/' : '';
  }
  return files.filter((f) => f.path.startsWith(root)).map((f) => (root ? renamed(f, f.path.slice(root.length)) : f));
}

export function buildDataset(name: string, dropped: DroppedFile[]): Dataset {
  const infoFile = dropped.find((f) => baseName(f.path) === 'info.labels');
  const files = stripCommonRoot(dropped, infoFile?.path);
  const skipped: Dataset['skipped'] = [];
  const samples: Sample[] = [];
  let layout: DatasetLayout;
  const byId = new Map<string, Sample>();
  const push = (f: DroppedFile, label: string | undefined, split: Split) => {
    let id = f.path;
    for (let n = 2; byId.has(id); n++) id = `${f.path}#${n}`;
    const sample: Sample = { id, path: f.path, fileName: baseName(f.path), label, split, get bytes() { return f.bytes; }, deflated: f.deflated, read: f.read, readDeflated: f.readDeflated, onDisk: f.onDisk };
    samples.push(sample);
    byId.set(id, sample);
  };

  if (infoFile) {
    layout = 'edge-impulse';
    const entries = new Map(parseInfoLabels(new TextDecoder().decode(infoFile.bytes)).map((e) => [e.path, e]));
    for (const f of files) {
      if (QUIET.has(baseName(f.path).toLowerCase())) continue;
      const e = entries.get(f.path);
      if (!isImagePath(f.path)) skipped.push({ path: f.path, reason: 'not an image' });
      else if (!e) push(f, labelFromFileName(baseName(f.path)), splitOf(f.path));
      else push(f, e.label, e.split);
    }
  } else {
    const images = files.filter((f) => {
      if (QUIET.has(baseName(f.path).toLowerCase())) return false;
      if (isImagePath(f.path)) return true;
      skipped.push({ path: f.path, reason: 'not an image' });
      return false;
    });
    const namedLike = images.length > 0 && images.every((f) => labelFromFileName(baseName(f.path)) !== undefined && folderLabel(f.path) === undefined);
    layout = namedLike ? 'edge-impulse-names' : 'class-folders';
    for (const f of images) {
      const label = namedLike ? labelFromFileName(baseName(f.path)) : folderLabel(f.path) ?? labelFromFileName(baseName(f.path));
      push(f, label, splitOf(f.path));
    }
  }
  if (samples.length === 0) {
    const seen = dropped.length ? ` (found ${dropped.length} file${dropped.length > 1 ? 's' : ''}, e.g. ${dropped[0].path})` : '';
    throw new DatasetError(`${name} holds no images${seen}. Drop an Edge Impulse export or a zip/folder of class folders (<label>/<image>.png).`);
  }
  const splits = SPLIT_FOLDERS.filter((s) => samples.some((x) => x.split === s));
  if (samples.some((x) => x.split === 'unsplit')) splits.push('unsplit');
  return { name, layout, samples, byId, skipped, splits };
}

function splitOf(path: string): Split {
  const top = path.split('/')[0];
  return SPLIT_FOLDERS.includes(top as Split) ? (top as Split) : 'unsplit';
}

/** The class folder a file sits in, ignoring split folders. */
function folderLabel(path: string): string | undefined {
  const dirs = path.split('/').slice(0, -1).filter((d) => !SPLIT_FOLDERS.includes(d as Split));
  return dirs.at(-1);
}

/** The split a run uses by default: testing when there is one, else everything. */
export function defaultSplit(dataset: Dataset): Split | 'all' {
  return dataset.splits.includes('testing') ? 'testing' : 'all';
}

export function samplesOfSplit(dataset: Dataset, split: Split | 'all'): Sample[] {
  return split === 'all' ? dataset.samples : dataset.samples.filter((s) => s.split === split);
}
