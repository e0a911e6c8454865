// A zip read lazily: the central directory is indexed once, and an entry is inflated only when
// its bytes are asked for (a 10,000-image export opens at once and never holds every image
// inflated). Stored entries (JPEGs usually are) cost a copy of their slice. A zip on disk (the
// browser's File: indexZipBlob) is not even read whole: its end and directory, then each entry's
// range when it is asked for.
import { inflateSync } from 'fflate';
import { checkZip } from '../../common/limits';

export interface ZipEntry {
  name: string;
  /** Uncompressed size in bytes. */
  size: number;
  /** Inflates (or copies) the entry; throws when its data is damaged. */
  read(): Uint8Array;
  /** A deflated entry's compressed data (a view into the zip) and size, to inflate elsewhere (a worker); undefined when stored. */
  deflated(): Deflated | undefined;
}

export interface Deflated {
  data: Uint8Array;
  size: number;
}

export class ZipFormatError extends Error {}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function findEndOfCentralDirectory(view: DataView): number {
  // the record is 22 bytes plus a comment of at most 65,535 bytes, at the very end
  for (let i = view.byteLength - 22; i >= Math.max(0, view.byteLength - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) return i;
  }
  throw new ZipFormatError('no zip directory found: the file is truncated or not a zip');
}

const u64 = (view: DataView, at: number) => Number(view.getBigUint64(at, true));

/** Where the central directory is and how many entries it claims, from the zip's last bytes. */
interface Directory {
  count: number;
  offset: number;
  size: number;
}

/**
 * The directory's place, from `tail` (the zip's last bytes); a ZIP64 zip keeps it in a record
 * elsewhere, read with `at` (offsets in the zip).
 */
function locateDirectory(tail: Uint8Array, at: (start: number, end: number) => Uint8Array): Directory;
function locateDirectory(tail: Uint8Array, at: (start: number, end: number) => Promise<Uint8Array>): Directory | Promise<Directory>;
function locateDirectory(tail: Uint8Array, at: (start: number, end: number) => Uint8Array | Promise<Uint8Array>): Directory | Promise<Directory> {
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  const end = findEndOfCentralDirectory(view);
  const plain = { count: view.getUint16(end + 10, true), size: view.getUint32(end + 12, true), offset: view.getUint32(end + 16, true) };
  if (!((plain.count === 0xffff || plain.offset === 0xffffffff) && end >= 20 && view.getUint32(end - 20, true) === ZIP64_LOCATOR)) return plain;
  const where = u64(view, end - 12);
  const fromRecord = (record: Uint8Array): Directory => {
    if (record.length < 56) throw new ZipFormatError('the ZIP64 directory record is missing (the zip is truncated)');
    const rv = new DataView(record.buffer, record.byteOffset, record.byteLength);
    return { count: u64(rv, 32), size: u64(rv, 40), offset: u64(rv, 48) };
  };
  const record = at(where, where + 56);
  return record instanceof Uint8Array ? fromRecord(record) : record.then(fromRecord);
}

/** Where an entry lies in its zip, as its directory says (plain data: it can go to a worker). */
export type ZipSpot = Readonly<Listed>;

/** One directory entry as the directory states it. */
interface Listed {
  name: string;
  method: number;
  compressed: number;
  size: number;
  /** Offset of its local header in the zip. */
  local: number;
  /** Lengths of its name and extra field in the directory. */
  nameLength: number;
  extraLength: number;
}

/** Walks the central directory (`dir`, which starts at the zip's offset `base`); over a limit, a LimitError naming `name`. */
function walkDirectory(dir: Uint8Array, base: number, { count, offset }: Directory, name: string): Listed[] {
  checkZip(name, count, 0); // before walking a directory that claims millions of entries
  const view = new DataView(dir.buffer, dir.byteOffset, dir.byteLength);
  const decoder = new TextDecoder();
  const out: Listed[] = [];
  let unpacked = 0;
  let at = offset - base;
  for (let i = 0; i < count; i++) {
    if (at < 0 || at + 46 > dir.length || view.getUint32(at, true) !== CENTRAL) throw new ZipFormatError(`the zip directory is damaged at entry ${i + 1} of ${count}`);
    const method = view.getUint16(at + 10, true);
    let compressed = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let local = view.getUint32(at + 42, true);
    const entryName = decoder.decode(dir.subarray(at + 46, at + 46 + nameLength));
    // ZIP64: the real sizes and offset sit in extra field 0x0001, in this order, for those that overflowed
    for (let e = at + 46 + nameLength; e + 4 <= at + 46 + nameLength + extraLength; ) {
      const id = view.getUint16(e, true), len = view.getUint16(e + 2, true);
      if (id === 0x0001) {
        let f = e + 4;
        if (size === 0xffffffff) (size = u64(view, f)), (f += 8);
        if (compressed === 0xffffffff) (compressed = u64(view, f)), (f += 8);
        if (local === 0xffffffff) local = u64(view, f);
      }
      e += 4 + len;
    }
    at += 46 + nameLength + extraLength + commentLength;
    if (entryName.endsWith('/')) continue;
    unpacked += size;
    out.push({ name: entryName, method, compressed, size, local, nameLength, extraLength });
  }
  // the sizes the directory claims, checked before any entry is inflated into a buffer that large
  checkZip(name, out.length, unpacked);
  return out;
}

