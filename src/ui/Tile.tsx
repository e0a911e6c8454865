import { memo, useEffect, useRef, useState } from 'react';
import { useStore } from '../state/store';
import { rawMapOf } from '../state/view';
import { renderOverlay, enlargeSmall } from '../render/overlay';
import { paint, sampleImage } from './imageCache';
import { useGeometry, useMapScale } from './useMapScale';
import { tileVisible } from './visibleTiles';
import type { GalleryItem } from './useVerdicts';

/**
 * One gallery tile; paints only once it scrolls into view, and repaints on view changes. Its
 * props are the stable sample and plain values, so a new batch of results re-renders only the
 * tiles it adds, not the thousands already there.
 */
export const Tile = memo(function Tile({ sample, verdict, predicted, confidence }: { sample: GalleryItem['sample'] } & GalleryItem['prediction']) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [visible, setVisible] = useState(false);
  const view = useStore((s) => s.view);
  const result = useStore((s) => s.results[sample.id]);
  const scoreMap = useStore((s) => s.scoreCam[sample.id]);
  const run = useStore((s) => s.run);
  const stale = result?.runId !== undefined && result.runId < run.id;
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
  const conf = confidence;
  return (
    <button className={`tile ${verdict}`} data-testid="gallery-tile" data-verdict={verdict} data-file={sample.path} onClick={() => useStore.setState({ selected: sample.id })} title={sample.path}>
      <canvas ref={canvas} width={1} height={1} />
      <span className="caption">
        <span className="truth">{sample.label ?? '—'}</span>
        <span className="pred">→ {predicted} {conf <= 1 && conf >= 0 ? `${(conf * 100).toFixed(0)}%` : ''}</span>
        {!map && <span className="pending">map not computed</span>}
        {stale && <span className="pending" data-testid="tile-stale">{run.status === 'running' ? 'updating…' : 'earlier settings'}</span>}
      </span>
    </button>
  );
});
