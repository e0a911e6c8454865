// Generated benchmark data sets (cached in bench/.data/, git-ignored), Edge Impulse–style export
// zips like scripts/make-demo.mjs makes: testing/<label>.<name>.<ext> + info.labels.
//   doodles-<n>.zip  real Quick, Draw! doodles (28×28 PNG) from tests/fixtures/quickdraw-npy-3class,
//                    n split over bowtie/lollipop/rainbow (10,000 → 3334/3333/3333 rows).
//   vww-<n>.zip      n synthetic 320×240 RGB JPEGs (quality 85), labels person/notperson. There are
//                    no photo fixtures, so each image is made deterministically (seeded PRNG): a
//                    smooth two-colour gradient, a few soft blurred blobs, a Quick, Draw! doodle scaled
//                    up ×5–7 and tinted as a dark "subject", then ±8 grey-level noise. Photo-like
//                    statistics for the JPEG decoder and the resize; the labels mean nothing.
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { DATA, FIXTURES } from './paths.mjs';

const CLASSES = ['bowtie', 'lollipop', 'rainbow'];
const DATE = new Date('2019-04-28T00:00:00Z');
const npyCache = new Map();

function rows(cls) {
  if (!npyCache.has(cls)) npyCache.set(cls, fs.readFileSync(path.join(FIXTURES, 'quickdraw-npy-3class', `${cls}5000.npy`)));
  const buf = npyCache.get(cls);
  return (i) => buf.subarray(128 + i * 784, 128 + (i + 1) * 784);
}

/** mulberry32: small seeded PRNG, so the images are the same on every machine. */
function prng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function writeZip(file, entries) {
  const zip = new JSZip();
  const files = [];
  for (const e of entries) {
    zip.file(e.path, e.bytes, { date: DATE });
    files.push({ path: e.path, name: e.name, category: 'testing', label: { type: 'label', label: e.label }, metadata: {}, boundingBoxes: [] });
  }
  zip.file('info.labels', JSON.stringify({ version: 1, files }, null, 1), { date: DATE });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file + '.tmp', await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }));
  fs.renameSync(file + '.tmp', file);
  return file;
}

/** n real doodles as PNGs, split as evenly as possible over the three classes. */
export async function doodleZip(n) {
  const file = path.join(DATA, `doodles-${n}.zip`);
  if (fs.existsSync(file)) return file;
  const entries = [];
  CLASSES.forEach((label, c) => {
    const count = Math.floor(n / 3) + (c < n % 3 ? 1 : 0);
    const row = rows(label);
    for (let i = 0; i < count; i++) {
      const name = `${label}${String(i).padStart(4, '0')}`;
      entries.push({ path: `testing/${label}.${name}.png`, name, label, bytes: encodePng({ width: 28, height: 28, data: new Uint8Array(row(i)), channels: 1, depth: 8 }) });
    }
  });
  return writeZip(file, entries);
}

export function photo(i, W = 320, H = 240) {
  const rnd = prng(0x5eed + i * 7919);
  const col = () => [40 + rnd() * 200, 40 + rnd() * 200, 40 + rnd() * 200];
  const [a, b] = [col(), col()];
  const ang = rnd() * Math.PI * 2, dx = Math.cos(ang), dy = Math.sin(ang);
  const blobs = Array.from({ length: 3 + Math.floor(rnd() * 4) }, () => ({ x: rnd() * W, y: rnd() * H, r: 20 + rnd() * 70, c: col(), k: 0.3 + rnd() * 0.5 }));
  const doodle = rows(CLASSES[i % 3])(Math.floor(i / 3) % 5000);
  const scale = 5 + rnd() * 2, ox = rnd() * (W - 28 * scale), oy = rnd() * (H - 28 * scale);
  const tint = [rnd() * 80, rnd() * 80, rnd() * 80];
  const data = new Uint8Array(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const t = Math.min(1, Math.max(0, 0.5 + ((x - W / 2) * dx + (y - H / 2) * dy) / W));
      let p = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
      for (const bl of blobs) {
        const w = bl.k * Math.exp(-((x - bl.x) ** 2 + (y - bl.y) ** 2) / (2 * bl.r * bl.r));
        p = p.map((v, c) => v + (bl.c[c] - v) * w);
      }
      // the doodle, sampled bilinearly at this pixel
      const u = (x - ox) / scale - 0.5, v = (y - oy) / scale - 0.5;
      const u0 = Math.floor(u), v0 = Math.floor(v);
      if (u0 >= -1 && u0 < 28 && v0 >= -1 && v0 < 28) {
        const at = (uu, vv) => (uu < 0 || vv < 0 || uu > 27 || vv > 27 ? 0 : doodle[vv * 28 + uu]);
        const fu = u - u0, fv = v - v0;
        const s = (at(u0, v0) * (1 - fu) + at(u0 + 1, v0) * fu) * (1 - fv) + (at(u0, v0 + 1) * (1 - fu) + at(u0 + 1, v0 + 1) * fu) * fv;
        p = p.map((q, c) => q + (tint[c] - q) * (s / 255));
      }
      const o = (y * W + x) * 4;
      for (let c = 0; c < 3; c++) data[o + c] = Math.max(0, Math.min(255, p[c] + (rnd() - 0.5) * 16));
      data[o + 3] = 255;
    }
  }
  return jpeg.encode({ data, width: W, height: H }, 85).data;
}

/** The zip entry of synthetic photo i (its JPEG bytes, from photo(i)), alternately labelled person / notperson. */
export function vwwEntry(i, bytes) {
  const label = i % 2 ? 'notperson' : 'person';
  const name = `img${String(i).padStart(5, '0')}`;
  return { path: `testing/${label}.${name}.jpg`, name, label, bytes: new Uint8Array(bytes) };
}

/** n synthetic 320×240 JPEGs (bench/gpu/make-data.mjs makes the same zip on many cores). */
export async function vwwZip(n) {
  const file = path.join(DATA, `vww-${n}.zip`);
  if (fs.existsSync(file)) return file;
  return writeZip(file, Array.from({ length: n }, (_, i) => vwwEntry(i, photo(i))));
}
