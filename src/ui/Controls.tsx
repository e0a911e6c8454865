import { useMemo, useState } from 'react';
import { useStore } from '../state/store';
import { setView } from '../state/actions/view';
import { methodById, methodLabel, METHODS, POOLINGS, type MethodId, type Pooling } from '../methods/registry';
import { NORMALIZATIONS, type Normalization } from '../render/normalize';
import { COLORMAPS, type ColormapName } from '../render/colormap';
import { cancelScoreCam, computeScoreCamAll } from '../state/actions/scoreCam';
import { cancelExport, exportOverlays, type ExportedVia } from '../state/actions/export';

/** View controls: everything here repaints; nothing recomputes (Score-CAM is computed on request). */
export function Controls() {
  const view = useStore((s) => s.view);
  const kind = useStore((s) => s.model?.info.outputKind);
  // counted when results change, not in a selector: selectors run on every change of the store,
  // and counting 10,000 keys each time was ~90 ms of a 10,000-doodle run's page thread
  const results = useStore((s) => s.results);
  const version = useStore((s) => s.resultsVersion);
  const resultCount = useMemo(() => Object.keys(results).length, [results, version]);
  const scoreCount = useStore((s) => Object.keys(s.scoreCam).length);
  const scoreRun = useStore((s) => s.scoreRun);
  const [exporting, setExporting] = useState<string | undefined>();
  // where the last export went (a file picked, the service worker's download, Blob parts): for tests
  const [exportedVia, setExportedVia] = useState<ExportedVia | undefined>();
  if (resultCount === 0) return null;
  const method = methodById(view.method);
  return (
    <section className="controls">
      <label>
        Method
        <select value={view.method} data-testid="method-select" onChange={(e) => setView({ method: e.target.value as MethodId })}>
          {METHODS.map((m) => <option key={m.id} value={m.id}>{methodLabel(m)}</option>)}
        </select>
      </label>
      {method.pooled && (
        <label>
          Pooling
          <select value={view.pooling} data-testid="pooling-select" onChange={(e) => setView({ pooling: e.target.value as Pooling })}>
            {POOLINGS.map((p) => <option key={p.value} value={p.value}>{p.label}</option>)}
          </select>
        </label>
      )}
      {method.onRequest && (
        <span className="scorecam">
          {scoreRun.status === 'running' ? (
            <>
              <progress data-testid="scorecam-progress" max={scoreRun.total} value={scoreRun.done} /> {scoreRun.done}/{scoreRun.total}{' '}
              <button onClick={cancelScoreCam}>Cancel</button>
            </>
          ) : (
            <button data-testid="scorecam-button" onClick={computeScoreCamAll} disabled={scoreCount >= resultCount}>
              {scoreCount >= resultCount ? `${method.label} computed` : `Compute ${method.label} (${resultCount - scoreCount} images)`}
            </button>
          )}
        </span>
      )}
      <label>
        Normalisation
        <select value={view.normalization} data-testid="normalization-select" onChange={(e) => setView({ normalization: e.target.value as Normalization })}>
          {NORMALIZATIONS.map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
      </label>
      {view.normalization === 'percentile' && (
        <label>
          clip at <output>{view.percentile}</output>th
          <input type="range" min={50} max={100} step={0.5} value={view.percentile} data-testid="percentile-slider" onChange={(e) => setView({ percentile: Number(e.target.value) })} />
        </label>
      )}
      <label title="One scale for every image, so a weak map looks weak">
        <input type="checkbox" data-testid="scope-toggle" checked={view.scope === 'dataset'} onChange={(e) => setView({ scope: e.target.checked ? 'dataset' : 'image' })} />
        same scale for all images
      </label>
      <label>
        Alpha <output>{view.alpha.toFixed(2)}</output>
        <input type="range" min={0} max={1} step={0.05} value={view.alpha} data-testid="alpha-slider" onChange={(e) => setView({ alpha: Number(e.target.value) })} />
      </label>
      <label>
        Colormap
        <select value={view.colormap} data-testid="colormap-select" onChange={(e) => setView({ colormap: e.target.value as ColormapName })}>
          {COLORMAPS.map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
      </label>
      <label title="Over the original image, or over the model-size input as the model saw it">
        Draw on
        <select value={view.drawAt} data-testid="draw-at-select" onChange={(e) => setView({ drawAt: e.target.value as 'image' | 'model' })}>
          <option value="image">original image</option>
          <option value="model">model input</option>
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
        data-export-via={exportedVia}
        disabled={!!exporting}
        onClick={async () => {
          setExporting('Exporting…');
          setExportedVia((await exportOverlays((done, total) => setExporting(`Exporting ${done}/${total}…`))) ?? undefined);
          setExporting(undefined);
        }}
      >
        {exporting ?? 'Export zip'}
      </button>
      {exporting && <button data-testid="export-cancel" onClick={cancelExport}>Cancel export</button>}
    </section>
  );
}
