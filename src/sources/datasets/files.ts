// Turning what the user dropped (a zip, a folder, loose files) into a flat list of files.
import JSZip from 'jszip';

export interface DroppedFile {
  /** Path inside the drop: folder and zip paths included, '/'-separated. */
  path: string;
  bytes: Uint8Array;
}

export class DatasetError extends Error {}

export const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5) && (b[3] === 4 || b[3] === 6);

const IGNORED = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$|\._)/;

/** Reads every file of a zip. Throws DatasetError naming the zip when it is not one. */
export async function unzip(name: string, bytes: Uint8Array): Promise<DroppedFile[]> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (e) {
    throw new DatasetError(`${name} is not a readable zip file (${(e as Error).message}). Re-download or re-create the zip and drop it again.`);
  }
  const out: DroppedFile[] = [];
  for (const entry of Object.values(zip.files)) {
    if (entry.dir || IGNORED.test(entry.name)) continue;
    try {
      out.push({ path: entry.name, bytes: await entry.async('uint8array') });
    } catch (e) {
      throw new DatasetError(`${name}: the entry ${entry.name} is damaged (${(e as Error).message}). Re-create the zip and drop it again.`);
    }
  }
  return out;
}

/** Expands zips among the dropped files; other files pass through. */
export async function expandDrop(files: DroppedFile[]): Promise<DroppedFile[]> {
  const out: DroppedFile[] = [];
  for (const f of files) {
    if (IGNORED.test(f.path)) continue;
    if (f.path.toLowerCase().endsWith('.zip') || isZip(f.bytes)) {
      const prefix = files.length > 1 ? f.path.replace(/\.zip$/i, '') + '/' : '';
      for (const inner of await unzip(f.path, f.bytes)) out.push({ path: prefix + inner.path, bytes: inner.bytes });
    } else {
      out.push(f);
    }
  }
  return out;
}
