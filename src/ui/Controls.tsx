import { setView, useStore } from '../state/store';
import { CAM_METHOD_NAMES, type CamMethodName } from '../engine/cam';
import { NORMALIZATIONS, type Normalization } from '../render/normalize';
import { exportOverlays } from './actions';
import { useState } from 'react';

export function Controls() {
  const view = useStore((s) => s.view);
  const kind = useStore((s) => s.model?.info.outputKind);
  const hasResults = useStore((s) => Object.keys(s.results).length > 0);
  const [exporting, setExporting] = useState(false);
  if (!hasResults) return null;
  return (
    <section className="controls">
      <label>
        Alpha <output>{view.alpha.toFixed(2)}</output>
        <input type="range" min={0} max={1} step={0.05} value={view.alpha} data-testid="alpha-slider" onChange={(e) => setView({ alpha: Number(e.target.value) })} />
      </label>
      <label>
        Pooling
        <select value={view.pooling} data-testid="pooling-select" onChange={(e) => setView({ pooling: e.target.value as CamMethodName })}>
          {CAM_METHOD_NAMES.map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
      </label>
      <label>
        Normalisation
        <select value={view.normalization} data-testid="normalization-select" onChange={(e) => setView({ normalization: e.target.value as Normalization })}>
          {NORMALIZATIONS.map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
      </label>
      {kind === 'regression' && (
        <label>
          Correct within ± <output>{view.threshold}</output>
          <input type="number" min={0} step={0.05} value={view.threshold} data-testid="threshold-input" onChange={(e) => setView({ threshold: Math.max(0, Number(e.target.value)) })} />
        </label>
      )}
      <button
        className="primary"
        data-testid="export-button"
        disabled={exporting}
        onClick={async () => {
          setExporting(true);
          await exportOverlays();
          setExporting(false);
        }}
      >
        {exporting ? 'Exporting…' : 'Export zip'}
      </button>
    </section>
  );
}
