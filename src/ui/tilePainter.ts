// Paints the gallery tiles near the screen, outside React: a slider moves, and the visible
// tiles are repainted in one pass (an alpha or colormap change is one blend per tile: each tile
// keeps its image and its heatmap's colormap indices), with no component re-rendered.
import { useStore, type AppState } from '../state/store';
import { inputGeometry } from '../state/selectors';
import { rawMapOf } from '../results/view';
import { blendLevelsInto, enlargeSmall, heatmapLevels, overlayLayers, type HeatLevels } from '../render/overlay';
import type { ColormapName } from '../render/colormap';
import type { RgbaImage } from '../image/rgba';
import type { Sample } from '../sources/datasets/dataset';
import { tileImage, tileSide, tilesAreWide } from './imageCache';
import { scaleOf } from '../state/selectors';
import { tileVisible } from '../state/visibleTiles';
import { coalesced } from '../common/coalesce';
import { decodeAhead } from './thumbnailsAhead';

interface PaintedTile {
  sample: Sample;
  canvas: HTMLCanvasElement;
  /** Where the stamp of the view shown goes (the tile's button). */
  stampOn: HTMLElement;
  /** The image as drawn, kept while what it depends on stays. */
  base?: { key: unknown[]; image: RgbaImage };
  /** The heatmap's colormap indices at the image's size (none without a map), kept likewise: any colormap and alpha is a blend of these and the image. */
  levels?: { key: unknown[]; levels?: HeatLevels };
}

const onScreen = new Map<string, PaintedTile>();

const same = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Paints one tile with the state as it is now; the layers are rebuilt only when more than alpha and the colormap changed. */
export async function paintTile(tile: PaintedTile, s: AppState = useStore.getState()): Promise<void> {
  const result = s.results[tile.sample.id];
  if (!result || 'error' in result) return;
  const { alpha, colormap, ...look } = s.view;
  const map = rawMapOf(result, s.view, s.scoreCam[tile.sample.id]);
  const scale = scaleOf(s);
  const geometry = inputGeometry(s.model, s.preprocess);
  const where = [look.drawAt, geometry?.width, geometry?.height, geometry?.resizeMode, tileSide()];
  const levelsKey = [result, map, look.normalization, look.percentile, scale?.lo, scale?.hi, ...where];
  if (!tile.base || !same(tile.base.key, where) || !tile.levels || !same(tile.levels.key, levelsKey)) {
    if (map && tile.base && same(tile.base.key, where) && !(look.drawAt === 'model' && geometry)) {
      // only the heatmap changed (normalisation, method): the drawn image stays
      tile.levels = { key: levelsKey, levels: heatmapLevels(map, result.gridWidth, result.gridHeight, tile.base.image.width, tile.base.image.height, look, scale, geometry) };
    } else {
      const image = await tileImage(tile.sample);
      if (onScreen.get(tile.sample.id) !== tile) return; // scrolled away meanwhile
      if (!map) {
        tile.base = { key: where, image: enlargeSmall(image) };
        tile.levels = { key: levelsKey };
      } else {
        const layers = overlayLayers(image, map, result.gridWidth, result.gridHeight, look, scale, geometry);
        tile.base = { key: where, image: layers.base };
        tile.levels = { key: levelsKey, levels: layers.levels };
      }
    }
  }
  put(tile, tile.base.image, tile.levels.levels, colormap, alpha);
  // a stamp of the view these pixels show, for tests and benchmarks to see a change reach the screen
  const stamp = JSON.stringify([s.view, !!map, scale ?? null]);
  tile.canvas.dataset.painted = stamp;
  tile.stampOn.dataset.painted = stamp;
}

/**
 * Each canvas's context and pixel buffer, kept with the canvas: the gallery reuses a tile's canvas
 * for the images scrolled to it, so a scroll allocates no new buffer (a screen of photo tiles was
 * ~2.5 MB of garbage) and asks for no context again (together ~3.5 ms of a scroll's page thread).
 */
const surfaces = new WeakMap<HTMLCanvasElement, { ctx: CanvasRenderingContext2D; pixels: ImageData }>();

