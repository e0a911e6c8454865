// The downloaded export written, as it arrives, to a file in the origin's private storage (the
// Origin Private File System), then read from there a range at a time like a dropped zip: a
// project's export (hundreds of MB of photos) is never held in the page's memory. Where the
// browser has no such storage (or no writable files in it), there is no keeper: the caller keeps
// the bytes in memory.
import type { Keeper } from './http';

type Handle = { createWritable?: () => Promise<WritableStream<Uint8Array>>; getFile(): Promise<File> };
type Directory = { getFileHandle(name: string, o: { create: boolean }): Promise<Handle>; removeEntry(name: string): Promise<void> };

/**
 * Two files in turn: a new download never overwrites the one the gallery may still be reading (the
 * last project loaded) — a file's readers fail once it is replaced. At most two exports on disk.
 */
const SLOTS = ['edge-impulse-export-a.zip', 'edge-impulse-export-b.zip'];
/** The slot of this page's latest download; none yet: the files are an earlier visit's, unused. */
let latest: number | undefined;

export async function privateFileKeeper(): Promise<Keeper | undefined> {
  let root: Directory | undefined;
  try {
    root = await (navigator.storage as unknown as { getDirectory?: () => Promise<Directory> } | undefined)?.getDirectory?.();
  } catch {
    return undefined; // a private window, or storage refused
  }
  if (!root) return undefined;
  if (latest === undefined) await Promise.all(SLOTS.map((name) => root.removeEntry(name).catch(() => undefined)));
  const slot = latest === undefined ? 0 : 1 - latest;
  const handle = await root.getFileHandle(SLOTS[slot], { create: true }).catch(() => undefined);
  if (!handle?.createWritable) return undefined;
  return async (res) => {
    if (!res.body) throw new Error('the download has no body');
    // written to a swap file and put in place on close: a download cut short leaves the file as it was
    await res.body.pipeTo(await handle.createWritable!());
    latest = slot;
    return handle.getFile();
  };
}
