// Colormaps: 0..1 → RGB bytes, as 256-entry lookup tables.

export type ColormapName = 'jet' | 'turbo' | 'viridis' | 'inferno';
export const COLORMAPS: ColormapName[] = ['jet', 'turbo', 'viridis', 'inferno'];
type Rgb01 = [number, number, number];

const clamp01 = (v: number) => Math.min(Math.max(v, 0), 1);

/** The classic piecewise-linear JET: dark blue → cyan → yellow → dark red. */
function jet(x: number): Rgb01 {
  const ch = (c: number) => clamp01(1.5 - Math.abs(4 * x - c));
  return [ch(3), ch(2), ch(1)];
}

const poly = (c: number[], x: number) => c.reduceRight((acc, k) => acc * x + k, 0);

/** Turbo, Google's polynomial approximation (Mikhailov 2019). */
function turbo(x: number): Rgb01 {
  return [
    poly([0.13572138, 4.6153926, -42.66032258, 132.13108234, -152.94239396, 59.28637943], x),
    poly([0.09140261, 2.19418839, 4.84296658, -14.18503333, 4.27729857, 2.82956604], x),
    poly([0.1066733, 12.64194608, -60.58204836, 110.36276771, -89.90310912, 27.34824973], x),
  ].map(clamp01) as Rgb01;
}

/** Viridis and inferno, polynomial fits of matplotlib's maps (Matt Zucker, CC0). */
function viridis(x: number): Rgb01 {
  return [
    poly([0.2777273272234177, 0.1050930431085774, -0.3308618287255563, -4.634230498983486, 6.228269936347081, 4.776384997670288, -5.435455855934631], x),
    poly([0.005407344544966578, 1.404613529898575, 0.214847559468213, -5.799100973351585, 14.17993336680509, -13.74514537774601, 4.645852612178535], x),
    poly([0.3340998053353061, 1.384590162594685, 0.09509516302823659, -19.33244095627987, 56.69055260068105, -65.35303263337234, 26.3124352495832], x),
  ].map(clamp01) as Rgb01;
}

function inferno(x: number): Rgb01 {
  return [
    poly([0.0002189403691192265, 0.1065134194856116, 11.60249308247187, -41.70399613139459, 77.162935699427, -71.31942824499214, 25.13112622477341], x),
    poly([0.001651004631001012, 0.5639564367884091, -3.972853965665698, 17.43639888205313, -33.40235894210092, 32.62606426397723, -12.24266895238567], x),
    poly([-0.01948089843709184, 3.932712388889277, -15.9423941062914, 44.35414519872813, -81.80730925738993, 73.20951985803202, -23.07032500287172], x),
  ].map(clamp01) as Rgb01;
}

const FUNCTIONS: Record<ColormapName, (x: number) => Rgb01> = { jet, turbo, viridis, inferno };
const cache = new Map<ColormapName, Uint8ClampedArray>();

/** 256-entry lookup table, RGB triplets. */
export function colormapTable(name: ColormapName = 'jet'): Uint8ClampedArray {
  let table = cache.get(name);
  if (!table) {
    table = new Uint8ClampedArray(256 * 3);
    for (let i = 0; i < 256; i++) table.set(FUNCTIONS[name](i / 255).map((v) => Math.round(v * 255)), i * 3);
    cache.set(name, table);
  }
  return table;
}
