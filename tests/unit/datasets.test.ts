import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { inflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildDataset, defaultSplit, samplesOfSplit } from '../../src/sources/datasets/dataset';
import { DatasetError, expandDrop, heldBytes, imageOnDisk, readBytes, readDeflated, readOnDisk, sampleFile, zipOnDisk } from '../../src/sources/datasets/files';
import { fingerprint, fingerprintSamples } from '../../src/common/fingerprint';
import { explainAll } from '../../src/engine/explainAll';
import type { ImageToPrepare } from '../../src/engine/types';
import { labelFromFileName, parseInfoLabels } from '../../src/sources/datasets/labels';
import { classFolderZip } from '../helpers';

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);
const file = (p: string, bytes = png) => ({ path: p, bytes });

describe('labels from Edge Impulse file names', () => {
  it.each([
    ['capacitor.16_12.png.28kmss20.ingestion-56f58bdc98-9766g.jpg', 'capacitor'],
    ['bowtie.bowtie0001.png', 'bowtie'],
    ['2.5.sample01.png', '2.5'],
    ['-0.75.s1.png', '-0.75'],
    ['25.sample01.png', '25'],
    ['photo.png', undefined],
  ])('%s → %s', (name, label) => expect(labelFromFileName(name)).toBe(label));
});

describe('info.labels', () => {
  const entry = { path: 'testing/capacitor.16_12.png.28kmss20.ingestion-56f58bdc98-9766g.jpg', name: '16_12.png.28kmss20', category: 'testing', label: { type: 'label', label: 'capacitor' }, metadata: {}, boundingBoxes: [] };
  it('reads the JSON form', () => {
    expect(parseInfoLabels(JSON.stringify({ version: 1, files: [entry, { ...entry, path: 'training/x.png', category: 'training', label: { type: 'unlabeled' } }] }))).toEqual([
      { path: entry.path, split: 'testing', label: 'capacitor' },
      { path: 'training/x.png', split: 'training', label: undefined },
    ]);
  });
  it('reads the NDJSON form', () => {
    const text = ['{"__ndjson":true,"version":1}', JSON.stringify({ __key: 'files', __item: entry }), ''].join('\n');
    expect(parseInfoLabels(text)).toEqual([{ path: entry.path, split: 'testing', label: 'capacitor' }]);
  });
  it('says what is wrong with a broken file', () => {
    expect(() => parseInfoLabels('{"files": [')).toThrow(/info.labels is not valid JSON/);
  });
});

