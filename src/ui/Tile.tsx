import { memo, useEffect, useRef, useState } from 'react';
import { useStore } from '../state/store';
import { isCurrent } from '../state/selectors';
import { selectSample } from '../state/actions/view';
import { tileVisible } from '../state/visibleTiles';
import { rawMapOf } from '../results/view';
import { renderOverlay, enlargeSmall } from '../render/overlay';
import { paint, sampleImage } from './imageCache';
import { useGeometry } from './useGeometry';
import { useMapScale } from './useMapScale';
import type { GalleryItem } from './useGalleryItems';

/**
 * One gallery tile; paints only once it scrolls into view, and repaints on view changes. Its
 * props are the stable sample and plain values, so a new batch of results re-renders only the
 * tiles it adds, not the thousands already there.
 */
export const Tile = memo(function Tile({ sample, verdict, predicted, confidence }: { sample: GalleryItem['sample']; verdict: string; predicted: string; confidence?: number }) {
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
  useEffect(() => {
    if (!visible || !result || 'error' in result) return;
    let live = true;
    sampleImage(sample).then((image) => {
      if (!live || !canvas.current) return;
      paint(canvas.current, map ? renderOverlay(image, map, result.gridWidth, result.gridHeight, view, scale, geometry) : enlargeSmall(image));
      canvas.current.dataset.painted = JSON.stringify([view, !!map, scale ?? null]);
    });
    return () => {
      live = false;
    };
  }, [visible, result, view, sample, map, scale, geometry]);
  return (
    <button className={`tile ${verdict}`} data-testid="gallery-tile" data-verdict={verdict} data-file={sample.path} onClick={() => selectSample(sample.id)} title={sample.path}>
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
