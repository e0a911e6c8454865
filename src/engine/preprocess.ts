// Turns decoded RGBA pixels into the model's input values (pure, no TF.js).

export interface RgbaImage {
  width: number;
  height: number;
  /** RGBA, 8 bits per channel, row-major. */
  data: Uint8ClampedArray | Uint8Array;
}

export type InputScaling = '0..1' | '-1..1' | '0..255';
export const INPUT_SCALINGS: InputScaling[] = ['0..1', '-1..1', '0..255'];

export interface ModelInputSpec {
  width: number;
  height: number;
  channels: 1 | 3;
  scaling: InputScaling;
}

/**
 * Bilinear resize with half-pixel centres (what tf.image.resizeBilinear does with
 * halfPixelCenters), returning RGB floats in 0..255.
 */
export function resizeRgb(image: RgbaImage, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height * 3);
  const sx = image.width / width;
  const sy = image.height / height;
  const { data } = image;
  for (let y = 0; y < height; y++) {
    const fy = Math.max(0, (y + 0.5) * sy - 0.5);
    const y0 = Math.min(Math.floor(fy), image.height - 1);
    const y1 = Math.min(y0 + 1, image.height - 1);
    const dy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.max(0, (x + 0.5) * sx - 0.5);
      const x0 = Math.min(Math.floor(fx), image.width - 1);
      const x1 = Math.min(x0 + 1, image.width - 1);
      const dx = fx - x0;
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        const a = data[(y0 * image.width + x0) * 4 + c];
        const b = data[(y0 * image.width + x1) * 4 + c];
        const d = data[(y1 * image.width + x0) * 4 + c];
        const e = data[(y1 * image.width + x1) * 4 + c];
        out[o + c] = (a * (1 - dx) + b * dx) * (1 - dy) + (d * (1 - dx) + e * dx) * dy;
      }
    }
  }
  return out;
}

function scale(v01: number, scaling: InputScaling): number {
  switch (scaling) {
    case '0..1': return v01;
    case '-1..1': return v01 * 2 - 1;
    case '0..255': return v01 * 255;
  }
}

/** Model input for one image, H×W×C channels-last. Grayscale = 0.299R + 0.587G + 0.114B. */
export function toModelInput(image: RgbaImage, spec: ModelInputSpec): Float32Array {
  const rgb = resizeRgb(image, spec.width, spec.height);
  const cells = spec.width * spec.height;
  const out = new Float32Array(cells * spec.channels);
  for (let i = 0; i < cells; i++) {
    const r = rgb[i * 3] / 255, g = rgb[i * 3 + 1] / 255, b = rgb[i * 3 + 2] / 255;
    if (spec.channels === 1) {
      out[i] = scale(0.299 * r + 0.587 * g + 0.114 * b, spec.scaling);
    } else {
      out[i * 3] = scale(r, spec.scaling);
      out[i * 3 + 1] = scale(g, spec.scaling);
      out[i * 3 + 2] = scale(b, spec.scaling);
    }
  }
  return out;
}