/** Lists a zip's files (folders left out) without inflating any of them; over a limit (common/limits.ts), a LimitError naming `name`. */
export function indexZip(bytes: Uint8Array, name = 'the zip'): ZipEntry[] {
  const directory = locateDirectory(bytes, (s, e) => bytes.subarray(s, e));
  return walkDirectory(bytes, 0, directory, name).map((l) => {
    const where = () => {
      const start = l.local + dataStart(l, bytes.subarray(l.local, l.local + 30), bytes.length);
      return bytes.subarray(start, start + l.compressed);
    };
    return { name: l.name, size: l.size, read: () => inflateEntry(l, where()), deflated: () => (l.method === 8 ? { data: where(), size: l.size } : undefined) };
  });
}

/**
 * Where an entry's data starts, counted from its local header (`header`: the header's first 30
 * bytes or fewer), once the header is checked against a zip of `zipSize` bytes.
 */
function dataStart(l: ZipSpot, header: Uint8Array, zipSize: number): number {
  const hv = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (header.length < 30 || hv.getUint32(0, true) !== LOCAL) throw new ZipFormatError(`${l.name}: its data is missing (the zip is truncated)`);
  const skip = 30 + hv.getUint16(26, true) + hv.getUint16(28, true);
  if (l.local + skip + l.compressed > zipSize) throw new ZipFormatError(`${l.name}: its data is cut short (the zip is truncated)`);
  if (l.method !== 0 && l.method !== 8) throw new ZipFormatError(`${l.name}: compression method ${l.method} is not supported (use deflate or none)`);
  return skip;
}

/** The bytes in a buffer of their own. */
const whole = (b: Uint8Array) => (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : b.slice());

/** An entry's bytes from its data as stored: a stored entry's in a buffer of their own, a deflated one's inflated. */
function inflateEntry(l: ZipSpot, data: Uint8Array): Uint8Array {
  if (l.method === 0) return whole(data);
  try {
    return inflateSync(data, { out: new Uint8Array(l.size) });
  } catch (e) {
    throw new ZipFormatError(`${l.name}: its data is damaged (${(e as Error).message})`);
  }
}

