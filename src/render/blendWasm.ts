// The overlay blend's two loops in WebAssembly SIMD (blend.wat): a gallery tile's blend ~Nx faster
// than the table lookups in JavaScript, which were most of an alpha or colormap change's repaint
// at 10,000 doodles. Same pixels as the table (render/overlay.ts), which stays for where the
// module cannot load (no SIMD); tests/unit/render.test.ts checks both.
import { BLEND_WASM } from './blendWasm.bytes';

interface BlendExports {
  memory: WebAssembly.Memory;
  colour(levels: number, colours: number, dst: number, n: number): void;
  mix(src: number, dst: number, bytes: number, a: number): void;
}

/** Pixels a call works on: the module's memory holds one chunk of each buffer (~290 kB), whatever the image's size. */
const CHUNK = 32768;
const COLOURS = 0;
const LEVELS = COLOURS + 1024;
const SRC = LEVELS + CHUNK;
const DST = SRC + CHUNK * 4;

let module: BlendExports | null | undefined;

/** The module, compiled once per thread (synchronously: it is well under the 4 kB a page's thread may compile so); null without SIMD. */
function wasm(): BlendExports | null {
  if (module !== undefined) return module;
  module = null;
  try {
    const bytes = Uint8Array.from(atob(BLEND_WASM), (c) => c.charCodeAt(0));
    if (typeof WebAssembly === 'object' && WebAssembly.validate(bytes)) {
      module = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as BlendExports;
    }
  } catch {
    module = null; // a page whose policy forbids WebAssembly: the JavaScript table
  }
  return module;
}

/** Whether the SIMD blend is in use here (tests compare it with the table). */
export const hasWasmBlend = (): boolean => wasm() !== null;

/** For tests: the table alone, as where WebAssembly SIMD is missing. */
export function useWasmBlend(on: boolean): void {
  module = on ? undefined : null;
}

/**
 * dst = blend of src (RGBA words) and the heat colours `colours[levels[i]]` (or `heat`'s words as
 * they are) at `a` (alpha in 1/32768ths). False where the module is not available: the caller
 * blends with the table. Unseen pixels are the caller's to fix afterwards.
 */
export function wasmMix(dst: Uint32Array, src: Uint32Array, a: number, heat: { levels: Uint8Array; colours: Uint32Array } | { words: Uint32Array }): boolean {
  const m = wasm();
  if (!m) return false;
  const n = dst.length;
  // the memory never grows, so these views stay valid
  const mem = new Uint8Array(m.memory.buffer);
  const words = new Uint32Array(m.memory.buffer);
  if ('levels' in heat) words.set(heat.colours, COLOURS >> 2);
  for (let from = 0; from < n; from += CHUNK) {
    const count = Math.min(CHUNK, n - from);
    words.set(src.subarray(from, from + count), SRC >> 2);
    if ('levels' in heat) {
      mem.set(heat.levels.subarray(from, from + count), LEVELS);
      m.colour(LEVELS, COLOURS, DST, count);
    } else {
      words.set(heat.words.subarray(from, from + count), DST >> 2);
    }
    m.mix(SRC, DST, Math.ceil((count * 4) / 16) * 16, a);
    dst.set(words.subarray(DST >> 2, (DST >> 2) + count), from);
  }
  return true;
}
