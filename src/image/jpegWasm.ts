// JPEG decoded without the browser's decoder — Node (the command line, tests), or a browser with
// neither ImageDecoder nor createImageBitmap: @jsquash/jpeg, Squoosh's WebAssembly build of
// mozjpeg's decoder (libjpeg-turbo's, as browsers and Pillow use). A 320×240 photo in ~1.6 ms in
// Node here, against ~11 ms for jpeg-js (pure JS), which was a third of the command line's CPU
// on photos; its pixels within 4 levels of jpeg-js's (mean 0.5). Like jpeg-js it ignores the
// file's orientation tag. Loaded on first use (a chunk of its own in the browser).
import type { RgbaImage } from './rgba';
import wasmUrl from '@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm?url';

type Decode = (bytes: Uint8Array) => Promise<RgbaImage>;
let decoder: Promise<Decode> | undefined;

/** Where the .wasm is in Node: the emscripten loader would fetch() a file: URL, which Node cannot. */
async function nodeModule(): Promise<WebAssembly.Module | undefined> {
  if (typeof process === 'undefined' || !process.versions?.node) return undefined;
  // names in variables, so the browser build leaves these Node modules alone
  const [fsName, moduleName] = ['node:fs', 'node:module'];
  const { readFileSync } = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs');
  const { createRequire } = (await import(/* @vite-ignore */ moduleName)) as typeof import('node:module');
  const file = createRequire(import.meta.url).resolve('@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm');
  return WebAssembly.compile(readFileSync(file));
}

async function load(): Promise<Decode> {
  const jsquash = await import('@jsquash/jpeg/decode.js');
  // at run time init also takes a compiled module first (its typings name only the options), and
  // decode any bytes (a view is copied into the WebAssembly memory as it is)
  const init = jsquash.init as (...args: unknown[]) => Promise<void>;
  const decode = jsquash.default as unknown as (bytes: Uint8Array) => Promise<ImageData>;
  // libjpeg's complaints go to stderr; the last one says why a file failed
  let complaint = '';
  const options = { print: () => undefined, printErr: (line: string) => (complaint = line) };
  const module = await nodeModule();
  if (module) await init(module, options);
  else await init({ ...options, locateFile: () => wasmUrl }); // the built file's URL, not the package's
  return async (bytes) => {
    complaint = '';
    try {
      const image = await decode(bytes);
      return { width: image.width, height: image.height, data: image.data };
    } catch (e) {
      throw new Error(complaint || (e instanceof Error ? e.message : 'not a valid JPEG file'));
    }
  };
}

/** Decodes a JPEG file to RGBA (the WebAssembly decoder, loaded once per thread). */
export async function decodeJpegWasm(bytes: Uint8Array): Promise<RgbaImage> {
  decoder ??= load();
  return (await decoder)(bytes);
}
