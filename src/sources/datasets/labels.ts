// Label resolution: Edge Impulse's info.labels (JSON or NDJSON), then the `<label>.` file-name
// prefix, then class folders (`<label>/<image>`).
import { DatasetError } from './files';

export type Split = 'training' | 'testing' | 'validation' | 'unsplit';

export interface LabelEntry {
  path: string;
  split: Split;
  /** undefined when the sample is unlabeled or has a label kind we cannot compare (multi-label). */
  label: string | undefined;
}

interface InfoFile {
  path?: unknown;
  category?: unknown;
  label?: { type?: unknown; label?: unknown };
}

const toSplit = (v: unknown): Split => (v === 'training' || v === 'testing' || v === 'validation' ? v : 'unsplit');

function toEntry(f: InfoFile): LabelEntry | undefined {
  if (typeof f.path !== 'string') return undefined;
  const label = f.label?.type === 'label' && typeof f.label.label === 'string' ? f.label.label : undefined;
  return { path: f.path, split: toSplit(f.category), label };
}

/** Parses info.labels. Throws DatasetError with the reason when it is neither JSON nor NDJSON. */
export function parseInfoLabels(text: string): LabelEntry[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{"__ndjson"') || trimmed.startsWith('{ "__ndjson"')) {
    const out: LabelEntry[] = [];
    for (const line of trimmed.split('\n').slice(1)) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as { __key?: string; __item?: InfoFile };
      if (row.__key === 'files' && row.__item) {
        const e = toEntry(row.__item);
        if (e) out.push(e);
      }
    }
    return out;
  }
  let json: { files?: InfoFile[] };
  try {
    json = JSON.parse(trimmed);
  } catch (e) {
    throw new DatasetError(`info.labels is not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(json.files)) throw new DatasetError('info.labels has no "files" list');
  return json.files.map(toEntry).filter((e): e is LabelEntry => !!e);
}

/**
 * The label in an Edge Impulse file name: the text before the first dot, except that a
 * leading number keeps its decimal point (regression label "2.5" in `2.5.sample.png`).
 */
export function labelFromFileName(fileName: string): string | undefined {
  const numeric = /^(-?\d+\.\d+)\./.exec(fileName);
  if (numeric && fileName.split('.').length > 3) return numeric[1];
  const dot = fileName.indexOf('.');
  const lastDot = fileName.lastIndexOf('.');
  if (dot <= 0 || dot === lastDot) return undefined;
  return fileName.slice(0, dot);
}

export const SPLIT_FOLDERS: Split[] = ['training', 'testing', 'validation'];
