// The command line's PNG encoder (Node's zlib) against fast-png's: other bytes, the same pixels.
import { decode, encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { encodeRgbPng, overlayPngNode } from '../../src/cli/png';
import { overlayPng } from '../../src/export/exportZip';
import { DEFAULT_VIEW } from '../../src/results/view';

describe("the command line's PNG encoder", () => {
  it('encodes RGB images of odd sizes losslessly', () => {
    for (const [w, h] of [[1, 1], [7, 3], [320, 240], [33, 101]]) {
      const rgb = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 7919 + (i >> 5)) % 256);
      const png = decode(encodeRgbPng(w, h, rgb));
      expect([png.width, png.height, png.channels, png.depth]).toEqual([w, h, 3, 8]);
      expect([...png.data]).toEqual([...rgb]);
    }
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
