// The command line's overlays encoded with Node's own zlib (C) rather than fast-png's deflate in JS,
// which was a quarter of a VWW photo's CPU time on an engine's thread (fflate's dflt and wblk: 8 s of
// a 29 s run of 1,000 photos). Each row Sub-filtered (each byte less the same channel of the pixel
// to its left) and deflated with run-lengths only (Z_RLE): at a 320×240 photo overlay ~2.8–3.9 ms
// and ~92 kB, against ~6.2 ms and ~180 kB for unfiltered rows at zlib level 1 (string matching
// finds little in a photo's raw bytes; the filter leaves small, skewed values that Huffman codes
// well, and runs still shrink flat areas: a 112×112 doodle overlay ~11.5 kB as before). Lossless;
// the pixels are fast-png's (tests/unit/cli-png.test.ts decodes both).
import * as zlib from 'node:zlib';
import { overlayPngWith } from '../export/exportZip';
import type { RgbaImage } from '../image/rgba';

/** CRC-32 of PNG's chunks: Node's own from 20.15 / 22.2, else a table in JS. */
const crc32: (data: Uint8Array) => number = zlib.crc32 ?? ((table) => (data: Uint8Array) => {
  let c = ~0;
  for (const b of data) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
})(Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
}));

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** An opaque RGBA image (an overlay) as an 8-bit RGB PNG file; alpha is dropped. */
export function encodeRgbPng({ width, height, data }: RgbaImage): Uint8Array {
  const row = width * 3;
  // each row: filter type 1 (Sub), then each byte less the same channel of the pixel to its left,
  // written straight from the RGBA pixels (a separate RGB copy first cost ~1.8 ms a photo overlay)
  const raw = Buffer.alloc(height * (row + 1));
  for (let y = 0, o = 0, i = 0; y < height; y++) {
    raw[o++] = 1;
    for (let x = 0; x < width; x++, i += 4, o += 3) {
      if (x === 0) (raw[o] = data[i]), (raw[o + 1] = data[i + 1]), (raw[o + 2] = data[i + 2]);
      else (raw[o] = data[i] - data[i - 4]), (raw[o + 1] = data[i + 1] - data[i - 3]), (raw[o + 2] = data[i + 2] - data[i - 2]);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace
  const file = Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(raw, { strategy: zlib.constants.Z_RLE })), chunk('IEND', new Uint8Array(0))]);
  return new Uint8Array(file.buffer, file.byteOffset, file.length);
}

/** One overlay drawn and encoded where it is called (the command line: in-process, or on its engine threads). */
export const overlayPngNode = overlayPngWith(encodeRgbPng);
