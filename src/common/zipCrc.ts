// A zip entry's CRC-32, computed where the entry's bytes are made: an export's overlays are encoded
// in workers, and the page summing each ~120 kB PNG again was ~0.4 ms of its thread an overlay.
import { ZipPassThrough, type ZipInputFile } from 'fflate';

/** CRC-32 of `bytes` as a zip records it: fflate's own, through a stored entry that goes nowhere. */
export function zipCrc(bytes: Uint8Array): number {
  const entry = new ZipPassThrough('');
  entry.ondata = () => undefined;
  entry.push(bytes, true);
  return entry.crc >>> 0; // unsigned, as written in the zip
}

/** A zip entry's bytes (an export's overlay PNG) with their CRC-32, summed on the thread that made them. */
export interface WithCrc {
  png: Uint8Array;
  crc: number;
}

export const withCrc = (png: Uint8Array): WithCrc => ({ png, crc: zipCrc(png) });

/** A stored zip entry whose CRC-32 is already known: added to fflate's Zip, it is not summed again. */
export function storedEntry(filename: string, bytes: Uint8Array, crc: number): ZipInputFile & { write(): void } {
  // the Zip keeps every entry it was given (a copy of its fields, and the entry itself through a
  // closure) until it ends, for the central directory: an entry that still held its bytes kept the
  // whole export in memory (10,000 photo overlays: +1.2 GB until the zip was done). Let go once written.
  let data: Uint8Array | undefined = bytes;
  const entry: ZipInputFile & { write(): void } = {
    filename,
    size: bytes.length,
    crc,
    compression: 0,
    // the Zip sets ondata when the entry is added; the whole entry is one chunk
    write: () => {
      const chunk = data!;
      data = undefined;
      entry.ondata!(null, chunk as Uint8Array<ArrayBuffer>, true);
    },
  };
  return entry;
}
