// Turning what the user dropped (a zip, a folder, loose files) into a flat list of files.
import { indexZip, type Deflated, type ZipEntry } from './zipIndex';
import { LimitError } from '../../common/limits';

export interface DroppedFile {
  /** Path inside the drop: folder and zip paths included, '/'-separated. */
  readonly path: string;
  /** The file's bytes; for a zip entry, inflated on each read (keep them only as long as needed). */
  readonly bytes: Uint8Array;
  /** A deflated zip entry's compressed data, to inflate off the page's thread (zipIndex.ts); else undefined. */
  readonly deflated?: () => Deflated | undefined;
}

export class DatasetError extends Error {}

export const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5) && (b[3] === 4 || b[3] === 6);

const IGNORED = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$|\._)/;

/** The same file under another path, still read lazily. */
export const renamed = (f: DroppedFile, path: string): DroppedFile => ({ path, get bytes() { return f.bytes; }, deflated: f.deflated });

/** A zip's files, indexed but not inflated. Throws DatasetError naming the zip when it is not one. */
export function unzip(name: string, bytes: Uint8Array): DroppedFile[] {
  let entries: ZipEntry[];
  try {
    entries = indexZip(bytes, name);
  } catch (e) {
    if (e instanceof LimitError) throw e;
    throw new DatasetError(`${name} is not a readable zip file (${(e as Error).message}). Re-download or re-create the zip and drop it again.`);
  }
  return entries
    .filter((entry) => !IGNORED.test(entry.name))
    .map((entry) => ({
      path: entry.name,
      get bytes() {
        try {
          return entry.read();
        } catch (e) {
          throw new DatasetError(`${name}: the entry ${entry.name} is damaged (${(e as Error).message}). Re-create the zip and drop it again.`);
        }
      },
      deflated: () => entry.deflated(),
    }));
}

/** Expands zips among the dropped files (lazily: entries are inflated when read); other files pass through. */
export async function expandDrop(files: DroppedFile[]): Promise<DroppedFile[]> {
  const out: DroppedFile[] = [];
  for (const f of files) {
    if (IGNORED.test(f.path)) continue;
    if (f.path.toLowerCase().endsWith('.zip') || isZip(f.bytes)) {
      const prefix = files.length > 1 ? f.path.replace(/\.zip$/i, '') + '/' : '';
      for (const inner of unzip(f.path, f.bytes)) out.push(prefix ? renamed(inner, prefix + inner.path) : inner);
    } else {
      out.push(f);
    }
  }
  return out;
}

/** A short name for what was dropped: the zip or folder name, or "N files". */
export function dropName(files: DroppedFile[]): string {
  if (files.length === 1) return files[0].path.split('/').pop() ?? files[0].path;
  const tops = new Set(files.map((f) => f.path.split('/')[0]));
  return tops.size === 1 && files[0].path.includes('/') ? [...tops][0] : `${files.length} files`;
}