describe('building the sample index', () => {
  it('reads the demo export: 300 testing doodles labelled from info.labels', async () => {
    const bytes = new Uint8Array(fs.readFileSync(path.join(import.meta.dirname, '../../public/demo/quickdraw-test.zip')));
    const ds = buildDataset('demo', await expandDrop([{ path: 'quickdraw-test.zip', bytes }]));
    expect(ds.layout).toBe('edge-impulse');
    expect(ds.samples).toHaveLength(300);
    expect(defaultSplit(ds)).toBe('testing');
    const counts: Record<string, number> = {};
    for (const s of ds.samples) counts[s.label ?? ''] = (counts[s.label ?? ''] ?? 0) + 1;
    expect(counts).toEqual({ bowtie: 100, lollipop: 100, rainbow: 100 });
    expect(ds.skipped).toEqual([]);
  });

  it('prefers info.labels over the file name (labels with dots)', () => {
    const info = JSON.stringify({ version: 1, files: [{ path: 'testing/2.5.a1.png', category: 'testing', label: { type: 'label', label: '2.5' } }] });
    const ds = buildDataset('x', [file('export/info.labels', new TextEncoder().encode(info)), file('export/testing/2.5.a1.png')]);
    expect(ds.samples[0]).toMatchObject({ path: 'testing/2.5.a1.png', label: '2.5', split: 'testing' });
  });

  it('falls back to the file-name prefix in an export without info.labels', () => {
    const ds = buildDataset('x', [file('training/cat.a.png'), file('testing/dog.b.jpg')]);
    expect(ds.layout).toBe('edge-impulse-names');
    expect(ds.samples.map((s) => [s.label, s.split])).toEqual([['cat', 'training'], ['dog', 'testing']]);
  });

  it('reads class folders inside a common root and split folders', () => {
    const ds = buildDataset('x', [file('pets/train/cat/1.png'), file('pets/train/dog/1.png'), file('pets/testing/cat/2.png')]);
    expect(ds.layout).toBe('class-folders');
    expect(ds.samples.map((s) => [s.path, s.label, s.split])).toEqual([
      ['train/cat/1.png', 'cat', 'unsplit'],
      ['train/dog/1.png', 'dog', 'unsplit'],
      ['testing/cat/2.png', 'cat', 'testing'],
    ]);
    expect(samplesOfSplit(ds, 'testing')).toHaveLength(1);
  });

  it('reads a real class-folder zip', async () => {
    const ds = buildDataset('doodles.zip', await expandDrop([{ path: 'doodles.zip', bytes: await classFolderZip(3) }]));
    expect(ds.samples.map((s) => `${s.label}:${s.path}`)).toContain('rainbow:rainbow/0002.png');
    expect(ds.samples).toHaveLength(9);
  });

  it('skips files that are not images and says which', () => {
    const ds = buildDataset('x', [file('cat/1.png'), file('cat/notes.csv')]);
    expect(ds.skipped).toEqual([{ path: 'cat/notes.csv', reason: 'not an image' }]);
  });

  it('names the drop when it holds no images', () => {
    expect(() => buildDataset('empty.zip', [file('readme.md'), file('data.csv')])).toThrow(/empty.zip holds no images \(found 2 files, e.g. readme.md\)/);
  });

  it('names a file that is not a zip', async () => {
    const bad = new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3]);
    await expect(expandDrop([{ path: 'broken.zip', bytes: bad }])).rejects.toThrow(DatasetError);
    await expect(expandDrop([{ path: 'broken.zip', bytes: bad }])).rejects.toThrow(/broken.zip is not a readable zip file/);
  });

  it('prefixes entries of several dropped zips with the zip name', async () => {
    const z = new JSZip();
    z.file('cat/1.png', png);
    const bytes = await z.generateAsync({ type: 'uint8array' });
    const files = await expandDrop([{ path: 'a.zip', bytes }, { path: 'b.zip', bytes }]);
    expect(files.map((f) => f.path)).toEqual(['a/cat/1.png', 'b/cat/1.png']);
  });
});

