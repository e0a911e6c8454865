// The command line's files from disk. The data set's stay there, as the page leaves a dropped zip
// or folder on disk: a zip is read a range at a time (its directory, then each image's entry when
// it is explained or drawn) and a folder's images when they are, never all at once. An Edge
// Impulse export can be larger than memory, or than one read of a file can be in Node (2 GB).
import fs from 'node:fs';
import path from 'node:path';
import { isImagePath } from '../image/decode';
import { imageOnDisk, zipOnDisk, type DroppedFile } from '../sources/datasets/files';
import type { ZipBlob } from '../sources/datasets/zipIndex';

/** A file on disk as the zip reader reads a dropped one: each range read when asked for. */
export function fileRanges(file: string): ZipBlob & { lastModified: number } {
  const { size, mtimeMs } = fs.statSync(file);
  return {
    size,
    lastModified: mtimeMs,
    slice: (start, end) => ({
      // synchronously: the zip reader asks for 256 kB blocks (and the few entries that straddle
      // two), a fraction of a millisecond each from the page cache
      async arrayBuffer() {
        const from = Math.max(0, start);
        const bytes = new Uint8Array(Math.max(0, Math.min(size, end) - from));
        const fd = fs.openSync(file, 'r');
        try {
          for (let at = 0; at < bytes.length; ) {
            const read = fs.readSync(fd, bytes, at, bytes.length - at, from + at);
            if (read === 0) throw new Error(`${file} is shorter than it was (${size} bytes)`);
            at += read;
          }
        } finally {
          fs.closeSync(fd);
        }
        return bytes.buffer;
      },
    }),
  };
}

/** A file, or a folder's files, under their paths; with `leaveOnDisk`, zips and images are read when needed. */
export function readFiles(p: string, { leaveOnDisk = false } = {}): DroppedFile[] {
  const one = (file: string, name: string): DroppedFile => {
    if (leaveOnDisk && /\.zip$/i.test(name)) return zipOnDisk(name, fileRanges(file));
    if (leaveOnDisk && isImagePath(name)) return imageOnDisk(name, fileRanges(file));
    return { path: name, bytes: new Uint8Array(fs.readFileSync(file)) };
  };
  if (!fs.statSync(p).isDirectory()) return [one(p, path.basename(p))];
  const out: DroppedFile[] = [];
  const walk = (dir: string, rel: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name), `${rel}${e.name}/`);
      else out.push(one(path.join(dir, e.name), `${rel}${e.name}`));
    }
  };
  walk(p, `${path.basename(p)}/`);
  return out;
}
