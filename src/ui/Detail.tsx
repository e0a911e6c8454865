import { useShownItems } from './useShownItems';
import { useEffect, useRef, useState } from 'react';
import { useStore } from '../state/store';
import { sampleById } from '../state/selectors';
import { selectSample } from '../state/actions/view';
import { computeScoreCamFor } from '../state/actions/scoreCam';
import { loadTrueClassMap } from '../state/actions/trueClassMap';
import { enlargeSmall, heatmapLayer, renderOverlay } from '../render/overlay';
import { predictionOf } from '../results/verdict';
import { describeView, rawMapOf, type ViewSettings } from '../results/view';
import { methodById } from '../methods/registry';
import type { RgbaImage } from '../image/rgba';
import type { SampleResult } from '../engine/types';
import type { MapScale } from '../render/normalize';
import { paint, sampleImage } from './imageCache';
import { useGeometry } from './useGeometry';
import { useMapScale } from './useMapScale';

function MapPanes({ image, result, map, view, scale, title, testId }: { image: RgbaImage; result: SampleResult; map?: Float32Array; view: ViewSettings; scale?: MapScale; title: string; testId: string }) {
  const geometry = useGeometry();
  const heat = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if ('error' in result || !map) return;
    const big = enlargeSmall(image);
    if (heat.current) paint(heat.current, heatmapLayer(map, result.gridWidth, result.gridHeight, big.width, big.height, view, scale, geometry));
    if (overlay.current) paint(overlay.current, renderOverlay(image, map, result.gridWidth, result.gridHeight, view, scale, geometry));
  }, [image, result, map, view, scale, geometry]);
  if (!map) return <p className="hint">{title}: no map yet.</p>;
  return (
    <>
      <figure data-testid={`${testId}-heatmap`}><canvas ref={heat} /><figcaption>{title}: heatmap</figcaption></figure>
      <figure data-testid={`${testId}-overlay`}><canvas ref={overlay} /><figcaption>{title}: overlay (alpha {view.alpha})</figcaption></figure>
    </>
  );
}

/** The large view of one sample: original, heatmap, overlay, and what the model said. */
export function Detail() {
  const id = useStore((s) => s.selected);
  const dataset = useStore((s) => s.dataset);
  const result = useStore((s) => (id ? s.results[id] : undefined));
  const trueResult = useStore((s) => (id ? s.trueClassMaps[id] : undefined));
  const scoreMap = useStore((s) => (id ? s.scoreCam[id] : undefined));
  const view = useStore((s) => s.view);
  const classNames = useStore((s) => s.classNames);
  const kind = useStore((s) => s.model?.info.outputKind ?? 'classification');
  const onRequest = methodById(view.method).onRequest;
  const scale = useMapScale();
  const original = useRef<HTMLCanvasElement>(null);
  const [image, setImage] = useState<RgbaImage>();
  const [busy, setBusy] = useState(false);
  const sample = sampleById(dataset, id);
  const p = sample && result && !('error' in result) ? predictionOf(result, sample.label, classNames, view.threshold) : undefined;

  useEffect(() => {
    setImage(undefined);
    if (!sample) return;
    let live = true;
    sampleImage(sample).then((img) => live && setImage(img));
    return () => {
      live = false;
    };
  }, [sample]);
  useEffect(() => {
    if (image && original.current) paint(original.current, enlargeSmall(image));
  }, [image]);
  useEffect(() => {
    if (id && p?.verdict === 'incorrect' && kind === 'classification') loadTrueClassMap(id);
  }, [id, p?.verdict, kind]);
  // ←/→ (and Home/End) move through the gallery's current order: filtered, sorted, grouped
  const { order } = useShownItems();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') return selectSample(undefined);
      if (!id || (e.target as HTMLElement | null)?.closest?.('input, select, textarea')) return;
      const at = order.findIndex((i) => i.sample.id === id);
      const to = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: order.length - 1 }[e.key];
      if (to === undefined || at < 0 || to < 0 || to >= order.length) return;
      e.preventDefault();
      selectSample(order[to].sample.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [id, order]);

  if (!sample || !result || 'error' in result || !p) return null;
  const top = kind === 'classification' ? [...result.outputs].map((v, i) => [i, v] as const).sort((a, b) => b[1] - a[1]).slice(0, 5) : [];
  const predictedMap = rawMapOf(result, view, scoreMap);
  const showTrue = p.verdict === 'incorrect' && trueResult && !('error' in trueResult) && !onRequest;
  const computeScoreCam = async () => {
    setBusy(true);
    await computeScoreCamFor(sample.id);
    setBusy(false);
  };
  const explained = kind === 'regression' ? 'value' : classNames[result.targetIndex] ?? `class ${result.targetIndex}`;
  return (
    <div className="detail-backdrop" onClick={() => selectSample(undefined)}>
      <div className="detail" data-testid="detail" onClick={(e) => e.stopPropagation()} role="dialog" aria-label={sample.path}>
        <div className="detail-head">
          <h2>{sample.fileName}</h2>
          <button aria-label="Close" onClick={() => selectSample(undefined)}>×</button>
        </div>
        <p className="hint">{describeView(view)}</p>
        <div className="panes">
          <figure><canvas ref={original} /><figcaption>Original</figcaption></figure>
          {image && <MapPanes image={image} result={result} map={predictedMap} view={view} scale={scale} title={`Explaining “${explained}”`} testId="detail-predicted" />}
        </div>
        {onRequest && !scoreMap && (
          <button data-testid="detail-scorecam" disabled={busy} onClick={computeScoreCam}>{busy ? 'Computing Score-CAM…' : 'Compute Score-CAM for this image'}</button>
        )}
        {showTrue && image && (
          <div className="panes" data-testid="detail-true">
            <figure className="spacer"><figcaption>What the model sees of the true class “{sample.label}”:</figcaption></figure>
            <MapPanes image={image} result={trueResult} map={rawMapOf(trueResult, view)} view={view} scale={scale} title={`True class “${sample.label}”`} testId="detail-true" />
          </div>
        )}
        <dl className="facts">
          <dt>True label</dt><dd data-testid="detail-truth">{sample.label ?? 'none'}</dd>
          <dt>Prediction</dt><dd data-testid="detail-prediction" className={p.verdict}>{p.predicted} ({p.verdict})</dd>
          <dt>{kind === 'regression' ? 'Value' : 'Confidence'}</dt><dd data-testid="detail-confidence">{'value' in p ? p.value.toFixed(4) : `${(p.confidence * 100).toFixed(2)} %`}</dd>
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
