// Photos in a zip on disk, read by the preparation worker that decodes them (readAllOnDisk, one read
// for a batch's entries), rather than through the page's thread: the same bytes, and a file that
// cannot be read fails alone.
import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { indexZipBlob, readSpots, type ZipBlob } from '../../src/sources/datasets/zipIndex';
import { readAllOnDisk, readInWorker, type OnDisk } from '../../src/sources/datasets/files';
import { readAndPrepare } from '../../src/sources/datasets/readAndPrepare';
import { prepareImages } from '../../src/image/prepare';
import { modelInputSpec } from '../../src/image/preprocess';
import { photoJpeg, QUICKDRAW_CLASSES, quickdrawRows } from '../helpers';

const photos = await Promise.all(quickdrawRows(QUICKDRAW_CLASSES[0], 0, 4).map((row, i) => photoJpeg(row, i)));

/** A zip of the photos (deflated or stored), with `filler` stored bytes between the second and the third. */
async function zipOnDisk(compression: 'DEFLATE' | 'STORE', filler = 0) {
  const zip = new JSZip();
  photos.forEach((p, i) => {
    zip.file(`photos/${i}.jpg`, p, { compression });
    if (i === 1 && filler) zip.file('filler.bin', new Uint8Array(filler), { compression: 'STORE' });
  });
  const blob = new Blob([(await zip.generateAsync({ type: 'uint8array' })) as BlobPart]);
  const entries = (await indexZipBlob(blob)).filter((e) => e.name.endsWith('.jpg'));
  return { blob, spots: entries.map((e): OnDisk => ({ blob, spot: e.spot })) };
}

describe('files on disk read where they are decoded', () => {
  it('reads a batch of entries, deflated or stored, near or far apart, as the files themselves', async () => {
    for (const [compression, filler] of [['DEFLATE', 0], ['STORE', 0], ['DEFLATE', 9 << 20]] as const) {
      const { spots } = await zipOnDisk(compression, filler);
      const read = await readAllOnDisk(spots);
      expect(read.map((r) => r.status)).toEqual(photos.map(() => 'fulfilled'));
      read.forEach((r, i) => expect((r as PromiseFulfilledResult<Uint8Array>).value).toEqual(photos[i]));
    }
  });

  it('a loose file on disk is read whole; an entry that cannot be read fails alone', async () => {
    const { blob, spots } = await zipOnDisk('DEFLATE');
    const damaged: OnDisk = { blob, spot: { ...spots[2].spot!, local: spots[2].spot!.local + 7 } }; // not at its header
    const loose: OnDisk = { blob: new Blob([photos[3] as BlobPart]) };
    const read = await readAllOnDisk([spots[0], damaged, loose, spots[1]]);
    expect(read.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((read[2] as PromiseFulfilledResult<Uint8Array>).value).toEqual(photos[3]);
    expect((read[3] as PromiseFulfilledResult<Uint8Array>).value).toEqual(photos[1]);
  });

  it('a zip that can no longer be read fails each entry alone, with the reason', async () => {
    const { blob, spots } = await zipOnDisk('DEFLATE');
    const gone: ZipBlob = { size: blob.size, slice: () => ({ arrayBuffer: () => Promise.reject(new Error('the file was changed on disk')) }) };
    const read = await readSpots(gone, spots.map((s) => s.spot!));
    expect(read.map((r) => r.status)).toEqual(photos.map(() => 'rejected'));
    expect((read[0] as PromiseRejectedResult).reason.message).toMatch(/changed on disk/);
  });

  it('prepares files on disk exactly as their bytes, in order, with an unreadable one failing alone', async () => {
    const { blob, spots } = await zipOnDisk('DEFLATE');
    const spec = modelInputSpec([96, 96, 3]);
    const damaged: OnDisk = { blob, spot: { ...spots[2].spot!, local: spots[2].spot!.local + 7 } };
    const out = await readAndPrepare([{ id: 'a', onDisk: spots[0] }, { id: 'b', bytes: photos[1] }, { id: 'c', onDisk: damaged }, { id: 'd', onDisk: spots[3] }], spec);
    const want = await prepareImages([{ id: 'a', bytes: photos[0] }, { id: 'b', bytes: photos[1] }, { id: 'd', bytes: photos[3] }], spec);
    expect(out.map((p) => p.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(out[2]).toMatchObject({ id: 'c', error: expect.stringMatching(/could not be read/) });
    expect([out[0], out[1], out[3]]).toEqual(want);
  });

  it('only photos are read there: small entries come through the page, which reads the zip in blocks', async () => {
    const { spots } = await zipOnDisk('DEFLATE');
    expect(readInWorker({ onDisk: spots[0] })).toBe(spots[0]); // a 320×240 photo: tens of kB
    expect(readInWorker({ onDisk: { ...spots[0], spot: { ...spots[0].spot!, compressed: 300 } } })).toBeUndefined(); // a doodle
    expect(readInWorker({ onDisk: { blob: new Blob([photos[0] as BlobPart]) } })).toBeDefined(); // a loose file
    expect(readInWorker({})).toBeUndefined(); // held in memory
  });
});
