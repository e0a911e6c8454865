// The command line's overlays encoded with Node's own zlib (C) rather than fast-png's deflate in JS,
// which was a quarter of a VWW photo's CPU time on an engine's thread (fflate's dflt and wblk: 8 s of
// a 29 s run of 1,000 photos). Same PNG: 8-bit RGB, each row unfiltered, zlib level 1; the file's
// bytes differ from fast-png's, its pixels do not (tests/unit/cli-png.test.ts decodes both).
import * as zlib from 'node:zlib';
import { overlayPngWith } from '../export/exportZip';

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

/** An 8-bit RGB image (`rgb`: width × height × 3 bytes) as a PNG file. */
export function encodeRgbPng(width: number, height: number, rgb: Uint8Array): Uint8Array {
  const row = width * 3;
  const raw = Buffer.alloc(height * (row + 1)); // each row: filter type 0 (none), then its pixels
  for (let y = 0; y < height; y++) raw.set(rgb.subarray(y * row, (y + 1) * row), y * (row + 1) + 1);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace
  const file = Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(raw, { level: 1 })), chunk('IEND', new Uint8Array(0))]);
  return new Uint8Array(file.buffer, file.byteOffset, file.length);
}

/** One overlay drawn and encoded where it is called (the command line: in-process, or on its engine threads). */
export const overlayPngNode = overlayPngWith(encodeRgbPng);
