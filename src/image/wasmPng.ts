// Overlays as PNG in WebAssembly: @jsquash/png, Squoosh's build of the Rust `png` crate. At a
// 320×240 photo overlay, in Chromium on this 2-core machine, it encodes in ~3.5 ms against ~10–13
// for the browser's own encoder (OffscreenCanvas.convertToBlob, Skia), and its file is 119 kB
// against 136; both are lossless. The export of 10,000 photos was mostly that encoding.
// (@cf-wasm/png, the same crate with its settings open, encoded RGB with run-length deflate a little
// faster on its own, 92 kB, but the export of 1,000 photos took ~7 % longer with it, two runs each.)
import init, { encode } from '@jsquash/png/codec/pkg/squoosh_png.js';
import type { RgbaImage } from './rgba';

let ready: Promise<unknown> | undefined;

/** Loads the encoder (its .wasm from `wasm`: a URL in a browser, the bytes in Node) once per thread. */
export async function wasmPngEncoder(wasm: string | URL | BufferSource): Promise<(image: RgbaImage) => Uint8Array> {
  ready ??= init(wasm);
  await ready;
  return (image) => encode(new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height, 8);
}
