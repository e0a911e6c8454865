// Turning what the user dropped (a zip, a folder, loose files) into a flat list of files.
import { indexZip, indexZipBlob, readSpot, readSpots, type Deflated, type LazyZipEntry, type ZipBlob, type ZipEntry, type ZipSpot } from './zipIndex';
import { LimitError } from '../../common/limits';
import { sampleOf, sampleRanges, type FileSample } from '../../common/fingerprint';
import { isImagePath } from '../../image/decode';
import type { ImageBytes } from '../../image/prepare';

export interface DroppedFile {
  /** Path inside the drop: folder and zip paths included, '/'-separated. */
  readonly path: string;
  /**
   * The file's bytes; for a zip entry, inflated on each read (keep them only as long as needed).
   * A file left on disk (`read`, `blob`) has none here: reading them throws; use readBytes.
   */
  readonly bytes: Uint8Array;
  /** A deflated zip entry's compressed data, to inflate off the page's thread (zipIndex.ts); else undefined. */
  readonly deflated?: () => Deflated | undefined;
  /** An image in a zip left on disk: its bytes, read (and inflated) when asked for. */
  readonly read?: () => Promise<Uint8Array>;
  /** …and its compressed data when it is deflated. */
  readonly readDeflated?: () => Promise<Deflated | undefined>;
  /** A zip the browser reads a range at a time (a dropped File), never whole. */
  readonly blob?: ZipBlob;
  /** The size of a file left on disk (`read`), unpacked. */
  readonly size?: number;
  /** A loose image left on disk: when it was last changed (the browser's File), which stands for its contents in the fingerprint. */
  readonly lastModified?: number;
  /** A file left on disk as a worker can read it itself (readOnDisk): the browser's File, and where a zip's entry lies in it. */
  readonly onDisk?: OnDisk;
}

/** A file on disk a worker can read: a loose file (`spot` undefined) or an entry of a zip. */
export type OnDisk = { blob: Blob; spot?: ZipSpot };

/** A file left on disk, read where this is called (a worker: the page's thread is not held by the reads). */
export const readOnDisk = async ({ blob, spot }: OnDisk): Promise<Uint8Array> => (spot ? readSpot(blob, spot) : new Uint8Array(await blob.arrayBuffer()));

/** Several files on disk, read where this is called, the entries of one zip together (readSpots); each a result of its own. */
export async function readAllOnDisk(files: OnDisk[]): Promise<PromiseSettledResult<Uint8Array>[]> {
  const out: PromiseSettledResult<Uint8Array>[] = new Array(files.length);
  const byZip = new Map<Blob, number[]>();
  const loose: number[] = [];
  files.forEach((f, i) => (f.spot ? byZip.set(f.blob, [...(byZip.get(f.blob) ?? []), i]) : loose.push(i)));
  await Promise.all([
    ...[...byZip].map(async ([blob, at]) => (await readSpots(blob, at.map((i) => files[i].spot!))).forEach((r, k) => (out[at[k]] = r))),
    ...loose.map(async (i) => (out[i] = (await Promise.allSettled([readOnDisk(files[i])]))[0])),
  ]);
  return out;
}

/**
 * Files on disk at least this big (compressed) are read by the worker that decodes them: a photo is
 * a read of its own there; small ones (doodles) come through the zip's blocks on the page's thread,
 * one read of which serves hundreds.
 */
const READ_THERE = 8 * 1024;

/** Where a worker reads this file itself (a file on disk big enough), else undefined. */
export const readInWorker = (f: Pick<DroppedFile, 'onDisk'>): OnDisk | undefined => (f.onDisk && (f.onDisk.spot?.compressed ?? Infinity) >= READ_THERE ? f.onDisk : undefined);

/** Where a file on disk can be read by a worker: only a browser's Blob or File goes in a message. */
const onDiskIn = (blob: ZipBlob, spot?: ZipSpot): OnDisk | undefined => (typeof Blob === 'function' && blob instanceof Blob ? { blob, spot } : undefined);

/** A file's bytes, however it is held (a failure to read is a rejection). */
export const readBytes = async (f: Pick<DroppedFile, 'bytes' | 'read'>): Promise<Uint8Array> => (f.read ? f.read() : f.bytes);

/** A deflated zip entry's compressed data, however it is held; else undefined. */
export const readDeflated = async (f: Pick<DroppedFile, 'deflated' | 'readDeflated'>): Promise<Deflated | undefined> => (f.readDeflated ? f.readDeflated() : f.deflated?.());

/**
 * What a worker needs to decode a file: a deflated zip entry's compressed data (inflated there),
 * else its bytes. Never a view into a zip held in memory: a message would carry the whole zip.
 */
export async function forWorker(f: Pick<DroppedFile, 'bytes' | 'deflated' | 'read' | 'readDeflated'>): Promise<ImageBytes> {
  const packed = await readDeflated(f);
  if (packed) return { deflated: f.readDeflated ? packed.data : packed.data.slice(), size: packed.size };
  return { bytes: await readBytes(f) };
}

