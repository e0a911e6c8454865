// A short, stable name for a set of files (a model), to remember what was measured for it.
// Not a security hash: FNV-1a over names, sizes and the first and last 64 KB of each file.

const SAMPLE = 64 * 1024;

/** What the fingerprint reads of a file: its name, its size, and its first and last SAMPLE bytes (not overlapping). */
export interface FileSample {
  name: string;
  size: number;
  head: Uint8Array;
  tail: Uint8Array;
}

/** Where a file's head and tail are, for a file read a range at a time. */
export function sampleRanges(size: number): { head: [number, number]; tail: [number, number] } {
  const head = Math.min(size, SAMPLE);
  return { head: [0, head], tail: [Math.max(head, size - SAMPLE), size] };
}

export function sampleOf(name: string, bytes: Uint8Array): FileSample {
  const r = sampleRanges(bytes.length);
  return { name, size: bytes.length, head: bytes.subarray(...r.head), tail: bytes.subarray(...r.tail) };
}

export function fingerprint(files: { name: string; bytes: Uint8Array }[]): string {
  return fingerprintSamples(files.map((f) => sampleOf(f.name, f.bytes)));
}

export function fingerprintSamples(files: FileSample[]): string {
  let h = 0x811c9dc5;
  const mix = (b: number) => {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  };
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    for (const ch of `${f.name}:${f.size};`) mix(ch.charCodeAt(0) & 0xff);
    for (const b of f.head) mix(b);
    for (const b of f.tail) mix(b);
  }
  return h.toString(16).padStart(8, '0');
}
