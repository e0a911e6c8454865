import { useState, type DragEvent } from 'react';
import { useStore } from '../state/store';
import { INPUT_SCALINGS, RESIZE_METHODS, RESIZE_MODES, type InputScaling, type ResizeMethod, type ResizeMode } from '../image/preprocess';
import { BACKEND_CHOICES, type BackendChoice, type BackendReport } from '../engine/types';
import { editClassNames, loadDemo, loadDrop, setSplit } from '../state/actions/load';
import { chooseBackend, remeasureBackend, setPreprocess, startRun } from '../state/actions/run';
import { readDataTransfer, readFileList } from './readDrop';
import { ExplainPanel } from './ExplainPanel';
import { EdgeImpulsePanel } from './EdgeImpulsePanel';
import { AdvancedLimits } from './AdvancedLimits';
import type { DropTarget } from '../sources/sortDrop';
import type { DroppedFile } from '../sources/datasets/files';
import type { Split } from '../sources/datasets/labels';

/** A drop area; what lands here is still sorted by content (a model and its data set together load both). */
function DropZone(props: { title: string; hint: string; testId: string; folderTestId?: string; accept?: string; target: DropTarget; children?: React.ReactNode }) {
  const [over, setOver] = useState(false);
  const take = (files: DroppedFile[]) => loadDrop(files, props.target);
  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    e.stopPropagation(); // the window's own drop target would take it too
    setOver(false);
    await take(await readDataTransfer(e.dataTransfer));
  };
  return (
    <div className={`drop ${over ? 'over' : ''}`} onDragOver={(e) => { e.preventDefault(); setOver(true); }} onDragLeave={() => setOver(false)} onDrop={onDrop}>
      <h2>{props.title}</h2>
      <p className="hint">{props.hint}</p>
      <label className="button">
        Choose files
        <input type="file" multiple accept={props.accept} data-testid={props.testId} onChange={async (e) => { await take(await readFileList(e.target.files ?? [])); e.target.value = ''; }} />
      </label>
      {props.folderTestId && (
        <label className="button">
          Choose folder
          <input type="file" data-testid={props.folderTestId} {...{ webkitdirectory: '' }} onChange={async (e) => { await take(await readFileList(e.target.files ?? [])); e.target.value = ''; }} />
        </label>
      )}
      {props.children}
    </div>
  );
}

const FORMAT_NAMES = { 'tfjs-layers': 'TF.js layers model', 'keras-h5': 'Keras HDF5 (.h5)', keras3: 'Keras 3 (.keras)' } as const;

function ModelSummary({ model }: { model: NonNullable<ReturnType<typeof useStore.getState>['model']> }) {
  const { info } = model;
  const [h, w, c] = info.inputShape;
  return (
    <dl className="summary model-facts" data-testid="model-summary">
      <dt>Model</dt><dd><strong>{model.name}</strong> — {FORMAT_NAMES[info.format]}</dd>
      <dt>Input</dt><dd data-testid="model-input-shape">{h}×{w}, {c === 1 ? '1 channel (grayscale)' : `${c} channels (RGB)`}</dd>
      <dt>Output</dt><dd data-testid="model-output">{info.outputKind === 'regression' ? 'regression (one value)' : `classification, ${info.outputCount} classes (${info.finalActivation})`}</dd>
      <dt>Target layers</dt><dd>{info.targetLayers.length} spatial layers; default <code>{info.defaultTargetLayer}</code></dd>
      <dt>Parameters</dt><dd>{info.paramCount.toLocaleString()}</dd>
    </dl>
  );
}

