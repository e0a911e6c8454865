// Maps on a model layer's grid (height × width cells): resampling, shared by the renderer, the
// faithfulness scores and the layer fusion.

/** Bilinear upsampling of a small grid to width × height (half-pixel centres). */
export function upsample(map: Float32Array, gridW: number, gridH: number, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  upsampleRows(map, gridW, gridH, width, height, (o, rows, top, bottom, dy) => {
    for (let x = 0; x < width; x++) out[o + x] = rows[top + x] * (1 - dy) + rows[bottom + x] * dy;
  });
  return out;
}

/**
 * upsample()'s two steps, the second left to `row`: each grid row is interpolated across once,
 * then every output row (starting at `o` = y·width) mixes two of those, rows[top + x]·(1 − dy) +
 * rows[bottom + x]·dy (the same arithmetic as per pixel, in doubles, so the same values; 3× faster).
 * A caller may write something else than the value at each pixel (overlay.ts: a colormap index).
 */
export function upsampleRows(map: Float32Array, gridW: number, gridH: number, width: number, height: number, row: (o: number, rows: Float64Array, top: number, bottom: number, dy: number) => void): void {
  const sy = gridH / height;
  const rows = rowsAcross(map, gridW, gridH, width);
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), gridH - 1);
    const y0 = Math.floor(fy), y1 = Math.min(y0 + 1, gridH - 1), dy = fy - y0;
    row(y * width, rows, y0 * width, y1 * width, dy);
  }
}

/** upsampleRows()'s first step: each of the grid's rows interpolated across to `width` values (gridH × width, in doubles). */
export function rowsAcross(map: Float32Array, gridW: number, gridH: number, width: number): Float64Array {
  const sx = gridW / width;
  const rows = new Float64Array(gridH * width);
  for (let x = 0; x < width; x++) {
    const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), gridW - 1);
    const x0 = Math.floor(fx), x1 = Math.min(x0 + 1, gridW - 1), dx = fx - x0;
    for (let gy = 0; gy < gridH; gy++) rows[gy * width + x] = map[gy * gridW + x0] * (1 - dx) + map[gy * gridW + x1] * dx;
  }
  return rows;
}
