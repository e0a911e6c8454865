import { memo, useEffect, useRef, useState } from 'react';
import { useStore } from '../state/store';
import { renderOverlay } from '../render/overlay';
import { paint, sampleImage } from './imageCache';
import type { GalleryItem } from './useVerdicts';

/** One gallery tile; paints only once it scrolls into view, and repaints on view changes. */
export const Tile = memo(function Tile({ item }: { item: GalleryItem }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [visible, setVisible] = useState(false);
  const view = useStore((s) => s.view);
  const result = useStore((s) => s.results[item.sample.id]);
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const io = new IntersectionObserver(([e]) => setVisible(e.isIntersecting), { rootMargin: '200px' });
    io.observe(el);
    return () => io.disconnect();
  }, []);
  useEffect(() => {
    if (!visible || !result || 'error' in result) return;
    let live = true;
    sampleImage(item.sample).then((image) => {
      if (!live || !canvas.current) return;
      paint(canvas.current, renderOverlay(image, result.maps[view.pooling], result.gridWidth, result.gridHeight, view));
      canvas.current.dataset.painted = `${view.alpha}|${view.pooling}|${view.normalization}`;
    });
    return () => {
      live = false;
    };
  }, [visible, result, view, item.sample]);
  const { prediction, sample } = item;
  const conf = prediction.confidence;
  return (
    <button className={`tile ${prediction.verdict}`} data-testid="gallery-tile" data-verdict={prediction.verdict} data-file={sample.path} onClick={() => useStore.setState({ selected: sample.id })} title={sample.path}>
      <canvas ref={canvas} width={1} height={1} />
      <span className="caption">
        <span className="truth">{sample.label ?? '—'}</span>
        <span className="pred">→ {prediction.predicted} {conf <= 1 && conf >= 0 ? `${(conf * 100).toFixed(0)}%` : ''}</span>
      </span>
    </button>
  );
});
