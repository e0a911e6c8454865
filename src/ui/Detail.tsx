import { useEffect, useRef } from 'react';
import { useStore } from '../state/store';
import { enlargeSmall, renderHeatmap, renderOverlay } from '../render/overlay';
import { normalizeMap } from '../render/normalize';
import { predictionOf } from '../state/verdict';
import { paint, sampleImage } from './imageCache';

/** The large view of one sample: original, heatmap, overlay, and what the model said. */
export function Detail() {
  const id = useStore((s) => s.selected);
  const dataset = useStore((s) => s.dataset);
  const result = useStore((s) => (id ? s.results[id] : undefined));
  const view = useStore((s) => s.view);
  const classNames = useStore((s) => s.classNames);
  const kind = useStore((s) => s.model?.info.outputKind ?? 'classification');
  const original = useRef<HTMLCanvasElement>(null);
  const heat = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const sample = id !== undefined ? dataset?.samples[Number(id)] : undefined;

  useEffect(() => {
    if (!sample || !result || 'error' in result) return;
    let live = true;
    sampleImage(sample).then((image) => {
      if (!live) return;
      const map = result.maps[view.pooling];
      const big = enlargeSmall(image);
      if (original.current) paint(original.current, big);
      if (heat.current) paint(heat.current, renderHeatmap(normalizeMap(map, view.normalization), result.gridWidth, result.gridHeight, big.width, big.height, view.colormap));
      if (overlay.current) paint(overlay.current, renderOverlay(image, map, result.gridWidth, result.gridHeight, view));
    });
    return () => {
      live = false;
    };
  }, [sample, result, view]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && useStore.setState({ selected: undefined });
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!sample || !result || 'error' in result) return null;
  const p = predictionOf(result, sample.label, kind, classNames, view.threshold);
  const top = kind === 'classification'
    ? [...result.outputs].map((v, i) => [i, v] as const).sort((a, b) => b[1] - a[1]).slice(0, 5)
    : [];
  return (
    <div className="detail-backdrop" onClick={() => useStore.setState({ selected: undefined })}>
      <div className="detail" data-testid="detail" onClick={(e) => e.stopPropagation()} role="dialog" aria-label={sample.path}>
        <header>
          <h2>{sample.fileName}</h2>
          <button aria-label="Close" onClick={() => useStore.setState({ selected: undefined })}>×</button>
        </header>
        <div className="panes">
          <figure><canvas ref={original} /><figcaption>Original</figcaption></figure>
          <figure><canvas ref={heat} /><figcaption>Heatmap ({view.pooling}, {view.normalization})</figcaption></figure>
          <figure><canvas ref={overlay} /><figcaption>Overlay (alpha {view.alpha})</figcaption></figure>
        </div>
        <dl className="facts">
          <dt>True label</dt><dd data-testid="detail-truth">{sample.label ?? 'none'}</dd>
          <dt>Prediction</dt><dd data-testid="detail-prediction" className={p.verdict}>{p.predicted} ({p.verdict})</dd>
          <dt>{kind === 'regression' ? 'Value' : 'Confidence'}</dt><dd data-testid="detail-confidence">{kind === 'regression' ? p.confidence.toFixed(4) : `${(p.confidence * 100).toFixed(2)} %`}</dd>
          <dt>Map grid</dt><dd>{result.gridHeight}×{result.gridWidth}</dd>
          <dt>File</dt><dd>{sample.path}</dd>
        </dl>
        {top.length > 0 && (
          <ol className="top5">
            {top.map(([i, v]) => <li key={i}>{classNames[i] ?? `class ${i}`} — {(v * 100).toFixed(2)} %</li>)}
          </ol>
        )}
      </div>
    </div>
  );
}