describe('zips are read lazily', () => {
  /** Overwrites the start of every entry's data but info.labels' with an invalid deflate block. */
  function damageEntries(zip: Uint8Array, keep: string): Uint8Array {
    const out = zip.slice();
    const view = new DataView(out.buffer);
    for (let at = 0; at + 30 < out.length; at++) {
      if (view.getUint32(at, true) !== 0x04034b50) continue;
      const nameLength = view.getUint16(at + 26, true), extraLength = view.getUint16(at + 28, true);
      const name = new TextDecoder().decode(out.subarray(at + 30, at + 30 + nameLength));
      const data = at + 30 + nameLength + extraLength;
      if (name !== keep) out.fill(0xff, data, data + Math.min(4, view.getUint32(at + 18, true)));
      at = data;
    }
    return out;
  }

  const pixels = (i: number) => new Uint8Array(600).map((_, k) => (i * 31 + k * 7) % 251);
  /** An Edge Impulse–style export of 10,000 small images (`stored(i)`: that one is not deflated). */
  async function tenThousand(stored = (i: number) => i < 0): Promise<Uint8Array> {
    const z = new JSZip();
    const files: { path: string; label: { type: 'label'; label: string }; category: 'testing' }[] = [];
    for (let i = 0; i < 10_000; i++) {
      const name = `testing/${i % 2 ? 'cat' : 'dog'}.${i}.png`;
      z.file(name, new Uint8Array([...png, ...pixels(i)]), { compression: stored(i) ? 'STORE' : 'DEFLATE' });
      files.push({ path: name, label: { type: 'label', label: i % 2 ? 'cat' : 'dog' }, category: 'testing' });
    }
    z.file('info.labels', JSON.stringify({ version: 1, files }));
    return z.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
  }

  it('a 10,000-entry zip opens without inflating its entries; each is inflated when read, and a damaged one fails alone', async () => {
    const intact = await tenThousand();
    // every image entry damaged: opening would fail if it inflated them
    const damaged = damageEntries(intact, 'info.labels');
    const ds = buildDataset('big.zip', await expandDrop([{ path: 'big.zip', bytes: damaged }]));
    expect(ds.samples).toHaveLength(10_000);
    expect(ds.samples[3].label).toBe('cat');
    expect(() => ds.samples[3].bytes).toThrow(/big.zip: the entry testing\/cat.3.png is damaged/);
    // the intact zip gives each entry's exact bytes, on demand
    const ok = buildDataset('big.zip', await expandDrop([{ path: 'big.zip', bytes: intact }]));
    expect([...ok.samples[9_999].bytes]).toEqual([...png, ...pixels(9_999)]);
  });

  it('reads stored and deflated entries alike', async () => {
    const z = new JSZip();
    z.file('a/stored.png', png, { compression: 'STORE' });
    z.file('a/deflated.png', new Uint8Array(5000).fill(7), { compression: 'DEFLATE' });
    z.folder('a/empty');
    const files = await expandDrop([{ path: 'x.zip', bytes: await z.generateAsync({ type: 'uint8array' }) }]);
    expect(files.map((f) => f.path).sort()).toEqual(['a/deflated.png', 'a/stored.png']);
    expect([...files.find((f) => f.path === 'a/stored.png')!.bytes]).toEqual([...png]);
    expect(files.find((f) => f.path === 'a/deflated.png')!.bytes).toEqual(new Uint8Array(5000).fill(7));
  });

  it('hands a deflated entry over compressed (a worker inflates a thumbnail), through a rename and into the sample', async () => {
    const z = new JSZip();
    z.file('testing/bowtie.one.png', png, { compression: 'STORE' });
    z.file('testing/bowtie.two.png', new Uint8Array(5000).fill(7), { compression: 'DEFLATE' });
    const zip = await z.generateAsync({ type: 'uint8array' });
    const files = await expandDrop([{ path: 'x.zip', bytes: zip }, { path: 'other.png', bytes: png }]); // two: the zip's entries are renamed
    const ds = buildDataset('x', files);
    const [one, two] = ['x/testing/bowtie.one.png', 'x/testing/bowtie.two.png'].map((p) => ds.samples.find((s) => s.path.endsWith(p.slice(2)))!);
    expect(one.deflated?.()).toBeUndefined(); // stored: read as it is
    const packed = two.deflated!()!;
    expect(packed.size).toBe(5000);
    expect(packed.data.length).toBeLessThan(100);
    expect(packed.data.buffer).toBe(zip.buffer); // a view into the zip, not a copy
    expect(inflateSync(packed.data, { out: new Uint8Array(packed.size) })).toEqual(two.bytes);
  });

  /** A zip on disk as the page sees a dropped File (a Blob), counting the bytes read from it. */
  function onDisk(bytes: Uint8Array) {
    const blob = new Blob([bytes as BlobPart]);
    const disk = { read: 0, size: blob.size, slice: (a: number, b: number) => ({ arrayBuffer: async () => { const part = await blob.slice(a, b).arrayBuffer(); disk.read += part.byteLength; return part; } }) };
    return disk;
  }

  it('a zip left on disk: opening reads its directory only; each image is read when asked for, the same bytes, and a damaged one fails alone', async () => {
    const intact = await tenThousand((i) => i % 3 === 0);
    const disk = onDisk(intact);
    const ds = buildDataset('big.zip', await expandDrop([zipOnDisk('big.zip', disk)]));
    expect(ds.samples).toHaveLength(10_000);
    expect(ds.samples[3].label).toBe('cat');
    // the directory (~78 bytes an entry), info.labels and the zip's end: a small part of the zip
    expect(disk.read).toBeLessThan(intact.length / 4);
    const opened = disk.read;
    expect(() => ds.samples[3].bytes).toThrow(/read from disk when needed/);
    for (const i of [0, 1, 9_999]) expect([...(await readBytes(ds.samples[i]))]).toEqual([...png, ...pixels(i)]);
    expect(disk.read - opened).toBeLessThanOrEqual(2 * 256 * 1024); // the two 256 kB blocks they are in, not the zip (~7 MB)
    // a deflated entry is handed over compressed, to be inflated in a worker
    const packed = (await readDeflated(ds.samples[1]))!;
    expect(inflateSync(packed.data, { out: new Uint8Array(packed.size) })).toEqual(await readBytes(ds.samples[1]));
    expect(await readDeflated(ds.samples[0])).toBeUndefined(); // stored
    // the same data set from the zip in memory: the same samples, bytes and fingerprint
    const inMemory = buildDataset('big.zip', await expandDrop([{ path: 'big.zip', bytes: intact }]));
    expect(inMemory.samples.map((x) => [x.id, x.label, x.split])).toEqual(ds.samples.map((x) => [x.id, x.label, x.split]));
    expect(fingerprintSamples([await sampleFile(zipOnDisk('big.zip', onDisk(intact)))])).toBe(fingerprint([{ name: 'big.zip', bytes: intact }]));
    // damaged entries fail when read, each alone, with the message the zip in memory gives
    const damaged = buildDataset('big.zip', await expandDrop([zipOnDisk('big.zip', onDisk(damageEntries(intact, 'info.labels')))]));
    await expect(readBytes(damaged.samples[1])).rejects.toThrow(/big.zip: the entry testing\/cat.1.png is damaged/);
    await expect(readBytes(damaged.samples[2])).rejects.toThrow(/big.zip: the entry testing\/dog.2.png is damaged/);
  });

  it('a zip in a browser File: a worker can read each image itself, from where it lies in the zip (a stored one, a deflated one, a damaged one alone)', async () => {
    const intact = await tenThousand((i) => i % 3 === 0);
    const ds = buildDataset('big.zip', await expandDrop([zipOnDisk('big.zip', new Blob([intact as BlobPart]))]));
    for (const i of [0, 1, 2, 9_999]) {
      const where = ds.samples[i].onDisk!;
      expect(where.blob).toBeInstanceOf(Blob);
      // what goes to the worker in a message: the File and plain numbers
      expect(Object.keys(where.spot!).sort()).toEqual(['compressed', 'extraLength', 'local', 'method', 'name', 'nameLength', 'size']);
      expect([...(await readOnDisk(where))]).toEqual([...png, ...pixels(i)]);
    }
    const damaged = buildDataset('big.zip', await expandDrop([zipOnDisk('big.zip', new Blob([damageEntries(intact, 'info.labels') as BlobPart]))]));
    await expect(readOnDisk(damaged.samples[1].onDisk!)).rejects.toThrow(/testing\/cat.1.png: its data is damaged/);
    // a loose image: the File itself
    const loose = imageOnDisk('cat/1.png', new File([png as BlobPart], '1.png', { lastModified: 5 }));
    expect([...(await readOnDisk(loose.onDisk!))]).toEqual([...png]);
    // a zip that is not a browser Blob (the counting reader above) gives workers nothing to read
    const counted = buildDataset('big.zip', await expandDrop([zipOnDisk('big.zip', onDisk(intact))]));
    expect(counted.samples[0].onDisk).toBeUndefined();
  });

  it('a zip on disk that is not one, or is cut short, is named as the zip in memory is', async () => {
    const bad = new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3]);
    await expect(expandDrop([zipOnDisk('broken.zip', onDisk(bad))])).rejects.toThrow(/broken.zip is not a readable zip file/);
    const z = new JSZip();
    z.file('cat/1.png', new Uint8Array(4000).fill(9), { compression: 'STORE', createFolders: false });
    const whole = await z.generateAsync({ type: 'uint8array' });
    // the directory intact, the entry's data gone: opened, then its read fails
    const cut = whole.slice();
    cut.fill(0, 0, 34);
    const [entry] = await expandDrop([zipOnDisk('cut.zip', onDisk(cut))]);
    await expect(readBytes(entry)).rejects.toThrow(/cut.zip: the entry cat\/1.png is damaged .*missing/);
    await expect(expandDrop([zipOnDisk('half.zip', onDisk(whole.slice(0, 2000)))])).rejects.toThrow(/half.zip is not a readable zip file/);
  });

  it('loose images left on disk: read when asked for; the fingerprint takes their names, sizes and dates, reading none', async () => {
    const disk = (bytes: Uint8Array, lastModified: number) => ({ ...onDisk(bytes), lastModified });
    const a = disk(new Uint8Array([...png, 1]), 1000), b = disk(new Uint8Array([...png, 2]), 2000);
    const dropped = [imageOnDisk('cats/a.png', a), imageOnDisk('dogs/b.png', b), { path: 'labels.txt', bytes: new Uint8Array([99]) }];
    const ds = buildDataset('pets', await expandDrop(dropped));
    expect(ds.samples.map((x) => [x.path, x.label])).toEqual([['cats/a.png', 'cats'], ['dogs/b.png', 'dogs']]);
    expect(dropped.map(heldBytes)).toEqual([0, 0, 1]);
    const key = fingerprintSamples(await Promise.all(dropped.map(sampleFile)));
    expect(a.read + b.read).toBe(0);
    expect([...(await readBytes(ds.samples[1]))]).toEqual([...png, 2]);
    // the same names and sizes with another date: another fingerprint (a file changed on disk)
    const later = [imageOnDisk('cats/a.png', disk(new Uint8Array([...png, 1]), 1001)), dropped[1], dropped[2]];
    expect(fingerprintSamples(await Promise.all(later.map(sampleFile)))).not.toBe(key);
  });

  it('the run reads images left on disk batch by batch: a zip entry goes compressed or stored, a loose image as its bytes, an unreadable one fails alone', async () => {
    const z = new JSZip();
    z.file('t/a.png', new Uint8Array(3000).fill(5), { compression: 'DEFLATE' });
    z.file('t/b.png', png, { compression: 'STORE' });
    const entries = await expandDrop([zipOnDisk('x.zip', onDisk(await z.generateAsync({ type: 'uint8array' })))]);
    const loose = imageOnDisk('c.png', { ...onDisk(new Uint8Array([...png, 3])), lastModified: 1 });
    const gone = { path: 'gone.png', get bytes(): Uint8Array { throw new Error('on disk'); }, read: () => Promise.reject(new Error('the file was moved')), readDeflated: undefined };
    const seen: ImageToPrepare[] = [];
    const engine = { explainImages: async (batch: ImageToPrepare[]) => (seen.push(...batch), batch.map((b) => ({ id: b.id, error: 'not explained here' }))) };
    const images = [...entries, loose, gone].map((f) => ({ id: f.path, get bytes() { return f.bytes; }, read: f.read, readDeflated: f.readDeflated }));
    const progress = await explainAll(engine, images, {}, { batchSize: 2 });
    expect(progress).toEqual({ done: 4, total: 4, failed: 4 });
    const by = new Map(seen.map((b) => [b.id, b]));
    const a = by.get('t/a.png') as { deflated: Uint8Array; size: number };
    expect(inflateSync(a.deflated, { out: new Uint8Array(a.size) })).toEqual(new Uint8Array(3000).fill(5));
    expect([...(by.get('t/b.png') as { bytes: Uint8Array }).bytes]).toEqual([...png]);
    expect([...(by.get('c.png') as { bytes: Uint8Array }).bytes]).toEqual([...png, 3]);
    expect(by.has('gone.png')).toBe(false); // failed before the engine: "the file was moved"
  });
});
