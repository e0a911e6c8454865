import { useStore } from '../state/store';
import { setExplain } from '../state/actions/run';
import type { Smoothing } from '../methods/fusion';
import { LayerPicker } from './LayerPicker';
import type { ScoreKind } from '../engine/types';

/** What the engine explains: changing any of these recomputes the maps. */
export function ExplainPanel() {
  const model = useStore((s) => s.model);
  const explain = useStore((s) => s.explain);
  const classNames = useStore((s) => s.classNames);
  const running = useStore((s) => s.run.status === 'running');
  if (!model) return null;
  const { info } = model;
  const regression = info.outputKind === 'regression';
  return (
    <div className="explain">
      <LayerPicker />
      <label className="inline" title="Aug-smooth averages each map over the image flipped and at brightness 0.9, 1.0 and 1.1 (steadier maps for 6× the work); eigen-smooth keeps the first principal component of each method's weighted activations (less noise, same cost)">
        Smoothing{' '}
        <select data-testid="smooth-select" value={explain.smooth} onChange={(e) => setExplain({ smooth: e.target.value as 'off' | Smoothing })}>
          <option value="off">off</option>
          <option value="aug">aug-smooth (6× slower)</option>
          <option value="eigen">eigen-smooth</option>
        </select>
      </label>
      {regression ? (
        <label className="inline">
          Explain{' '}
          <select data-testid="target-select" value={explain.negate ? 'lower' : 'raise'} onChange={(e) => setExplain({ negate: e.target.value === 'lower' })}>
            <option value="raise">what raises the value</option>
            <option value="lower">what lowers the value</option>
          </select>
        </label>
      ) : (
        <>
          <label className="inline">
            Explain{' '}
            <select data-testid="target-select" value={explain.target} onChange={(e) => setExplain({ target: e.target.value as 'predicted' | 'true' | 'class' })}>
              <option value="predicted">the predicted class</option>
              <option value="true">the true class</option>
              <option value="class">a chosen class</option>
            </select>
          </label>
          {explain.target === 'class' && (
            <select data-testid="target-class-select" value={explain.targetClass} onChange={(e) => setExplain({ targetClass: Number(e.target.value) })}>
              {Array.from({ length: info.outputCount }, (_, i) => (
                <option key={i} value={i}>{classNames[i] ?? `class ${i}`}</option>
              ))}
            </select>
          )}
          <label className="inline" title="The papers differentiate the logit; the old block differentiated the softmax probability, which saturates">
            Score{' '}
            <select data-testid="score-select" value={explain.score} onChange={(e) => setExplain({ score: e.target.value as ScoreKind })}>
              <option value="logit">logit (pre-softmax)</option>
              <option value="probability">probability (as the old block)</option>
            </select>
          </label>
        </>
      )}
      {running && <span className="hint"> recomputing…</span>}
    </div>
  );
}
