// An image's size from its header alone, so an image claiming more pixels than allowed is refused
// before a decoder allocates for it. PNG, JPEG, GIF, BMP and WebP; undefined when unknown.
export function imageSize(b: Uint8Array): { width: number; height: number } | undefined {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const has = (n: number) => b.length >= n;
  const ascii = (at: number, s: string) => has(at + s.length) && [...s].every((c, i) => b[at + i] === c.charCodeAt(0));
  if (has(24) && b[0] === 0x89 && ascii(1, 'PNG') && ascii(12, 'IHDR')) return { width: v.getUint32(16), height: v.getUint32(20) };
  if (ascii(0, 'GIF8') && has(10)) return { width: v.getUint16(6, true), height: v.getUint16(8, true) };
  if (ascii(0, 'BM') && has(26)) return { width: Math.abs(v.getInt32(18, true)), height: Math.abs(v.getInt32(22, true)) };
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP') && has(30)) {
    if (ascii(12, 'VP8X')) return { width: 1 + (b[24] | (b[25] << 8) | (b[26] << 16)), height: 1 + (b[27] | (b[28] << 8) | (b[29] << 16)) };
    if (ascii(12, 'VP8 ')) return { width: v.getUint16(26, true) & 0x3fff, height: v.getUint16(28, true) & 0x3fff };
    if (ascii(12, 'VP8L')) {
      const bits = v.getUint32(21, true);
      return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
    }
    return undefined;
  }
  if (has(4) && b[0] === 0xff && b[1] === 0xd8) {
    // walk the JPEG markers to the frame header (SOF0…SOF15, not DHT/JPG/DAC)
    for (let at = 2; at + 9 <= b.length; ) {
      if (b[at] !== 0xff) return undefined;
      const m = b[at + 1];
      if (m === 0xff) { at++; continue; }
      if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) return { width: v.getUint16(at + 7), height: v.getUint16(at + 5) };
      if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) { at += 2; continue; }
      at += 2 + v.getUint16(at + 2);
    }
  }
  return undefined;
}
