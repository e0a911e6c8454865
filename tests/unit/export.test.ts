import JSZip from 'jszip';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { encode, decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { buildExport, ExportCancelled, overlayPng, writeExport, type OverlayMaker } from '../../src/export/exportZip';
import { zipCrc } from '../../src/common/zipCrc';
import { renderOverlay } from '../../src/render/overlay';
import { DEFAULT_PREPROCESS } from '../../src/image/preprocess';
import { DEFAULT_VIEW } from '../../src/results/view';
import type { Sample } from '../../src/sources/datasets/dataset';
import type { ModelInfo, SampleResult } from '../../src/engine/types';
import { MAP_KEYS, mapKey } from '../../src/methods/registry';

const rgb = (w: number, h: number) => encode({ width: w, height: h, data: new Uint8Array(w * h * 3).map((_, i) => (i * 7) % 256), channels: 3, depth: 8 });
const sample = (id: string, path: string, label: string): Sample => ({ id, path, fileName: path.split('/').pop()!, label, split: 'testing', bytes: rgb(4, 3) });
const result = (id: string, predictedIndex: number): SampleResult => ({
  id, kind: 'classification', predictedIndex, targetIndex: predictedIndex, confidence: 0.75, top: [{ index: 1, score: 0.75 }, { index: 0, score: 0.25 }],
  gridHeight: 2, gridWidth: 2, maps: { ...Object.fromEntries(MAP_KEYS.map((m) => [m, Float32Array.from([0, 0, 0, 1])])), [mapKey('gradcam', 'mean')]: Float32Array.from([1, 2, 3, 4]), [mapKey('gradcam', 'sum_abs')]: Float32Array.from([4, 3, 2, 1]) },
});
const info = { outputKind: 'classification', outputCount: 2 } as ModelInfo;

describe('hostile file and label names', () => {
  it('zip entries hold no path, control or direction character, no "..", no device name; unique in any case', async () => {
    const names = ['..\\..\\windows\\evil.png', 'CON.png', 'evil\u202egnp.exe.png', '.hidden.png', '...png', 'tab\there\u0007.png', 'A.png', 'a.png', 'C:x.png', ' .png'];
    const samples = names.map((n, i) => ({ ...sample(String(i), `cats/${n}`, 'cat'), fileName: n }));
    const results = Object.fromEntries(samples.map((x) => [x.id, result(x.id, 0)]));
    const { zip } = await buildExport({ samples, results, view: DEFAULT_VIEW, classNames: ['cat', 'dog'], model: { name: 'm', info }, targetLayer: 'conv', preprocess: DEFAULT_PREPROCESS, score: 'logit' });
    const entries = Object.keys((await JSZip.loadAsync(zip)).files).filter((n) => n.startsWith('correct/'));
    expect(entries).toEqual(['correct/_.._windows_evil.png', 'correct/_CON.png', 'correct/evilgnp.exe.png', 'correct/hidden.png', 'correct/image.png', 'correct/tabhere.png', 'correct/A.png', 'correct/a-2.png', 'correct/C_x.png', 'correct/image-2.png']);
    for (const e of entries) {
      const stem = e.slice('correct/'.length);
      expect(stem).not.toMatch(/^\.|[\\/:\u0000-\u001f\u202a-\u202e]/);
    }
  });

  it('report cells that a spreadsheet would run as a formula are shown as text; numbers stay numbers', async () => {
    const samples = [sample('0', 'x/=1+2.png', '=HYPERLINK("http://evil","click")'), sample('1', 'x/@SUM(A1).png', '+cmd'), sample('2', 'x/-0.75.s1.png', '-0.75')];
    const results = Object.fromEntries(samples.map((x) => [x.id, result(x.id, 0)]));
    const { zip } = await buildExport({ samples, results, view: DEFAULT_VIEW, classNames: ['-2+3', 'dog'], model: { name: 'm', info }, targetLayer: 'conv', preprocess: DEFAULT_PREPROCESS, score: 'logit' });
    const rows = (await (await JSZip.loadAsync(zip)).file('report.csv')!.async('string')).trim().split('\n').slice(1);
    expect(rows).toEqual([
      "x/=1+2.png,incorrect/=1+2.png,\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\",'-2+3,0.750000,false",
      "x/@SUM(A1).png,incorrect/@SUM(A1).png,'+cmd,'-2+3,0.750000,false",
      'x/-0.75.s1.png,incorrect/-0.75.s1.png,-0.75,\'-2+3,0.750000,false',
    ]);
  });
});

describe('the export zip', () => {
  it('writes overlays by verdict, a report and the settings; skips failed samples', async () => {
    const samples = [sample('0', 'cat/a.png', 'cat'), sample('1', 'dog/a.png', 'dog'), sample('2', 'dog/b,"x".png', 'dog'), sample('3', 'dog/bad.png', 'dog')];
    const results = { 0: result('0', 0), 1: result('1', 0), 2: result('2', 1), 3: { id: '3', error: 'broken' } };
    const { zip } = await buildExport({ samples, results, view: DEFAULT_VIEW, classNames: ['cat', 'dog'], model: { name: 'm', info }, targetLayer: 'conv', preprocess: DEFAULT_PREPROCESS, score: 'logit' });
    const z = await JSZip.loadAsync(zip);
    expect(Object.keys(z.files).filter((n) => !z.files[n].dir).sort()).toEqual(['correct/a.png', 'correct/b,_x_.png', 'incorrect/a.png', 'report.csv', 'settings.json']);
    expect(await z.file('report.csv')!.async('string')).toBe(
      'file,overlay,true_label,predicted_label,confidence,correct\n' +
        'cat/a.png,correct/a.png,cat,cat,0.750000,true\n' +
        'dog/a.png,incorrect/a.png,dog,cat,0.750000,false\n' +
        '"dog/b,""x"".png","correct/b,_x_.png",dog,dog,0.750000,true\n',
    );
    expect(JSON.parse(await z.file('settings.json')!.async('string'))).toEqual({
      model: 'm', layer: 'conv', method: 'gradcam', pooling: 'mean', normalization: 'percentile', percentile: 99, normalizationScope: 'image', drawnOn: 'image', alpha: 0.4, colormap: 'jet', target: 'predicted', score: 'logit', inputScaling: '0..1', resizeMode: 'squash', resizeMethod: 'bilinear', counts: { correct: 2, incorrect: 1 },
    });
    const png = decode(await z.file('correct/a.png')!.async('uint8array'));
    const expected = renderOverlay({ width: 4, height: 3, data: (() => { const d = decode(samples[0].bytes); const o = new Uint8ClampedArray(48); for (let i = 0; i < 12; i++) { o.set(d.data.subarray(i * 3, i * 3 + 3), i * 4); o[i * 4 + 3] = 255; } return o; })() }, (results[0] as { maps: Record<string, Float32Array> }).maps[mapKey('gradcam', 'mean')], 2, 2, DEFAULT_VIEW);
    expect([png.width, png.height]).toEqual([112, 84]); // 4×3 enlarged 28× so the heatmap is smooth
    expect(png.channels).toBe(3); // overlays are opaque: stored as RGB
    expect([...png.data]).toEqual([...expected.data].filter((_, i) => i % 4 !== 3));
    expect([...expected.data].filter((_, i) => i % 4 === 3).every((a) => a === 255)).toBe(true);
  });

  it('keeps two files with the same name apart', async () => {
    const samples = [sample('0', 'a/x.png', 'cat'), sample('1', 'b/x.png', 'cat')];
    const { rows } = await buildExport({ samples, results: { 0: result('0', 0), 1: result('1', 0) }, view: DEFAULT_VIEW, classNames: ['cat', 'dog'], model: { name: 'm', info }, targetLayer: 'conv', preprocess: DEFAULT_PREPROCESS, score: 'logit' });
    expect(rows.map((r) => r.overlay)).toEqual(['correct/x.png', 'correct/x-2.png']);
  });
});

describe('the streamed export', () => {
  const input = () => {
    const samples = [sample('0', 'cat/a.png', 'cat'), sample('1', 'dog/a.png', 'dog'), sample('2', 'dog/b.png', 'dog')];
    return { samples, results: { 0: result('0', 0), 1: result('1', 0), 2: result('2', 1) }, view: DEFAULT_VIEW, classNames: ['cat', 'dog'], model: { name: 'm', info }, targetLayer: 'conv', preprocess: DEFAULT_PREPROCESS, score: 'logit' };
  };

  it('writes each overlay to the sink as it is made, and the bytes make the same zip as in memory', async () => {
    const chunks: Uint8Array[] = [];
    const writtenAtProgress: number[] = [];
    await writeExport(input(), { write: (c) => void chunks.push(c) }, { onProgress: () => void writtenAtProgress.push(chunks.reduce((n, c) => n + c.length, 0)) });
    // the first overlay is in the sink before the second is made, and so on: nothing waits for the end
    expect(writtenAtProgress[0]).toBeGreaterThan(0);
    expect(writtenAtProgress[1]).toBeGreaterThan(writtenAtProgress[0]);
    const streamed = await JSZip.loadAsync(new Uint8Array(Buffer.concat(chunks)));
    const { zip } = await buildExport(input());
    const inMemory = await JSZip.loadAsync(zip);
    const names = Object.keys(inMemory.files).sort();
    expect(Object.keys(streamed.files).sort()).toEqual(names);
    for (const n of names) expect(await streamed.file(n)!.async('uint8array')).toEqual(await inMemory.file(n)!.async('uint8array'));
  });

  it('with results still arriving (the command line), writes each sample once its result is in, in order: the same zip as after the run', async () => {
    const whole = input();
    const later = { ...whole, results: {} as Record<string, SampleResult> };
    const asked: string[] = [];
    const arrivals = new Map<string, () => void>();
    const arrived = (s: Sample) => (asked.push(s.id), s.id in later.results ? Promise.resolve() : new Promise<void>((r) => arrivals.set(s.id, r)));
    const chunks: Uint8Array[] = [];
    const writing = writeExport(later, { write: (c) => void chunks.push(c) }, { arrived });
    const turn = () => new Promise((r) => setTimeout(r, 5));
    await turn();
    expect(asked).toEqual(['0']); // it waits for the first sample's result before anything else
    // the results come back out of order, one of them failed
    for (const id of ['1', '0', '2']) {
      later.results[id] = id === '1' ? { id, error: 'not an image' } : whole.results[id as '0' | '2'];
      arrivals.get(id)?.();
      await turn();
    }
    const { rows } = await writing;
    expect(asked).toEqual(['0', '1', '2']);
    expect(rows.map((r) => r.file)).toEqual(['cat/a.png', 'dog/b.png']);
    const after = await buildExport({ ...whole, results: { 0: whole.results[0], 1: { id: '1', error: 'not an image' }, 2: whole.results[2] } });
    expect(new Uint8Array(Buffer.concat(chunks))).toEqual(after.zip);
    // one scale for the whole data set needs every map first
    await expect(writeExport({ ...input(), view: { ...DEFAULT_VIEW, scope: 'dataset' } }, { write: () => undefined }, { arrived })).rejects.toThrow(/every map before the first overlay/);
  });

  it('an overlay whose maker reads the image and sums the CRC itself (the page\'s workers) makes the same zip, its CRCs right', async () => {
    const read: string[] = [];
    const makeOverlay: OverlayMaker = async (order, sample) => {
      read.push(sample.id);
      const png = await overlayPng({ ...order, bytes: sample.bytes });
      return { png, crc: zipCrc(png) };
    };
    const own = await JSZip.loadAsync((await buildExport(input(), { makeOverlay })).zip, { checkCRC32: true }); // throws on a wrong CRC
    const plain = await JSZip.loadAsync((await buildExport(input())).zip);
    expect(read).toEqual(['0', '1', '2']);
    const names = Object.keys(plain.files).sort();
    expect(Object.keys(own.files).sort()).toEqual(names);
    for (const n of names) expect(await own.file(n)!.async('uint8array')).toEqual(await plain.file(n)!.async('uint8array'));
    // a wrong CRC is caught by the same reader: the check above can fail
    const wrong = (await buildExport(input(), { makeOverlay: async (order, sample) => ({ png: await overlayPng({ ...order, bytes: sample.bytes }), crc: 1 }) })).zip;
    await expect(JSZip.loadAsync(wrong, { checkCRC32: true })).rejects.toThrow(/crc32/i);
  });

  it('lets go of each overlay once it is written: the zip holds none of them until its end', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const samples = Array.from({ length: 12 }, (_, i) => sample(String(i), `cat/${i}.png`, 'cat'));
    const written: WeakRef<Uint8Array>[] = [];
    const keptAtEach: number[] = [];
    const makeOverlay: OverlayMaker = async () => {
      // a new task, so no WeakRef made in this one keeps its target; then a full collection
      await new Promise((r) => setTimeout(r, 0));
      gc();
      keptAtEach.push(written.filter((w) => w.deref()).length);
      const png = new Uint8Array(1 << 20).fill(written.length); // one a MB, as a photo's overlay is ~120 kB
      written.push(new WeakRef(png));
      return { png, crc: zipCrc(png) };
    };
    let bytes = 0;
    await writeExport({ ...input(), samples, results: Object.fromEntries(samples.map((x) => [x.id, result(x.id, 0)])) }, { write: (c) => void (bytes += c.length) }, { makeOverlay });
    expect(bytes).toBeGreaterThan(12 << 20);
    // the fflate Zip keeps every entry given to it, for the central directory: the entry must not
    // keep its bytes (it did: every overlay stayed in memory until the zip ended, +1.2 GB at 10,000 photos)
    expect(keptAtEach).toEqual(Array(12).fill(0));
  });

  it('zipCrc is the CRC-32 zips use (the check value of "123456789")', () => {
    expect(zipCrc(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('stops on Cancel', async () => {
    const controller = new AbortController();
    const run = writeExport(input(), { write: () => undefined }, { signal: controller.signal, onProgress: (done) => done === 1 && controller.abort() });
    await expect(run).rejects.toThrow(ExportCancelled);
  });
});