export function Sources() {
  const dataset = useStore((s) => s.dataset);
  const model = useStore((s) => s.model);
  const split = useStore((s) => s.split);
  const preprocess = useStore((s) => s.preprocess);
  const classNames = useStore((s) => s.classNames);
  const classNamesSource = useStore((s) => s.classNamesSource);
  const backend = useStore((s) => s.backend);
  const backendChoice = useStore((s) => s.backendChoice);
  const cpuFallbacks = useStore((s) => s.cpuFallbacks);
  const running = useStore((s) => s.run.status === 'running' || s.run.status === 'loading');
  // with both loaded, the drop areas shrink to their summaries so the gallery gets the screen
  const [expanded, setExpanded] = useState(false);
  const collapsed = !!dataset && !!model && !expanded;
  return (
    <section className="sources">
      <div className="demo">
        <button className="primary" data-testid="demo-button" onClick={loadDemo} disabled={running}>Try the demo</button>
        <span className="hint">DoodleNet on 300 Quick, Draw! doodles (bowtie, lollipop, rainbow)</span>
        <label className="inline">
          Backend{' '}
          <select data-testid="backend-select" value={backendChoice} onChange={(e) => chooseBackend(e.target.value as BackendChoice)}>
            {BACKEND_CHOICES.map((b) => <option key={b} value={b}>{b}</option>)}
          </select>
        </label>
        <span className="status" data-testid="backend-status">
          {backend ? backendSummary(backend) : 'Backend chosen on first run'}
          {cpuFallbacks.length > 0 && ` · ${backend?.backend} lacks ${cpuFallbacks.join(', ')}: those gradient kernels ran on the CPU (slower, same numbers)`}
        </span>
        {model && backend?.batchSize && (
          <button data-testid="backend-remeasure" onClick={remeasureBackend} disabled={running} title="Time this model on the backends again (the result is remembered for this model on this device)">
            Measure again
          </button>
        )}
      </div>
      <EdgeImpulsePanel />
      {dataset && model ? (
        <div className="loaded-line">
          <button data-testid="sources-toggle" aria-expanded={!collapsed} aria-controls="drops" onClick={() => setExpanded(!expanded)}>
            {collapsed ? 'Change the model or the data set' : 'Show only the summary'}
          </button>
          <span className="hint">or drop new files anywhere on the page</span>
        </div>
      ) : (
        <p className="hint">Drop a model and its data set together anywhere on the page (two zips, or one folder or zip holding both): they are told apart by their contents.</p>
      )}
      <AdvancedLimits />
      <div id="drops" className={`drops${collapsed ? ' collapsed' : ''}`}>
        <DropZone title="Data set" hint="An Edge Impulse export (zip or folder with info.labels) or class folders (<label>/<image>)." testId="dataset-input" folderTestId="dataset-folder-input" target="dataset">
          {dataset && (
            <p className="summary" data-testid="dataset-summary">
              <strong>{dataset.name}</strong>: {dataset.samples.length} images ({dataset.layout}){' '}
              <label className="inline">
                split{' '}
                <select value={split} onChange={(e) => setSplit(e.target.value as Split | 'all')}>
                  <option value="all">all</option>
                  {dataset.splits.map((s) => <option key={s} value={s}>{s}</option>)}
                </select>
              </label>
            </p>
          )}
        </DropZone>
        <DropZone title="Model" hint="Keras .h5 or .keras, an Edge Impulse model zip, or a TF.js model (model.json + weight files, or a zip)." testId="model-input" folderTestId="model-folder-input" target="model">
          {model && <ModelSummary model={model} />}
        </DropZone>
      </div>
      {(dataset || model) && (
        <div className="setup">
          <label className="inline">
            Input scaling{' '}
            <select data-testid="scaling-select" value={preprocess.scaling} onChange={(e) => setPreprocess({ scaling: e.target.value as InputScaling })}>
              {INPUT_SCALINGS.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </label>
          <label className="inline">
            Resize{' '}
            <select data-testid="resize-select" value={preprocess.resizeMode} onChange={(e) => setPreprocess({ resizeMode: e.target.value as ResizeMode })}>
              {RESIZE_MODES.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>{' '}
            <select data-testid="resize-method-select" value={preprocess.resizeMethod} onChange={(e) => setPreprocess({ resizeMethod: e.target.value as ResizeMethod })}>
              {RESIZE_METHODS.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </label>
          <button data-testid="run-button" onClick={startRun} disabled={!dataset || !model || running}>Run</button>
          <ExplainPanel />
          {model?.info.outputKind === 'classification' && (
            <details className="classnames">
              <summary>Class names ({classNames.length}, from the {classNamesSource}) — output index → name</summary>
              <textarea data-testid="classnames-input" rows={8} defaultValue={classNames.join('\n')} key={classNames.join('|')} onBlur={(e) => editClassNames(e.target.value)} />
              <p className="hint">One name per line: line 1 names output 0. Edits re-sort the gallery without recomputing.</p>
            </details>
          )}
        </div>
      )}
    </section>
  );
}

/** "Running on wasm · 32 images a batch (measured per image: wasm 3.9 ms at 32; webgl skipped: …)". */
function backendSummary(b: BackendReport): string {
  const parts = [`Running on ${b.backend}`];
  if (b.batchSize) parts.push(`${b.batchSize} images a batch`);
  const measured = Object.entries(b.measured ?? {}).map(([name, t]) => {
    const best = t?.reduce((a, c) => (c.msPerImage < a.msPerImage ? c : a));
    return best ? `${name} ${best.msPerImage.toFixed(1)} ms at ${best.batchSize}` : name;
  });
  const skipped = Object.entries(b.skipped ?? {}).map(([name, why]) => `${name} not tried: ${why}`);
  // one that failed to start (or never finished starting: engine/backend.ts) says why
  const failed = Object.entries(b.unavailable ?? {}).map(([name, why]) => `${name} did not start: ${why}`);
  const details = [...(measured.length ? [`model measured per image: ${measured.join(', ')}`] : []), ...skipped, ...failed];
  return `${parts.join(' · ')}${details.length ? ` (${details.join('; ')})` : ''}${b.remembered ? ' · as measured earlier for this model' : ''}`;
}
