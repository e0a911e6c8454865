// The one pixel type every layer passes around: decoded images, model-size inputs, overlays.
export interface RgbaImage {
  width: number;
  height: number;
  /** RGBA, 8 bits per channel, row-major. */
  data: Uint8ClampedArray | Uint8Array;
}
