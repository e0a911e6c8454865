// Pieces of the detail view: a map as heatmap and overlay, every cheap method side by side, and
// the original at a chosen zoom.
import { useEffect, useRef } from 'react';
import { setView } from '../state/actions/view';
import { blendLevels, colourLevels, enlargeSmall, heatmapLayer, overlayLayers, renderOverlay } from '../render/overlay';
import { rawMapOf, type ViewSettings } from '../results/view';
import { METHODS, methodLabel, type MethodId } from '../methods/registry';
import type { RgbaImage } from '../image/rgba';
import type { SampleResult } from '../engine/types';
import type { MapScale } from '../render/normalize';
import { paint } from './imageCache';
import { useGeometry } from './useGeometry';

let paints = 0;

export function MapPanes({ image, result, map, view, scale, title, testId }: { image: RgbaImage; result: SampleResult; map?: Float32Array; view: ViewSettings; scale?: MapScale; title: string; testId: string }) {
  const geometry = useGeometry();
  const heat = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if ('error' in result || !map) return;
    const layers = overlayLayers(image, map, result.gridWidth, result.gridHeight, view, scale, geometry);
    if (heat.current) {
      // the heatmap at the image's size: drawn over the image (the default), the overlay's own heat layer
      const big = view.drawAt === 'model' && geometry ? enlargeSmall(image) : undefined;
      paint(heat.current, big ? heatmapLayer(map, result.gridWidth, result.gridHeight, big.width, big.height, view, scale, geometry) : colourLevels(layers.levels, view.colormap));
    }
    if (overlay.current) {
      paint(overlay.current, blendLevels(layers.base, layers.levels, view.colormap, view.alpha)); // renderOverlay's pixels
      overlay.current.dataset.painted = String(++paints); // for tests and bench: this overlay is drawn
    }
  }, [image, result, map, view, scale, geometry]);
  if (!map) return <p className="hint">{title}: no map yet.</p>;
  return (
    <>
      <figure data-testid={`${testId}-heatmap`}><canvas ref={heat} /><figcaption>{title}: heatmap</figcaption></figure>
      <figure data-testid={`${testId}-overlay`}><canvas ref={overlay} /><figcaption>{title}: overlay (alpha {view.alpha})</figcaption></figure>
    </>
  );
}

function MethodThumb({ method, image, result, view, scale }: { method: MethodId; image: RgbaImage; result: SampleResult; view: ViewSettings; scale?: MapScale }) {
  const geometry = useGeometry();
  const canvas = useRef<HTMLCanvasElement>(null);
  const map = 'error' in result ? undefined : rawMapOf(result, { method, pooling: view.pooling });
  useEffect(() => {
    // the data-set-wide scale belongs to the gallery's method; each small map is scaled on its own
    if (canvas.current && map && !('error' in result)) paint(canvas.current, renderOverlay(image, map, result.gridWidth, result.gridHeight, view, method === view.method ? scale : undefined, geometry));
  }, [image, result, map, view, scale, geometry, method]);
  const m = METHODS.find((x) => x.id === method)!;
  const current = method === view.method;
  return (
    <figure>
      <button data-testid="detail-method" data-method={method} aria-pressed={current} onClick={() => setView({ method })} title={current ? 'The gallery shows this method' : 'Show this method in the gallery'}>
        <canvas ref={canvas} />
      </button>
      <figcaption>{methodLabel(m)}</figcaption>
    </figure>
  );
}

/** Every method the run computed, side by side for this image; a click makes one the gallery's. */
export function MethodMultiples({ image, result, view, scale }: { image: RgbaImage; result: SampleResult; view: ViewSettings; scale?: MapScale }) {
  return (
    <div className="multiples" data-testid="detail-methods" role="group" aria-label="Every method for this image">
      {METHODS.filter((m) => !m.onRequest).map((m) => <MethodThumb key={m.id} method={m.id} image={image} result={result} view={view} scale={scale} />)}
    </div>
  );
}

export const ZOOMS = [1, 2, 4] as const;

/** The original, enlarged for small inputs; at 2× or 4× it scrolls inside its box. */
export function Original({ image, zoom }: { image?: RgbaImage; zoom: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (image && canvas.current) paint(canvas.current, enlargeSmall(image));
  }, [image]);
  return (
    <figure>
      <div className={`zoom-box${zoom > 1 ? ' zoomed' : ''}`} data-testid="detail-original" tabIndex={zoom > 1 ? 0 : undefined} aria-label={zoom > 1 ? `Original at ${zoom}×, scrolls` : undefined}>
        <canvas ref={canvas} style={zoom > 1 ? { width: `${zoom * 100}%` } : undefined} />
      </div>
      <figcaption>Original{zoom > 1 ? ` at ${zoom}×` : ''}</figcaption>
    </figure>
  );
}