/** Blends the layers into the canvas's own pixel buffer and puts it on the canvas. */
function put(tile: PaintedTile, base: RgbaImage, levels: HeatLevels | undefined, colormap: ColormapName, alpha: number) {
  const { width, height } = base;
  const { canvas } = tile;
  let surface = surfaces.get(canvas);
  if (surface?.pixels.width !== width || surface.pixels.height !== height) {
    const ctx = surface?.ctx ?? canvas.getContext('2d');
    if (!ctx) return;
    surfaces.set(canvas, (surface = { ctx, pixels: new ImageData(width, height) }));
  }
  const { pixels, ctx } = surface;
  if (levels) blendLevelsInto(pixels.data, base, levels, colormap, alpha);
  else pixels.data.set(base.data);
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  ctx.putImageData(pixels, 0, 0);
  canvas.style.visibility = '';
}

/**
 * The layers of tiles that left the page, so a tile coming back (a filter cleared, a scroll back)
 * is one blend, not a decode and a heatmap. Bounded: ~60–140 kB each (the image as drawn, and its colormap indices, a quarter of that).
 */
const LAYERS_KEPT = 120;
// by the sample itself, not its id: another data set's image of the same name is another image
const kept = new Map<Sample, Pick<PaintedTile, 'base' | 'levels'>>();

/** The sample each canvas shows or is about to (another data set's image of the same name is another sample). */
const shows = new WeakMap<HTMLCanvasElement, Sample>();

/** Tiles in the page, by their canvas: painted while near the screen (`onScreen`), else only bound. */
const bound = new Map<HTMLCanvasElement, { sample: Sample; stampOn: HTMLElement }>();
let observer: IntersectionObserver | undefined;
/** A screen ahead each way, so a scroll finds its tiles painted. */
const AHEAD = '100% 0px';

const inWindow = (r: DOMRectReadOnly) => r.bottom > 0 && r.top < innerHeight;

/**
 * Canvases in the window, as an IntersectionObserver last said (a frame late at most after a
 * scroll): a view change paints these first without asking each tile's place, which forced a
 * layout in the middle of the slider's task (~2–4 ms of an alpha change at 10,000 doodles).
 */
const inView = new Set<HTMLCanvasElement>();
let viewObserver: IntersectionObserver | undefined;
const seen = (canvas: HTMLCanvasElement, isIn: boolean) => (isIn ? inView.add(canvas) : inView.delete(canvas));

/** A tile came near the screen or left it; one in the window is painted now, one ahead of it after the next frame. */
function near(canvas: HTMLCanvasElement, isNear: boolean, rect: DOMRectReadOnly) {
  const b = bound.get(canvas);
  if (!b) return;
  seen(canvas, isNear && inWindow(rect));
  tileVisible(b.sample.id, isNear);
  if (isNear && onScreen.get(b.sample.id)?.canvas !== canvas) showTile(b.sample, canvas, b.stampOn, inWindow(rect));
  else if (!isNear && onScreen.get(b.sample.id)?.canvas === canvas) hideTile(b.sample.id);
}

/**
 * Tiles just put in the page (or given another image: the gallery reuses a tile's elements when
 * a filter or sort changes, rather than building new ones) are looked at in one pass before the
 * next frame: those near the screen are painted at once, without waiting a frame for the
 * IntersectionObserver's first word, which then keeps them up to date as the page scrolls.
 */
let fresh: HTMLCanvasElement[] = [];
function lookAtFresh() {
  const screen = innerHeight;
  const list = fresh;
  fresh = [];
  const rects = list.map((c) => (bound.has(c) ? c.getBoundingClientRect() : undefined)); // one layout for all
  list.forEach((c, i) => {
    const r = rects[i];
    if (r) near(c, r.bottom > -screen && r.top < 2 * screen, r);
  });
}

/**
 * A tile's canvas now shows `sample` (a first image, or another one after a filter): paint it if
 * it is near the screen. Returns the undo, for the tile's effect cleanup.
 */
