// An overlay's per-pixel loops in WebAssembly SIMD (overlay.wat): a gallery tile's blend ~7× and
// its heatmap's colormap indices ~3× faster than in JavaScript, which were most of a slider's or
// a menu's repaint at 10,000 doodles. The same values as the JavaScript (render/overlay.ts), which
// stays for where the module cannot load (no SIMD); tests/unit/render.test.ts checks both.
import { OVERLAY_WASM } from './overlayWasm.bytes';

interface OverlayExports {
  memory: WebAssembly.Memory;
  colour(levels: number, colours: number, dst: number, n: number): void;
  mix(src: number, dst: number, bytes: number, a: number): void;
  levels(rows: number, width: number, gridH: number, sy: number, yFrom: number, yTo: number, out: number): void;
}

/** Pixels a blend call works on: the module's memory holds one chunk of each buffer (~290 kB), whatever the image's size. */
const CHUNK = 32768;
const COLOURS = 0;
const LEVELS = COLOURS + 1024;
const SRC = LEVELS + CHUNK;
const DST = SRC + CHUNK * 4;
/** The map's rows interpolated across (f64), and the indices of the output rows a levels call writes (one byte over). */
const ROWS = DST + CHUNK * 4 + 1024;
const ROWS_BYTES = 262144;
const OUT = ROWS + ROWS_BYTES;
const OUT_BYTES = 131072;

let module: OverlayExports | null | undefined;

/** The module, compiled once per thread (synchronously: it is well under the 4 kB a page's thread may compile so); null without SIMD. */
function wasm(): OverlayExports | null {
  if (module !== undefined) return module;
  module = null;
  try {
    const bytes = Uint8Array.from(atob(OVERLAY_WASM), (c) => c.charCodeAt(0));
    if (typeof WebAssembly === 'object' && WebAssembly.validate(bytes)) {
      module = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as OverlayExports;
    }
  } catch {
    module = null; // a page whose policy forbids WebAssembly: the JavaScript table
  }
  return module;
}

/** Whether the SIMD loops are in use here (tests compare them with the JavaScript). */
export const hasOverlayWasm = (): boolean => wasm() !== null;

/** For tests: the JavaScript alone, as where WebAssembly SIMD is missing. */
export function useOverlayWasm(on: boolean): void {
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

/**
 * The colormap indices of a width × height heatmap into `out`, from the map's rows interpolated
 * across (`rows`: gridH × width, rowsAcross() in common/grid.ts) and mixed down as upsampleRows()
 * does. False where the module is not available or the rows do not fit its memory (a grid of
 * 7 rows up to ~4,600 pixels wide): the caller works them out in JavaScript. Every value in `rows` finite.
 */
export function wasmLevels(rows: Float64Array, width: number, height: number, gridH: number, out: Uint8Array): boolean {
  const m = wasm();
  const stride = width + 1;
  if (!m || gridH * stride * 8 > ROWS_BYTES || width + 1 > OUT_BYTES) return false;
  const doubles = new Float64Array(m.memory.buffer, ROWS, ROWS_BYTES / 8);
  for (let gy = 0; gy < gridH; gy++) doubles.set(rows.subarray(gy * width, (gy + 1) * width), gy * stride);
  const mem = new Uint8Array(m.memory.buffer);
  const rowsPerCall = Math.floor((OUT_BYTES - 1) / width);
  for (let from = 0; from < height; from += rowsPerCall) {
    const to = Math.min(height, from + rowsPerCall);
    m.levels(ROWS, width, gridH, gridH / height, from, to, OUT);
    out.set(mem.subarray(OUT, OUT + (to - from) * width), from * width);
  }
  return true;
}
