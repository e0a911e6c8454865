import { memo, useEffect, useRef, useState } from 'react';
import { useStore } from '../state/store';
import { isCurrent } from '../state/selectors';
import { selectSample } from '../state/actions/view';
import { tileVisible } from '../state/visibleTiles';
import { rawMapOf } from '../results/view';
import { blend, enlargeSmall, overlayLayers } from '../render/overlay';
import type { RgbaImage } from '../image/rgba';
import { paint, tileImage } from './imageCache';
import { useGeometry } from './useGeometry';
import { useMapScale } from './useMapScale';
import type { GalleryItem } from './useGalleryItems';

/**
 * One gallery tile; paints only once it scrolls into view, and repaints on view changes. Its
 * props are the stable sample and plain values, so a new batch of results re-renders only the
 * tiles it adds, not the thousands already there.
 */
export const Tile = memo(function Tile({ index, sample, verdict, predicted, confidence }: { index: number; sample: GalleryItem['sample']; verdict: string; predicted: string; confidence?: number }) {
  const button = useRef<HTMLButtonElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [visible, setVisible] = useState(false);
  const view = useStore((s) => s.view);
  const result = useStore((s) => s.results[sample.id]);
  const scoreMap = useStore((s) => s.scoreCam[sample.id]);
  const runStatus = useStore((s) => s.run.status);
  const stale = useStore((s) => !isCurrent(s, sample.id));
  const scale = useMapScale();
  const geometry = useGeometry();
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const io = new IntersectionObserver(([e]) => {
      setVisible(e.isIntersecting);
      tileVisible(sample.id, e.isIntersecting);
    }, { rootMargin: '200px' });
    io.observe(el);
    return () => {
      io.disconnect();
      tileVisible(sample.id, false);
    };
  }, [sample.id]);
  const map = result && !('error' in result) ? rawMapOf(result, view, scoreMap) : undefined;
  // the image and heatmap layers, kept while only alpha moves: then a repaint is one blend
  const layers = useRef<{ key: unknown[]; base: RgbaImage; heat?: RgbaImage }>(undefined);
  useEffect(() => {
    if (!visible || !result || 'error' in result) return;
    let live = true;
    const { alpha, ...look } = view;
    const key = [result, map, look.normalization, look.percentile, look.colormap, look.drawAt, scale, geometry];
    const show = (l: { base: RgbaImage; heat?: RgbaImage }) => {
      if (!canvas.current) return;
      paint(canvas.current, l.heat ? blend(l.base, l.heat, alpha) : l.base);
      // a stamp of the view these pixels show, for tests and benchmarks to see a change reach the screen
      const stamp = JSON.stringify([view, !!map, scale ?? null]);
      canvas.current.dataset.painted = stamp;
      if (button.current) button.current.dataset.painted = stamp;
    };
    const kept = layers.current;
    if (kept && kept.key.length === key.length && kept.key.every((k, i) => k === key[i])) {
      show(kept);
      return;
    }
    tileImage(sample).then((image) => {
      if (!live) return;
      layers.current = { key, ...(map ? overlayLayers(image, map, result.gridWidth, result.gridHeight, look, scale, geometry) : { base: enlargeSmall(image) }) };
      show(layers.current);
    });
    return () => {
      live = false;
    };
  }, [visible, result, view, sample, map, scale, geometry]);
  return (
    <button ref={button} className={`tile ${verdict}`} data-testid="gallery-tile" data-tile-index={index} data-verdict={verdict} data-file={sample.path} onClick={() => selectSample(sample.id)} title={sample.path}>
      <canvas ref={canvas} width={1} height={1} />
      <span className="caption">
        <span className="truth">{sample.label ?? '—'}</span>
        <span className="pred">→ {predicted} {confidence !== undefined ? `${(confidence * 100).toFixed(0)}%` : ''}</span>
        {!map && <span className="pending">map not computed</span>}
        {stale && <span className="pending" data-testid="tile-stale">{runStatus === 'running' ? 'updating…' : 'earlier settings'}</span>}
      </span>
    </button>
  );
});
