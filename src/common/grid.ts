// Maps on a model layer's grid (height × width cells): resampling, shared by the renderer, the
// faithfulness scores and the layer fusion.

/** Bilinear upsampling of a small grid to width × height (half-pixel centres). */
export function upsample(map: Float32Array, gridW: number, gridH: number, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  const sx = gridW / width, sy = gridH / height;
  // Separable: each grid row is interpolated across once, then every output row mixes two of
  // those (the same arithmetic as per pixel, in doubles, so the same values; 3× faster).
  const rows = new Float64Array(gridH * width);
  for (let x = 0; x < width; x++) {
    const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), gridW - 1);
    const x0 = Math.floor(fx), x1 = Math.min(x0 + 1, gridW - 1), dx = fx - x0;
    for (let gy = 0; gy < gridH; gy++) rows[gy * width + x] = map[gy * gridW + x0] * (1 - dx) + map[gy * gridW + x1] * dx;
  }
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), gridH - 1);
    const y0 = Math.floor(fy), y1 = Math.min(y0 + 1, gridH - 1), dy = fy - y0;
    const top = y0 * width, bottom = y1 * width, o = y * width;
    for (let x = 0; x < width; x++) out[o + x] = rows[top + x] * (1 - dy) + rows[bottom + x] * dy;
  }
  return out;
}
