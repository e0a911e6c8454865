// Browser file inputs and drag-and-drop (files and whole folders) → DroppedFile[].
import { imageOnDisk, zipOnDisk, type DroppedFile } from '../sources/datasets/files';
import { isImagePath } from '../image/decode';

/**
 * A zip stays on disk, read a range at a time (its directory now, each image when it is needed), and
 * so do loose images: a 10,000-photo export or folder is never all in the page. Other files (a
 * model, info.labels, class names) are read now.
 */
async function fromFile(file: File, path?: string): Promise<DroppedFile> {
  const name = path ?? (file.webkitRelativePath || file.name);
  if (/\.zip$/i.test(name)) return zipOnDisk(name, file);
  if (isImagePath(name)) return imageOnDisk(name, file);
  return { path: name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

export function readFileList(list: FileList | File[]): Promise<DroppedFile[]> {
  return Promise.all([...list].map((f) => fromFile(f)));
}

async function readEntry(entry: FileSystemEntry, out: DroppedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
    out.push(await fromFile(file, entry.fullPath.replace(/^\//, '')));
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
    if (batch.length === 0) break;
    for (const e of batch) await readEntry(e, out);
  }
}

/** Reads a drop, descending into dropped folders. */
export async function readDataTransfer(dt: DataTransfer): Promise<DroppedFile[]> {
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return readFileList(dt.files);
  const out: DroppedFile[] = [];
  for (const e of entries) await readEntry(e, out);
  return out;
}
