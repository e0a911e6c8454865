import { useShownItems } from './useShownItems';
import { useEffect, useState } from 'react';
import { useStore } from '../state/store';
import { sampleById } from '../state/selectors';
import { selectSample } from '../state/actions/view';
import { computeScoreCamFor } from '../state/actions/scoreCam';
import { classMapKey, loadClassMap, loadTrueClassMap } from '../state/actions/classMap';
import { predictionOf } from '../results/verdict';
import { describeView, rawMapOf } from '../results/view';
import { methodById } from '../methods/registry';
import type { RgbaImage } from '../image/rgba';
import { sampleImage } from './imageCache';
import { useMapScale } from './useMapScale';
import { MapPanes, MethodMultiples, Original, ZOOMS } from './DetailParts';
import { FaithfulnessCurves } from './Faithfulness';
import { methodSet } from '../state/selectors';

/** The large view of one sample: original, heatmap, overlay, and what the model said. */
export function Detail() {
  const id = useStore((s) => s.selected);
  const dataset = useStore((s) => s.dataset);
  const result = useStore((s) => (id ? s.results[id] : undefined));
  const classNames = useStore((s) => s.classNames);
  const sample = sampleById(dataset, id);
  const trueIndex = sample?.label === undefined ? -1 : classNames.indexOf(sample.label);
  const trueResult = useStore((s) => (id ? s.classMaps[classMapKey(id, trueIndex)] : undefined));
  // "why this class": a top-5 class picked by the user, its map computed on request
  const [why, setWhy] = useState<number>();
  const whyResult = useStore((s) => (id && why !== undefined ? s.classMaps[classMapKey(id, why)] : undefined));
  const [zoom, setZoom] = useState<number>(1);
  // every method's overlay, at the original's size, drawn only while its box is open: closed (as it
  // starts) it had cost ~half of the work of showing each next image
  const [methodsOpen, setMethodsOpen] = useState(false);
  const scoreMap = useStore((s) => (id ? s.scoreCam[id] : undefined));
  const faithful = useStore((s) => (id ? s.faithfulness[methodSet(s)]?.[id] : undefined));
  const view = useStore((s) => s.view);
  const kind = useStore((s) => s.model?.info.outputKind ?? 'classification');
  const onRequest = methodById(view.method).onRequest;
  const scale = useMapScale();
  const [image, setImage] = useState<RgbaImage>();
  const [busy, setBusy] = useState(false);
  const p = sample && result && !('error' in result) ? predictionOf(result, sample.label, classNames, view.threshold) : undefined;

  useEffect(() => {
    setImage(undefined);
    setWhy(undefined);
    if (!sample) return;
    let live = true;
    sampleImage(sample).then((img) => live && setImage(img));
    return () => {
      live = false;
    };
  }, [sample]);
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
  const top = kind === 'classification' ? result.top : [];
  const predictedMap = rawMapOf(result, view, scoreMap);
  const showTrue = p.verdict === 'incorrect' && trueResult && !('error' in trueResult) && !onRequest;
  const computeScoreCam = async () => {
    setBusy(true);
    await computeScoreCamFor(sample.id);
    setBusy(false);
  };
  const chooseWhy = (i: number) => {
    setWhy(i);
    if (i !== result.targetIndex) loadClassMap(sample.id, i);
  };
  const explained = kind === 'regression' ? 'value' : classNames[result.targetIndex] ?? `class ${result.targetIndex}`;
  return (
    <div className="detail-backdrop" onClick={() => selectSample(undefined)}>
      <div className="detail" data-testid="detail" onClick={(e) => e.stopPropagation()} role="dialog" aria-label={sample.path}>
        <div className="detail-head">
          <h2>{sample.fileName}</h2>
          <button aria-label="Close" onClick={() => selectSample(undefined)}>×</button>
        </div>
        <p className="hint">
          {describeView(view)}
          <label className="inline">
            Zoom the original{' '}
            <select data-testid="detail-zoom" value={zoom} onChange={(e) => setZoom(Number(e.target.value))}>
              {ZOOMS.map((z) => <option key={z} value={z}>{z}×</option>)}
            </select>
          </label>
        </p>
        <div className="panes">
          <Original image={image} zoom={zoom} />
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
        {faithful && <FaithfulnessCurves score={faithful} />}
        <dl className="facts">
          <dt>True label</dt><dd data-testid="detail-truth">{sample.label ?? 'none'}</dd>
          <dt>Prediction</dt><dd data-testid="detail-prediction" className={p.verdict}>{p.predicted} ({p.verdict})</dd>
          <dt>{kind === 'regression' ? 'Value' : 'Confidence'}</dt><dd data-testid="detail-confidence">{'value' in p ? p.value.toFixed(4) : `${(p.confidence * 100).toFixed(2)} %`}</dd>
          <dt>Map grid</dt><dd>{result.gridHeight}×{result.gridWidth}</dd>
          <dt>File</dt><dd>{sample.path}</dd>
        </dl>
        {top.length > 0 && (
          <>
            <h3 className="top5-title">Top 5 — pick one to see why the model could call it that</h3>
            <ol className="top5">
              {top.map(({ index: i, score: v }) => (
                <li key={i}>
                  <button data-testid="detail-top-class" data-class={classNames[i] ?? `class ${i}`} aria-pressed={i === (why ?? result.targetIndex)} onClick={() => chooseWhy(i)}>
                    {classNames[i] ?? `class ${i}`} — {(v * 100).toFixed(2)} %
                  </button>
                </li>
              ))}
            </ol>
          </>
        )}
        {why !== undefined && why !== result.targetIndex && image && (
          <div className="panes" data-testid="detail-why">
            <figure className="spacer"><figcaption>Why “{classNames[why] ?? `class ${why}`}”:</figcaption></figure>
            {whyResult && !('error' in whyResult) ? (
              <MapPanes image={image} result={whyResult} map={rawMapOf(whyResult, view)} view={view} scale={scale} title={`Class “${classNames[why] ?? why}”`} testId="detail-why" />
            ) : (
              <p className="hint">Computing its map…</p>
            )}
          </div>
        )}
        {image && !onRequest && (
          <details className="multiples-box" open={methodsOpen} onToggle={(e) => setMethodsOpen(e.currentTarget.open)}>
            <summary>Every method for this image (click one to show it in the gallery)</summary>
            {methodsOpen && <MethodMultiples image={image} result={result} view={view} scale={scale} />}
          </details>
        )}
      </div>
    </div>
  );
}
