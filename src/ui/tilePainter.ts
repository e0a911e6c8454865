// Paints the gallery tiles that are on screen, outside React: a slider moves, and the visible
// tiles are repainted in one pass (an alpha change is one blend per tile: each tile keeps its
// image and heatmap layers), with no component re-rendered.
import { useStore, type AppState } from '../state/store';
import { inputGeometry } from '../state/selectors';
import { rawMapOf } from '../results/view';
import { blendInto, enlargeSmall, heatmapLayer, overlayLayers } from '../render/overlay';
import type { RgbaImage } from '../image/rgba';
import type { Sample } from '../sources/datasets/dataset';
import { tileImage } from './imageCache';
import { scaleOf } from '../state/selectors';

interface PaintedTile {
  sample: Sample;
  canvas: HTMLCanvasElement;
  /** Where the stamp of the view shown goes (the tile's button). */
  stampOn: HTMLElement;
  /** The image as drawn, and the coloured heatmap at its size, each kept while what it depends on stays. */
  base?: { key: unknown[]; image: RgbaImage };
  heat?: { key: unknown[]; image?: RgbaImage };
  /** The pixels last put on the canvas, reused so a repaint allocates nothing. */
  pixels?: ImageData;
}

const onScreen = new Map<string, PaintedTile>();

const same = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Paints one tile with the state as it is now; the layers are rebuilt only when more than alpha changed. */
export async function paintTile(tile: PaintedTile, s: AppState = useStore.getState()): Promise<void> {
  const result = s.results[tile.sample.id];
  if (!result || 'error' in result) return;
  const { alpha, ...look } = s.view;
  const map = rawMapOf(result, s.view, s.scoreCam[tile.sample.id]);
  const scale = scaleOf(s);
  const geometry = inputGeometry(s.model, s.preprocess);
  const where = [look.drawAt, geometry?.width, geometry?.height, geometry?.resizeMode];
  const heatKey = [result, map, look.normalization, look.percentile, look.colormap, scale?.lo, scale?.hi, ...where];
  if (!tile.base || !same(tile.base.key, where) || !tile.heat || !same(tile.heat.key, heatKey)) {
    const image = await tileImage(tile.sample);
    if (onScreen.get(tile.sample.id) !== tile) return; // scrolled away meanwhile
    if (!map) {
      tile.base = { key: where, image: enlargeSmall(image) };
      tile.heat = { key: heatKey };
    } else if (tile.base && same(tile.base.key, where) && !(look.drawAt === 'model' && geometry)) {
      // only the heatmap changed (normalisation, colormap, method): the drawn image stays
      tile.heat = { key: heatKey, image: heatmapLayer(map, result.gridWidth, result.gridHeight, tile.base.image.width, tile.base.image.height, look, scale, geometry) };
    } else {
      const layers = overlayLayers(image, map, result.gridWidth, result.gridHeight, look, scale, geometry);
      tile.base = { key: where, image: layers.base };
      tile.heat = { key: heatKey, image: layers.heat };
    }
  }
  put(tile, tile.base.image, tile.heat.image, alpha);
  // a stamp of the view these pixels show, for tests and benchmarks to see a change reach the screen
  const stamp = JSON.stringify([s.view, !!map, scale ?? null]);
  tile.canvas.dataset.painted = stamp;
  tile.stampOn.dataset.painted = stamp;
}

/** Blends the layers into the tile's own pixel buffer and puts it on its canvas. */
function put(tile: PaintedTile, base: RgbaImage, heat: RgbaImage | undefined, alpha: number) {
  const { width, height } = base;
  if (tile.pixels?.width !== width || tile.pixels.height !== height) tile.pixels = new ImageData(width, height);
  if (heat) blendInto(tile.pixels.data, base, heat, alpha);
  else tile.pixels.data.set(base.data);
  const { canvas } = tile;
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  canvas.getContext('2d')?.putImageData(tile.pixels, 0, 0);
}

/**
 * The layers of tiles that left the page, so a tile coming back (a filter cleared, a scroll back)
 * is one blend, not a decode and a heatmap. Bounded: ~100–150 kB each.
 */
const LAYERS_KEPT = 240;
const kept = new Map<string, Pick<PaintedTile, 'base' | 'heat'>>();

/** A tile came on screen (or its result changed): paint it and keep it painted. */
export function showTile(sample: Sample, canvas: HTMLCanvasElement, stampOn: HTMLElement) {
  const layers = kept.get(sample.id);
  kept.delete(sample.id);
  const tile: PaintedTile = { sample, canvas, stampOn, ...layers };
  onScreen.set(sample.id, tile);
  void paintTile(tile);
}

export function hideTile(id: string) {
  const tile = onScreen.get(id);
  if (tile?.base) {
    kept.set(id, { base: tile.base, heat: tile.heat });
    if (kept.size > LAYERS_KEPT) kept.delete(kept.keys().next().value as string);
  }
  onScreen.delete(id);
}

let queued = false;
/** Tiles painted per task after the first frame: small enough that scrolling stays smooth meanwhile. */
const CHUNK = 12;
function repaintOnScreen() {
  if (queued) return;
  queued = true;
  queueMicrotask(() => {
    queued = false;
    const s = useStore.getState();
    // The tiles in the window now, before the next frame; those just outside it (painted ahead
    // of a scroll) in small tasks after that frame, so they never delay what the user sees.
    const inView = (t: PaintedTile) => {
      const r = t.canvas.getBoundingClientRect();
      return r.bottom > 0 && r.top < innerHeight;
    };
    const later: PaintedTile[] = [];
    for (const tile of onScreen.values()) if (inView(tile)) void paintTile(tile, s); else later.push(tile);
    const next = () => {
      const state = useStore.getState();
      for (const t of later.splice(0, CHUNK)) if (onScreen.get(t.sample.id) === t) void paintTile(t, state);
      if (later.length) setTimeout(next);
    };
    if (later.length) requestAnimationFrame(() => setTimeout(next));
  });
}

// What changes pixels without changing results: view settings, Score-CAM maps, preprocessing
// (the geometry), and, for one scale across the data set, new results.
useStore.subscribe((s, prev) => {
  if (s.view !== prev.view || s.scoreCam !== prev.scoreCam || s.preprocess !== prev.preprocess || (s.view.scope === 'dataset' && s.resultsVersion !== prev.resultsVersion)) repaintOnScreen();
});