/** What the fingerprint reads of a file (its size, first and last 64 KB), reading no more of a zip on disk. */
export async function sampleFile(f: DroppedFile): Promise<FileSample> {
  // a loose image on disk: its name, size and date, read from none of them (10,000 photos start at once)
  if (f.lastModified !== undefined) return { name: `${f.path}@${f.lastModified}`, size: sizeOf(f), head: new Uint8Array(0), tail: new Uint8Array(0) };
  if (!f.blob) return sampleOf(f.path, await readBytes(f)); // an entry of a zip on disk is read (a small file)
  const { head, tail } = sampleRanges(f.blob.size);
  const range = async ([a, b]: [number, number]) => new Uint8Array(await f.blob!.slice(a, b).arrayBuffer());
  return { name: f.path, size: f.blob.size, head: await range(head), tail: await range(tail) };
}

/** The bytes of a file the page holds (none for one left on disk). */
export const heldBytes = (f: DroppedFile): number => (f.blob || f.read ? 0 : f.bytes.length);

/** A file's size without reading it. */
export const sizeOf = (f: DroppedFile): number => f.size ?? f.blob?.size ?? f.bytes.length;

const onDisk = (path: string): never => {
  throw new Error(`${path} is read from disk when needed: read it with readBytes`);
};

/** A loose image the browser reads when it is needed (the engine, its tile, the export), as a zip's images are. */
export const imageOnDisk = (path: string, file: ZipBlob & { lastModified: number }): DroppedFile => ({
  path,
  get bytes() { return onDisk(path); },
  read: async () => new Uint8Array(await file.slice(0, file.size).arrayBuffer()),
  size: file.size,
  lastModified: file.lastModified,
  onDisk: onDiskIn(file),
});

/** A zip the browser reads a range at a time: its bytes are never all in the page. */
export const zipOnDisk = (path: string, blob: ZipBlob): DroppedFile => ({ path, get bytes() { return onDisk(path); }, blob });

export class DatasetError extends Error {}

export const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5) && (b[3] === 4 || b[3] === 6);

const IGNORED = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$|\._)/;

/** The same file under another path, still read lazily. */
export const renamed = (f: DroppedFile, path: string): DroppedFile => ({ path, get bytes() { return f.bytes; }, deflated: f.deflated, read: f.read, readDeflated: f.readDeflated, blob: f.blob, size: f.size, lastModified: f.lastModified, onDisk: f.onDisk });

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
          throw damaged(name, entry.name, e);
        }
      },
      deflated: () => entry.deflated(),
    }));
}

const damaged = (name: string, entry: string, e: unknown) => new DatasetError(`${name}: the entry ${entry} is damaged (${(e as Error).message}). Re-create the zip and drop it again.`);

/** Non-image entries bigger than this stay on disk too (nothing reads them: a video, an archive). */
const READ_AT_ONCE = 256 * 1024 * 1024;

/**
 * A zip left on disk, indexed from its directory: its images are read when asked for; the rest
 * (info.labels, a model's files) are read now, as the loaders read them at once.
 */
export async function unzipBlob(name: string, blob: ZipBlob): Promise<DroppedFile[]> {
  let entries: LazyZipEntry[];
  try {
    entries = await indexZipBlob(blob, name);
  } catch (e) {
    if (e instanceof LimitError) throw e;
    throw new DatasetError(`${name} is not a readable zip file (${(e as Error).message}). Re-download or re-create the zip and drop it again.`);
  }
  const read = (entry: LazyZipEntry) => entry.read().catch((e) => Promise.reject(damaged(name, entry.name, e)));
  const kept = entries.filter((entry) => !IGNORED.test(entry.name));
  return Promise.all(
    kept.map(async (entry): Promise<DroppedFile> => {
      if (!isImagePath(entry.name) && entry.size <= READ_AT_ONCE) return { path: entry.name, bytes: await read(entry) };
      return { path: entry.name, size: entry.size, get bytes() { return onDisk(entry.name); }, read: () => read(entry), readDeflated: () => entry.deflated().catch((e) => Promise.reject(damaged(name, entry.name, e))), onDisk: onDiskIn(blob, entry.spot) };
    }),
  );
}

/** A zip's files, whether it is in memory or on disk. */
export const unzipAny = (f: DroppedFile): Promise<DroppedFile[]> => (f.blob ? unzipBlob(f.path, f.blob) : Promise.resolve().then(() => unzip(f.path, f.bytes)));

/** Expands zips among the dropped files (lazily: entries are inflated when read); other files pass through. */
export async function expandDrop(files: DroppedFile[]): Promise<DroppedFile[]> {
  const out: DroppedFile[] = [];
  for (const f of files) {
    if (IGNORED.test(f.path)) continue;
    if (f.blob || f.path.toLowerCase().endsWith('.zip') || (!f.read && isZip(f.bytes))) {
      const prefix = files.length > 1 ? f.path.replace(/\.zip$/i, '') + '/' : '';
      for (const inner of await unzipAny(f)) out.push(prefix ? renamed(inner, prefix + inner.path) : inner);
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
