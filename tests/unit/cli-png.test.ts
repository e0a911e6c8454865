// The command line's PNG encoder (Node's zlib) against fast-png's: other bytes, the same pixels.
import { decode, encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { encodeRgbPng, overlayPngNode } from '../../src/cli/png';
import { overlayPng } from '../../src/export/exportZip';
import { DEFAULT_VIEW } from '../../src/results/view';

/** RGB bytes as an opaque RGBA image (alpha 255), as overlays are. */
const rgba = (width: number, height: number, rgb: Uint8Array) => ({ width, height, data: Uint8ClampedArray.from({ length: width * height * 4 }, (_, i) => (i % 4 === 3 ? 255 : rgb[(i >> 2) * 3 + (i % 4)])) });

describe("the command line's PNG encoder", () => {
  it('encodes RGB images of odd sizes losslessly', () => {
    for (const [w, h] of [[1, 1], [7, 3], [320, 240], [33, 101]]) {
      const rgb = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 7919 + (i >> 5)) % 256);
      const png = decode(encodeRgbPng(rgba(w, h, rgb)));
      expect([png.width, png.height, png.channels, png.depth]).toEqual([w, h, 3, 8]);
      expect([...png.data]).toEqual([...rgb]);
    }
  });

  it('keeps a photo-like image small and a flat one tiny (rows filtered, runs coded)', () => {
    const [w, h] = [320, 240];
    let seed = 7;
    const noise = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 29) - 4; // −4..3
    // smooth shading with a little noise, as a photo's overlay: raw bytes barely repeat
    const photo = Uint8Array.from({ length: w * h * 3 }, (_, i) => 60 + ((i / 3) % w) / 4 + Math.floor(i / 3 / w) / 3 + noise());
    const flat = new Uint8Array(w * h * 3).fill(200);
    const [a, b] = [encodeRgbPng(rgba(w, h, photo)), encodeRgbPng(rgba(w, h, flat))];
    expect([...decode(a).data]).toEqual([...photo]);
    expect(a.length).toBeLessThan(0.5 * photo.length);
    expect(b.length).toBeLessThan(0.01 * flat.length);
  });

  it("draws the same overlay pixels as the export's pure-JS encoder", async () => {
    const [w, h] = [96, 72];
    const photo = encode({ width: w, height: h, data: Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 13) % 251), channels: 3, depth: 8 });
    const job = { bytes: photo, map: Float32Array.from({ length: 9 }, (_, i) => Math.sin(i)), gridWidth: 3, gridHeight: 3, view: { ...DEFAULT_VIEW, alpha: 0.6 } };
    const [ours, js] = [decode(await overlayPngNode(job)), decode(await overlayPng(job))];
    expect([ours.width, ours.height]).toEqual([js.width, js.height]);
    expect([...ours.data]).toEqual([...js.data]);
  });
});