export function bindTile(sample: Sample, canvas: HTMLCanvasElement, stampOn: HTMLElement): () => void {
  observer ??= new IntersectionObserver((entries) => entries.forEach((e) => near(e.target as HTMLCanvasElement, e.isIntersecting, e.boundingClientRect)), { rootMargin: AHEAD });
  viewObserver ??= new IntersectionObserver((entries) => entries.forEach((e) => bound.has(e.target as HTMLCanvasElement) && seen(e.target as HTMLCanvasElement, e.isIntersecting)));
  if (shows.get(canvas) !== sample) {
    // the pixels are another image's until painted: hide them, and their stamp
    canvas.style.visibility = 'hidden';
    delete canvas.dataset.painted;
    delete stampOn.dataset.painted;
    shows.set(canvas, sample);
  }
  bound.set(canvas, { sample, stampOn });
  observer.observe(canvas);
  viewObserver.observe(canvas);
  if (fresh.push(canvas) === 1) queueMicrotask(lookAtFresh);
  return () => {
    observer?.unobserve(canvas);
    viewObserver?.unobserve(canvas);
    inView.delete(canvas);
    if (onScreen.get(sample.id)?.canvas === canvas) hideTile(sample.id);
    tileVisible(sample.id, false);
    bound.delete(canvas);
  };
}

/** Paint this tile (now, or after the next frame) and keep it painted while it stays near the screen. */
function showTile(sample: Sample, canvas: HTMLCanvasElement, stampOn: HTMLElement, now: boolean) {
  const layers = kept.get(sample);
  kept.delete(sample);
  const tile: PaintedTile = { sample, canvas, stampOn, ...layers };
  onScreen.set(sample.id, tile);
  if (now) void paintTile(tile);
  else paintLater(tile);
}

function hideTile(id: string) {
  const tile = onScreen.get(id);
  if (tile?.base) {
    kept.set(tile.sample, { base: tile.base, levels: tile.levels });
    if (kept.size > LAYERS_KEPT) kept.delete(kept.keys().next().value as Sample);
  }
  onScreen.delete(id);
}

/**
 * Tiles painted per task after the first frame. 12 a task spread a screen over many frames, each
 * committing its few changed canvases (here each such frame costs ~2.5 ms whatever it commits);
 * with 48, 10,000 doodles' next screen is mostly ready when it is scrolled to: scroll p50/p95
 * 31–36/87–100 → 8–9/41 ms in bench:app, other latencies as before.
 */
const CHUNK = 48;
const later = new Set<PaintedTile>();
/**
 * Tiles just outside the window (painted ahead of a scroll) wait until after the next frame and
 * are painted a few per task, so they never delay what the user sees.
 */
function paintLater(tile: PaintedTile) {
  if (later.size === 0) requestAnimationFrame(() => setTimeout(paintSome));
  later.add(tile);
  // its image decodes meanwhile (a photo's decode runs off the main thread), so its turn is one blend
  if (!tile.base) void tileImage(tile.sample);
}
function paintSome() {
  const s = useStore.getState();
  // those a scroll has brought into the window meanwhile first, all of them; then a few more
  const waiting = [...later].filter((t) => onScreen.get(t.sample.id) === t);
  const first = waiting.filter((t) => inView.has(t.canvas));
  const rest = waiting.filter((t) => !first.includes(t));
  later.clear();
  for (const t of [...first, ...rest.slice(0, CHUNK)]) void paintTile(t, s);
  for (const t of rest.slice(CHUNK)) later.add(t);
  if (later.size) setTimeout(paintSome);
}

/** The view changed: the tiles in the window are repainted before the next frame, the rest after it. */
const repaintOnScreen = coalesced(queueMicrotask, () => {
  const s = useStore.getState();
  for (const tile of onScreen.values()) if (inView.has(tile.canvas)) void paintTile(tile, s); else paintLater(tile);
});

/** The tiles are now `cssPixels` wide: where their images change size, the tiles near the screen are drawn again. */
export function tilesResized(cssPixels: number) {
  if (tilesAreWide(cssPixels)) {
    repaintOnScreen();
    decodeAhead();
  }
}

// What changes pixels without changing results: view settings, Score-CAM maps, preprocessing
// (the geometry), and, for one scale across the data set, new results.
useStore.subscribe((s, prev) => {
  if (s.view !== prev.view || s.scoreCam !== prev.scoreCam || s.preprocess !== prev.preprocess || (s.view.scope === 'dataset' && s.resultsVersion !== prev.resultsVersion)) repaintOnScreen();
});
