// Preparing a batch's files where some lie on disk: those are read where this runs (the page's
// preparation worker), so a photo's bytes never pass through the page's thread.
import { prepareImages, type FileToPrepare, type PreparedImage } from '../../image/prepare';
import type { ModelInputSpec } from '../../image/preprocess';
import { readAllOnDisk, type OnDisk } from './files';
import { messageOf } from '../../common/errors';

/** A file to prepare: its bytes or deflated data, or (the page) where it lies on disk. */
export type FileOrOnDisk = FileToPrepare | { id: string; onDisk: OnDisk; thumbnail?: number };

/**
 * prepareImages, with the files on disk read first, here. At 10,000 photos, reading them out of the
 * zip's blocks on the page's thread and copying each into a message of its own was ~2.6 s of that
 * thread. A file that cannot be read fails alone, like one that cannot be decoded.
 */
export async function readAndPrepare(files: FileOrOnDisk[], spec: ModelInputSpec, maxPixels?: number): Promise<PreparedImage[]> {
  const onDisk = files.flatMap((f) => ('onDisk' in f ? [f] : []));
  const got = new Map((await readAllOnDisk(onDisk.map((f) => f.onDisk))).map((r, i) => [onDisk[i].id, r]));
  const read = files.map((f): FileToPrepare | PreparedImage => {
    const r = 'onDisk' in f ? got.get(f.id)! : undefined;
    if (!r) return f as FileToPrepare;
    return r.status === 'fulfilled' ? { id: f.id, bytes: r.value, thumbnail: f.thumbnail } : { id: f.id, error: `the file could not be read (${messageOf(r.reason)})` };
  });
  const readable = read.filter((f): f is FileToPrepare => 'bytes' in f || 'deflated' in f);
  const prepared = new Map((await prepareImages(readable, spec, maxPixels)).map((p) => [p.id, p]));
  return read.map((f) => ('error' in f ? f : prepared.get(f.id)!));
}
