// The page's PNG encoder for export overlays (WebAssembly: @jsquash/png), run here in Node from
// the same .wasm: lossless against fast-png's decoder, and the same overlay as the pure-JS encoder.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { decode, encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { wasmPngEncoder } from '../../src/image/wasmPng';
import { overlayPng } from '../../src/export/exportZip';
import { drawOverlay } from '../../src/render/overlay';
import { DEFAULT_VIEW } from '../../src/results/view';
import { opaqueRgba } from '../helpers';

const wasmFile = createRequire(import.meta.url).resolve('@jsquash/png/codec/pkg/squoosh_png_bg.wasm');

describe('the WebAssembly PNG encoder of export overlays', () => {
  it('encodes RGBA images of odd sizes losslessly', async () => {
    const encodeRgba = await wasmPngEncoder(fs.readFileSync(wasmFile));
    for (const [w, h] of [[1, 1], [7, 3], [320, 240], [33, 101]]) {
      const data = Uint8ClampedArray.from({ length: w * h * 4 }, (_, i) => (i % 4 === 3 ? 255 : (i * 7919 + (i >> 5)) % 256));
      const png = decode(encodeRgba({ width: w, height: h, data }));
      expect([png.width, png.height, png.depth]).toEqual([w, h, 8]);
      expect(opaqueRgba(png)).toEqual([...data]);
    }
  });

  it("gives the same overlay pixels as the export's pure-JS encoder", async () => {
    const encodeRgba = await wasmPngEncoder(fs.readFileSync(wasmFile));
    const [w, h] = [96, 72];
    const photo = encode({ width: w, height: h, data: Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 13) % 251), channels: 3, depth: 8 });
    const job = { bytes: photo, map: Float32Array.from({ length: 9 }, (_, i) => Math.sin(i)), gridWidth: 3, gridHeight: 3, view: { ...DEFAULT_VIEW, alpha: 0.6 } };
    const [ours, js] = [decode(encodeRgba(await drawOverlay(job))), decode(await overlayPng(job))];
    expect([ours.width, ours.height]).toEqual([js.width, js.height]);
    expect(opaqueRgba(ours)).toEqual(opaqueRgba(js));
  });
});
