// What the user dropped as a model: expands zips and finds the class names that travel with it.
import { expandDrop, sizeOf, type DroppedFile } from '../datasets/files';
import { baseName } from '../../common/paths';
import { checkModelFile } from '../../common/limits';

const lowerBaseName = (p: string) => baseName(p).toLowerCase();

/**
 * Class names in output order from files next to the model: class_names.txt / labels.txt
 * (one per line; Teachable Machine's "0 name" prefixes removed) or metadata.json {labels}.
 */
export function classNamesFromFiles(files: DroppedFile[]): string[] | undefined {
  const text = (f: DroppedFile) => new TextDecoder().decode(f.bytes);
  for (const f of files) {
    const n = lowerBaseName(f.path);
    if (n === 'class_names.txt' || n === 'labels.txt') {
      const lines = text(f).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
      const indexed = lines.length > 0 && lines.every((l, i) => l.startsWith(`${i} `));
      return indexed ? lines.map((l) => l.slice(l.indexOf(' ') + 1)) : lines;
    }
  }
  for (const f of files) {
    if (lowerBaseName(f.path) !== 'metadata.json') continue;
    try {
      const labels = (JSON.parse(text(f)) as { labels?: unknown }).labels;
      if (Array.isArray(labels) && labels.every((l) => typeof l === 'string')) return labels;
    } catch {
      // not the metadata we know; ignore
    }
  }
  return undefined;
}

export async function readModelDrop(files: DroppedFile[]): Promise<{ files: DroppedFile[]; classNames?: string[] }> {
  const expanded = await expandDrop(files);
  for (const f of expanded) checkModelFile(baseName(f.path), sizeOf(f));
  // a model's loaders read its files whole: any left on disk (images in a zip) are read now
  const all = await Promise.all(expanded.map(async (f) => (f.read ? { path: f.path, bytes: await f.read() } : f)));
  return { files: all, classNames: classNamesFromFiles(all) };
}

/** A TF.js layers-model JSON (its `modelTopology`), or undefined: how a model.json is told from other JSON. */
export function parseLayersModelJson(bytes: Uint8Array): ({ modelTopology: object } & Record<string, unknown>) | undefined {
  try {
    const json = JSON.parse(new TextDecoder().decode(bytes));
    return json && typeof json === 'object' && 'modelTopology' in json ? json : undefined;
  } catch {
    return undefined;
  }
}
