// Colormaps: 0..1 → RGB bytes. JET is the classic piecewise-linear blue→cyan→yellow→red map.

export type ColormapName = 'jet';
export type Rgb = [number, number, number];

function jet(v: number): Rgb {
  const x = Math.min(Math.max(v, 0), 1);
  const ch = (c: number) => Math.round(255 * Math.min(Math.max(1.5 - Math.abs(4 * x - c), 0), 1));
  return [ch(3), ch(2), ch(1)];
}

const cache = new Map<ColormapName, Uint8ClampedArray>();

/** 256-entry lookup table, RGB triplets. */
export function colormapTable(name: ColormapName = 'jet'): Uint8ClampedArray {
  let table = cache.get(name);
  if (!table) {
    table = new Uint8ClampedArray(256 * 3);
    for (let i = 0; i < 256; i++) table.set(jet(i / 255), i * 3);
    cache.set(name, table);
  }
  return table;
}
