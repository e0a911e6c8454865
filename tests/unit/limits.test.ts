// Limits checked before allocating for what a file claims: a zip bomb, a zip of too many files,
// a PNG header claiming 30,000 × 30,000, an oversized model file, too many classes — each refused
// with its own LimitError and message, from the app's readers and from the command line's flags.
import fs from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { afterEach, describe, expect, it } from 'vitest';
import { checkClasses, DEFAULT_LIMITS, LimitError, limits, setLimits } from '../../src/common/limits';
import { expandDrop, unzip } from '../../src/sources/datasets/files';
import { sortDrop } from '../../src/sources/sortDrop';
import { decodeImage } from '../../src/image/decode';
import { imageSize } from '../../src/image/imageSize';
import { readModelDrop } from '../../src/sources/models/modelFiles';
import { runCli } from '../../src/cli/run';
import { FIXTURES } from '../helpers';

afterEach(() => setLimits(DEFAULT_LIMITS));

const refused = async (p: Promise<unknown> | (() => unknown), limit: string, message: RegExp) => {
  let error: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(LimitError);
  expect((error as LimitError).limit).toBe(limit);
  expect((error as LimitError).message).toMatch(message);
};

describe('limits', () => {
  it('a zip bomb: 64 MB of zeros in a 64 kB zip is refused from its directory, before inflating', async () => {
    const bomb = zipSync({ 'zeros.png': new Uint8Array(64 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(200_000);
    setLimits({ zipBytes: 16 * 1024 * 1024 });
    await refused(() => unzip('holiday.zip', bomb), 'zipBytes', /holiday\.zip would unpack to 64\.0 MB, more than the limit of 16\.0 MB .*Largest unpacked zip.*--max-zip-mb.*zip bomb/);
    await refused(expandDrop([{ path: 'holiday.zip', bytes: bomb }]), 'zipBytes', /holiday\.zip/);
    // one drop: it is sorted as "unreadable" and left for the data-set loader, which says why
    expect((await sortDrop([{ path: 'holiday.zip', bytes: bomb }])).dataset).toHaveLength(1);
    setLimits(DEFAULT_LIMITS);
    expect(unzip('holiday.zip', bomb)).toHaveLength(1);
  });

  it('a zip of too many files', async () => {
    const many = zipSync(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`d/${i}.png`, new Uint8Array([i])])));
    setLimits({ zipEntries: 10 });
    await refused(() => unzip('many.zip', many), 'zipEntries', /many\.zip holds 30 files, more than the limit of 10 .*Most files in a zip/);
  });

  it('a PNG header claiming 30,000 × 30,000 is refused before decoding; real PNG and JPEG sizes are read from their headers', async () => {
    const png = encodePng({ width: 3, height: 2, data: new Uint8Array(3 * 2 * 3).fill(200), channels: 3, depth: 8 });
    expect(imageSize(png)).toEqual({ width: 3, height: 2 });
    const bomb = png.slice();
    new DataView(bomb.buffer).setUint32(16, 30_000);
    new DataView(bomb.buffer).setUint32(20, 30_000);
    await refused(decodeImage(bomb), 'imagePixels', /30,000 × 30,000 pixels \(900 Mpx\), more than the limit of 100 Mpx .*not decoded/);
    const jpg = jpeg.encode({ width: 40, height: 24, data: new Uint8Array(40 * 24 * 4).fill(128) }, 90).data;
    expect(imageSize(new Uint8Array(jpg))).toEqual({ width: 40, height: 24 });
    setLimits({ imagePixels: 500 });
    await refused(decodeImage(new Uint8Array(jpg)), 'imagePixels', /40 × 24 pixels/);
    expect((await decodeImage(new Uint8Array(jpg), { maxPixels: 1000 })).width).toBe(40); // a run passes its own limit
  });

  it('reads GIF, BMP and WebP sizes from their headers as their specifications lay them out', () => {
    const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
    expect(imageSize(bytes('GIF89a', [0x2c, 0x01, 0x90, 0x01]))).toEqual({ width: 300, height: 400 });
    expect(imageSize(bytes('BM', new Array(16).fill(0), [0x10, 0x27, 0, 0], [0x30, 0xf8, 0xff, 0xff]))).toEqual({ width: 10_000, height: 2000 }); // bottom-up: negative height
    expect(imageSize(bytes('RIFF', [0, 0, 0, 0], 'WEBP', 'VP8X', new Array(8).fill(0), [0x2f, 0x75, 0], [0x2f, 0x75, 0]))).toEqual({ width: 30_000, height: 30_000 });
    expect(imageSize(bytes('RIFF', [0, 0, 0, 0], 'WEBP', 'VP8 ', new Array(10).fill(0), [0x80, 0x02], [0xe0, 0x01]))).toEqual({ width: 640, height: 480 });
    expect(imageSize(bytes('not an image at all, just text'))).toBeUndefined();
  });

  it('a model file over the limit, and a model with more classes than allowed', async () => {
    const dir = path.join(FIXTURES, 'tfjs-doodlenet');
    const files = ['model.json', 'group1-shard1of1.bin'].map((n) => ({ path: n, bytes: new Uint8Array(fs.readFileSync(path.join(dir, n))) }));
    setLimits({ modelBytes: 1024 * 1024 });
    await refused(readModelDrop(files), 'modelBytes', /group1-shard1of1\.bin is 2\.1 MB, more than the limit of 1\.0 MB .*Largest model file/);
    setLimits(DEFAULT_LIMITS);
    expect((await readModelDrop(files)).files).toHaveLength(2);
    setLimits({ classes: 100 });
    await refused(() => checkClasses(345), 'classes', /345 outputs, more than the limit of 100 classes/);
  });

  it('the command line sets each limit from its flag', async () => {
    await expect(runCli(['--dataset', 'public/demo/quickdraw-test.zip', '--model', 'public/demo/model', '--out-directory', '/tmp/never', '--max-classes', '100'], { log: () => {} })).rejects.toThrow(/345 outputs, more than the limit of 100 classes .*--max-classes/);
    expect(limits().classes).toBe(100);
    await expect(runCli(['--dataset', 'x', '--model', 'y', '--max-image-mpx', 'lots'], { log: () => {} })).rejects.toThrow(/--max-image-mpx must be a positive number \(got lots\)/);
    const usage: string[] = [];
    await runCli(['--help'], { log: (l) => usage.push(l) });
    expect(usage.join('\n')).toMatch(/--max-zip-mb N\s+largest unpacked zip, MB \(default 8192\)/);
  });
});