/** A zip on disk (a browser File or Blob): read a range at a time, never whole. */
export interface ZipBlob {
  readonly size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** An entry of a zip on disk: its bytes are read (and inflated) when asked for. */
export interface LazyZipEntry {
  name: string;
  /** Uncompressed size in bytes. */
  size: number;
  /** Where it lies in the zip (readSpot). */
  spot: ZipSpot;
  /** Reads and inflates the entry; rejects when its data is damaged. */
  read(): Promise<Uint8Array>;
  /** A deflated entry's compressed data, to inflate elsewhere (a worker); undefined when stored. */
  deflated(): Promise<Deflated | undefined>;
}

/** Bytes read from disk at a time: entries in a block are read once for all of them. */
const BLOCK = 256 * 1024;
/**
 * Blocks kept, 16 MB at most: a run reads the zip in order, but a sort or a filter puts tiles
 * from all over it on one screen. With 8 kept, a 10,000-doodle zip (4.8 MB, 19 blocks) was read
 * again block by block at each sort (its first change 274–306 → 146–160 ms with 32 kept, under
 * the profiler); now a zip of small images this size stays whole.
 */
const BLOCKS_KEPT = 64;

/**
 * Reads ranges through aligned blocks: a run asks for its images in zip order, and one read of
 * 256 kB serves ~18 photos or ~500 doodles (each read from a File is a round trip through the
 * browser's process: one a doodle cost ~8 % of a 10,000-doodle run and ~40 MB of that process).
 * A range that is not within one block is read as it is. Each range is a copy of its own.
 */
function blockReader(blob: ZipBlob, exact: (start: number, end: number) => Promise<Uint8Array>) {
  const blocks = new Map<number, Promise<Uint8Array>>();
  const block = (k: number) => {
    let b = blocks.get(k);
    if (b) blocks.delete(k); // most recently used last
    else b = exact(k * BLOCK, (k + 1) * BLOCK);
    blocks.set(k, b);
    if (blocks.size > BLOCKS_KEPT) blocks.delete(blocks.keys().next().value as number);
    b.catch(() => blocks.delete(k)); // a failed read is tried again next time
    return b;
  };
  return async (start: number, end: number): Promise<Uint8Array> => {
    end = Math.min(end, blob.size);
    const k = Math.floor(start / BLOCK);
    if (Math.floor((end - 1) / BLOCK) !== k) return exact(start, end);
    return (await block(k)).slice(start - k * BLOCK, end - k * BLOCK);
  };
}

/** The most a zip's end can take: its record, a comment of at most 65,535 bytes, the ZIP64 locator. */
const TAIL = 22 + 0xffff + 20;

/**
 * Lists the files of a zip on disk, reading only its end and its directory: a 10,000-photo export
 * is never held whole by the page (140 MB for 10,000 VWW photos). Errors as indexZip's.
 */
export async function indexZipBlob(blob: ZipBlob, name = 'the zip'): Promise<LazyZipEntry[]> {
  const exact = exactReader(blob);
  const range = blockReader(blob, exact);
  const directory = await locateDirectory(await exact(Math.max(0, blob.size - TAIL), blob.size), exact);
  if (directory.offset + directory.size > blob.size) throw new ZipFormatError('the zip directory is cut short (the zip is truncated)');
  const dir = await exact(directory.offset, directory.offset + directory.size);
  return walkDirectory(dir, directory.offset, directory, name).map((l) => {
    const data = () => entryData(l, blob.size, range, exact);
    return {
      name: l.name,
      size: l.size,
      spot: l,
      read: async () => inflateEntry(l, await data()),
      deflated: async () => (l.method === 8 ? { data: await data(), size: l.size } : undefined),
    };
  });
}

type Reader = (start: number, end: number) => Promise<Uint8Array>;

const exactReader = (blob: ZipBlob): Reader => async (start, end) => new Uint8Array(await blob.slice(start, Math.min(end, blob.size)).arrayBuffer());

/**
 * An entry's data as stored, in one read for the header and the data: the header's extra field
 * is guessed as long as the directory's (it is, or shorter, as zips are written); a longer one
 * costs a second read.
 */
async function entryData(l: ZipSpot, zipSize: number, range: Reader, exact: Reader): Promise<Uint8Array> {
  const guess = 30 + l.nameLength + l.extraLength;
  const got = await range(l.local, l.local + guess + l.compressed);
  const skip = dataStart(l, got.subarray(0, 30), zipSize);
  return skip + l.compressed <= got.length ? got.subarray(skip, skip + l.compressed) : exact(l.local + skip, l.local + skip + l.compressed);
}

/**
 * An entry's bytes, read from the zip on disk where it lies (`spot`, from its LazyZipEntry) with
 * no blocks kept: a worker reading a tile's image itself (each read of a File on the page's thread
 * was a call into the browser's process that held the page ~0.3 ms: ~60 ms of a sort's first frame).
 */
export async function readSpot(blob: ZipBlob, spot: ZipSpot): Promise<Uint8Array> {
  const [read] = await readSpots(blob, [spot]);
  if (read.status === 'rejected') throw read.reason;
  return read.value;
}

/** The most readSpots reads at once. */
const SPAN = 8 << 20;

/**
 * Entries of one zip on disk, read together: a batch's images lie one after another in the zip,
 * so one read covers them (a read of a File is a round trip through the browser's process: one an
 * image made a run's preparation wait on them). Each entry is a result of its own (a damaged one
 * fails alone); entries too far apart, or all of them where the one read fails, are read each on
 * its own.
 */
export async function readSpots(blob: ZipBlob, spots: ZipSpot[]): Promise<PromiseSettledResult<Uint8Array>[]> {
  const exact = exactReader(blob);
  const from = Math.min(...spots.map((s) => s.local));
  const to = Math.min(blob.size, Math.max(...spots.map((s) => s.local + 30 + s.nameLength + s.extraLength + s.compressed)));
  const span = to - from <= SPAN ? await exact(from, to).catch(() => undefined) : undefined;
  const range: Reader = async (start, end) => (span && start >= from && end <= to ? span.subarray(start - from, end - from) : exact(start, end));
  return Promise.allSettled(spots.map(async (spot) => inflateEntry(spot, await entryData(spot, blob.size, range, exact))));
}
