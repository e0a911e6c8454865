// JPEG decoded without the browser's decoder — Node (the command line, tests), or a browser with
// neither ImageDecoder nor createImageBitmap: @jsquash/jpeg, Squoosh's WebAssembly build of
// mozjpeg's decoder (libjpeg-turbo's, as browsers and Pillow use). A 320×240 photo in ~1.6 ms in
// Node here, against ~11 ms for jpeg-js (pure JS), which was a third of the command line's CPU
// on photos; its pixels within 4 levels of jpeg-js's (mean 0.5). Like jpeg-js it ignores the
// file's orientation tag. Loaded on first use (a chunk of its own in the browser).
import type { RgbaImage } from './rgba';
import wasmUrl from '@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm?url';

type Decode = (bytes: Uint8Array) => RgbaImage;
let decoder: Promise<Decode> | undefined;

/** Node: the .wasm compiled from the package's file (the emscripten loader would fetch() a file: URL, which Node cannot). */
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
  // the emscripten module called directly (not through jsquash's decode(), which awaits first): its
  // decode is synchronous, so libjpeg's complaint is read right after it, whatever else decodes meanwhile
  const [{ default: factory }, { initEmscriptenModule }] = await Promise.all([import('@jsquash/jpeg/codec/dec/mozjpeg_dec.js'), import('@jsquash/jpeg/utils.js')]);
  // libjpeg's warnings and errors go to stderr: the last one says why a file failed
  let complaint = '';
  const options = { print: () => undefined, printErr: (line: string) => (complaint = line), locateFile: () => wasmUrl }; // the built file's URL, not the package's
  // Node: the module compiled here is instantiated as it is; a browser fetches it from locateFile
  const module = await initEmscriptenModule(factory, await nodeModule(), options);
  return (bytes) => {
    complaint = '';
    let image: ImageData | null = null;
    try {
      image = module.decode(bytes, false); // false: the orientation tag is ignored, as jpeg-js did
    } catch {
      // a C++ exception from libjpeg's error handler: the complaint says what
    }
    if (!image) throw new Error(complaint || 'not a valid JPEG file');
    return { width: image.width, height: image.height, data: image.data };
  };
}

/** Decodes a JPEG file to RGBA (the WebAssembly decoder, loaded once per thread; a failed load is tried again next time). */
export async function decodeJpegWasm(bytes: Uint8Array): Promise<RgbaImage> {
  decoder ??= load().catch((e) => {
    decoder = undefined;
    throw e;
  });
  return (await decoder)(bytes);
}
