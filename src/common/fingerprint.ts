// A short, stable name for a set of files (a model), to remember what was measured for it.
// Not a security hash: FNV-1a over names, sizes and the first and last 64 KB of each file.

const SAMPLE = 64 * 1024;

export function fingerprint(files: { name: string; bytes: Uint8Array }[]): string {
  let h = 0x811c9dc5;
  const mix = (b: number) => {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  };
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    for (const ch of `${f.name}:${f.bytes.length};`) mix(ch.charCodeAt(0) & 0xff);
    const b = f.bytes;
    const head = Math.min(b.length, SAMPLE);
    for (let i = 0; i < head; i++) mix(b[i]);
    for (let i = Math.max(head, b.length - SAMPLE); i < b.length; i++) mix(b[i]);
  }
  return h.toString(16).padStart(8, '0');
}
