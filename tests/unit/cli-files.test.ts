// The command line leaves the data set on disk, as the page leaves a dropped zip: a zip's directory
// is read to list it, and each image's entry when it is needed; a folder's images likewise.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fileRanges, readFiles } from '../../src/cli/files';
import { expandDrop, readBytes } from '../../src/sources/datasets/files';
import { buildDataset } from '../../src/sources/datasets/dataset';
import { photoJpeg, QUICKDRAW_CLASSES, quickdrawRows } from '../helpers';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'gradcam-files-'));

/** Bytes read from disk (the ranges) while `fn` runs. */
async function bytesRead<T>(fn: () => Promise<T>): Promise<{ value: T; read: number }> {
  let read = 0;
  const readSync = fs.readSync.bind(fs) as (...a: unknown[]) => number;
  const spy = vi.spyOn(fs, 'readSync').mockImplementation(((...a: unknown[]) => {
    const n = readSync(...a);
    read += n;
    return n;
  }) as typeof fs.readSync);
  try {
    return { value: await fn(), read };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('the command line reads its data set from disk as it needs it', () => {
  it('a zip of 2,000 photos is listed from its directory; each photo is read when it is asked for', async () => {
    const photos = await Promise.all(quickdrawRows(QUICKDRAW_CLASSES[0], 0, 4).map((row, i) => photoJpeg(row, i)));
    const zip = new JSZip();
    for (let i = 0; i < 2000; i++) zip.file(`testing/${i % 2 ? 'cat' : 'dog'}.${i}.jpg`, photos[i % photos.length], { compression: i % 3 ? 'STORE' : 'DEFLATE' });
    const file = path.join(tmp(), 'export.zip');
    fs.writeFileSync(file, await zip.generateAsync({ type: 'uint8array' }));
    const size = fs.statSync(file).size;

    const listed = await bytesRead(async () => buildDataset('export.zip', await expandDrop(readFiles(file, { leaveOnDisk: true }))));
    expect(listed.value.samples).toHaveLength(2000);
    expect(listed.read).toBeGreaterThan(0);
    expect(listed.read).toBeLessThan(size / 10); // the directory (and the end record), not the photos
    const sample = listed.value.samples.find((s) => s.path === 'testing/cat.1001.jpg')!;
    expect(() => sample.bytes).toThrow(/read from disk when needed/);
    const one = await bytesRead(() => readBytes(sample));
    expect(one.value).toEqual(photos[1001 % photos.length]);
    expect(one.read).toBeLessThan(size / 100);
  });

  it('reads ranges as a Blob slices them (clamped to the file), and loose images and models as they are', async () => {
    const dir = tmp();
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
    fs.writeFileSync(path.join(dir, 'a.jpg'), bytes);
    fs.writeFileSync(path.join(dir, 'labels.txt'), 'cat\ndog\n');
    const ranges = fileRanges(path.join(dir, 'a.jpg'));
    expect(ranges.size).toBe(1000);
    expect(new Uint8Array(await ranges.slice(10, 20).arrayBuffer())).toEqual(bytes.slice(10, 20));
    expect(new Uint8Array(await ranges.slice(990, 2000).arrayBuffer())).toEqual(bytes.slice(990));
    const [image, labels] = readFiles(dir, { leaveOnDisk: true }).sort((x, y) => x.path.localeCompare(y.path));
    expect(image.path).toBe(`${path.basename(dir)}/a.jpg`);
    expect(await readBytes(image)).toEqual(bytes);
    expect(new TextDecoder().decode(labels.bytes)).toBe('cat\ndog\n');
    // a model's files are read at once (its loaders read them whole)
    expect(readFiles(path.join(dir, 'a.jpg'))[0].bytes).toEqual(bytes);
  });
});
