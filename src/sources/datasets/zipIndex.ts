// A zip read lazily: the central directory is indexed once, and an entry is inflated only when
// its bytes are asked for (a 10,000-image export opens at once and never holds every image
// inflated). Stored entries (JPEGs usually are) cost a copy of their slice.
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

/** Lists a zip's files (folders left out) without inflating any of them; over a limit (common/limits.ts), a LimitError naming `name`. */
export function indexZip(bytes: Uint8Array, name = 'the zip'): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndOfCentralDirectory(view);
  let count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  if ((count === 0xffff || offset === 0xffffffff) && end >= 20 && view.getUint32(end - 20, true) === ZIP64_LOCATOR) {
    const record = u64(view, end - 12);
    count = u64(view, record + 32);
    offset = u64(view, record + 48);
  }
  checkZip(name, count, 0); // before walking a directory that claims millions of entries
  const decoder = new TextDecoder();
  const entries: ZipEntry[] = [];
  let unpacked = 0;
  for (let i = 0; i < count; i++) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== CENTRAL) throw new ZipFormatError(`the zip directory is damaged at entry ${i + 1} of ${count}`);
    const method = view.getUint16(offset + 10, true);
    let compressed = view.getUint32(offset + 20, true);
    let size = view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    let local = view.getUint32(offset + 42, true);
    const entryName = decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
    // ZIP64: the real sizes and offset sit in extra field 0x0001, in this order, for those that overflowed
    for (let e = offset + 46 + nameLength; e + 4 <= offset + 46 + nameLength + extraLength; ) {
      const id = view.getUint16(e, true), len = view.getUint16(e + 2, true);
      if (id === 0x0001) {
        let at = e + 4;
        if (size === 0xffffffff) (size = u64(view, at)), (at += 8);
        if (compressed === 0xffffffff) (compressed = u64(view, at)), (at += 8);
        if (local === 0xffffffff) local = u64(view, at);
      }
      e += 4 + len;
    }
    offset += 46 + nameLength + extraLength + commentLength;
    if (entryName.endsWith('/')) continue;
    unpacked += size;
    const where = () => entryData(bytes, view, entryName, local, method, compressed);
    entries.push({ name: entryName, size, read: () => inflateEntry(entryName, where(), method, size), deflated: () => (method === 8 ? { data: where(), size } : undefined) });
  }
  // the sizes the directory claims, checked before any entry is inflated into a buffer that large
  checkZip(name, entries.length, unpacked);
  return entries;
}

/** The entry's data as stored in the zip (a view), once its local header is checked. */
function entryData(bytes: Uint8Array, view: DataView, name: string, local: number, method: number, compressed: number): Uint8Array {
  if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL) throw new ZipFormatError(`${name}: its data is missing (the zip is truncated)`);
  const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  if (start + compressed > bytes.length) throw new ZipFormatError(`${name}: its data is cut short (the zip is truncated)`);
  if (method !== 0 && method !== 8) throw new ZipFormatError(`${name}: compression method ${method} is not supported (use deflate or none)`);
  return bytes.subarray(start, start + compressed);
}

function inflateEntry(name: string, data: Uint8Array, method: number, size: number): Uint8Array {
  if (method === 0) return data.slice();
  try {
    return inflateSync(data, { out: new Uint8Array(size) });
  } catch (e) {
    throw new ZipFormatError(`${name}: its data is damaged (${(e as Error).message})`);
  }
}
