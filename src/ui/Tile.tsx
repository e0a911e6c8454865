import { memo, useLayoutEffect, useRef } from 'react';
import { useStore } from '../state/store';
import { noBetterThanRandom } from '../results/faithfulness';
import { isCurrent, methodSet } from '../state/selectors';
import { selectSample } from '../state/actions/view';
import { rawMapOf } from '../results/view';
import { bindTile } from './tilePainter';
import { giveBackCanvas, takeCanvas } from './canvasPool';
import type { GalleryItem } from './useGalleryItems';

/**
 * One gallery tile. Its pixels are painted by tilePainter.ts while it is near the screen (so a
 * slider re-renders no tile); its props are the stable sample and plain values, so a new batch of
 * results re-renders only the tiles it adds. The gallery keeps a tile's elements when a filter
 * or sort gives its place another image.
 */
export const Tile = memo(function Tile({ index, sample, verdict, predicted, confidence }: { index: number; sample: GalleryItem['sample']; verdict: string; predicted: string; confidence?: number }) {
  const button = useRef<HTMLButtonElement>(null);
  const slot = useRef<HTMLSpanElement>(null);
  // the tile's canvas, taken from those earlier tiles gave back (canvasPool.ts), for as long as the tile is in the page
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const result = useStore((s) => s.results[sample.id]);
  const hasMap = useStore((s) => !!(result && !('error' in result) && rawMapOf(result, s.view, s.scoreCam[sample.id])));
  const runStatus = useStore((s) => s.run.status);
  const stale = useStore((s) => !isCurrent(s, sample.id));
  // no better than a random map for this image: it deletes the model's evidence no faster and restores it no faster
  const unfaithful = useStore((s) => noBetterThanRandom(s.faithfulness[methodSet(s)]?.[sample.id], s.faithfulness.random?.[sample.id]));
  useLayoutEffect(() => {
    const c = takeCanvas();
    slot.current?.append(c);
    canvas.current = c;
    return () => giveBackCanvas(c);
  }, []);
  // bound before the browser paints: a tile given another image never shows the old one's pixels
  useLayoutEffect(() => {
    if (!canvas.current || !button.current) return;
    return bindTile(sample, canvas.current, button.current);
  }, [result, sample]);
  return (
    <button ref={button} className={`tile ${verdict}`} data-testid="gallery-tile" data-tile-index={index} data-verdict={verdict} data-file={sample.path} data-unfaithful={unfaithful || undefined} onClick={() => selectSample(sample.id)} title={sample.path}>
      <span ref={slot} className="tile-image" />
      <span className="caption">
        <span className="truth">{sample.label ?? '—'}</span>
        <span className="pred">→ {predicted} {confidence !== undefined ? `${(confidence * 100).toFixed(0)}%` : ''}</span>
        {!hasMap && <span className="pending">map not computed</span>}
        {unfaithful && <span className="badge" data-testid="tile-unfaithful" title="On this image the map does no better than a random map: deleting its pixels first lowers the score no faster, revealing them raises it no faster">≈ random map</span>}
        {stale && <span className="pending" data-testid="tile-stale">{runStatus === 'running' ? 'updating…' : 'earlier settings'}</span>}
      </span>
    </button>
  );
});
