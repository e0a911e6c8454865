// The export: every overlay as shown, in correct/ and incorrect/, plus report.csv and
// settings.json. Pure apart from decoding; runs in the page, a worker or Node.
import JSZip from 'jszip';
import { encode } from 'fast-png';
import { decodeImage } from '../sources/images';
import { renderOverlay, type InputGeometry } from '../render/overlay';
import type { Preprocessing } from '../engine/preprocess';
import { predictionOf, type Verdict } from '../state/verdict';
import type { Sample } from '../sources/datasets/dataset';
import type { SampleResult, ViewState } from '../state/store';
import { datasetScale, rawMapOf } from '../state/view';
import type { ModelInfo } from '../engine/engine';

export interface ExportInput {
  samples: Sample[];
  results: Record<string, SampleResult>;
  /** Score-CAM maps, where computed. */
  scoreCam?: Record<string, Float32Array>;
  view: ViewState;
  classNames: string[];
  model: { name: string; info: ModelInfo };
  targetLayer: string;
  /** What each map explains ("predicted", "true", "class <name>"). */
  target?: string;
  preprocess: Required<Preprocessing>;
  /** Where images sat in the model input (crop / letterbox), to lay maps back over them. */
  geometry?: InputGeometry;
  score: string;
}

export interface ExportedRow {
  file: string;
  overlay: string;
  trueLabel: string;
  predicted: string;
  confidence: number;
  verdict: Verdict;
}

const csvCell = (v: string | number | boolean) => {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Overlay file name: the sample's file name with .png, made unique within its folder. */
function overlayName(sample: Sample, taken: Set<string>, folder: string): string {
  const stem = sample.fileName.replace(/\.[^.]+$/, '');
  let name = `${folder}/${stem}.png`;
  for (let i = 2; taken.has(name); i++) name = `${folder}/${stem}-${i}.png`;
  taken.add(name);
  return name;
}

export async function buildExport(input: ExportInput, onProgress?: (done: number, total: number) => void): Promise<{ zip: Uint8Array; rows: ExportedRow[] }> {
  const zip = new JSZip();
  const rows: ExportedRow[] = [];
  const taken = new Set<string>();
  const mapOf = (s: Sample) => {
    const r = input.results[s.id];
    return r && !('error' in r) ? rawMapOf(r, input.view, input.scoreCam?.[s.id]) : undefined;
  };
  const done = input.samples.filter((s) => mapOf(s));
  const scale = datasetScale(done.map(mapOf), input.view);
  for (const [i, sample] of done.entries()) {
    const result = input.results[sample.id];
    const map = mapOf(sample);
    if (!result || 'error' in result || !map) continue;
    const p = predictionOf(result, sample.label, input.model.info.outputKind, input.classNames, input.view.threshold);
    const image = await decodeImage(sample.bytes);
    const overlay = renderOverlay(image, map, result.gridWidth, result.gridHeight, input.view, scale, input.geometry);
    const path = overlayName(sample, taken, p.verdict);
    zip.file(path, encode({ width: overlay.width, height: overlay.height, data: overlay.data, channels: 4, depth: 8 }));
    rows.push({ file: sample.path, overlay: path, trueLabel: sample.label ?? '', predicted: p.predicted, confidence: p.confidence, verdict: p.verdict });
    onProgress?.(i + 1, done.length);
    if (i % 16 === 15) await new Promise((r) => setTimeout(r, 0)); // keep the page responsive
  }
  const header = ['file', 'overlay', 'true_label', 'predicted_label', 'confidence', 'correct'];
  const csv = [header.join(','), ...rows.map((r) => [r.file, r.overlay, r.trueLabel, r.predicted, r.confidence.toFixed(6), r.verdict === 'correct'].map(csvCell).join(','))].join('\n') + '\n';
  zip.file('report.csv', csv);
  const { view } = input;
  const settings = {
    model: input.model.name,
    layer: input.targetLayer,
    method: view.method,
    ...(view.method === 'gradcam' ? { pooling: view.pooling } : {}),
    normalization: view.normalization,
    ...(view.normalization === 'percentile' ? { percentile: view.percentile } : {}),
    normalizationScope: view.scope,
    drawnOn: view.drawAt,
    alpha: view.alpha,
    colormap: view.colormap,
    target: input.target ?? 'predicted',
    score: input.score,
    inputScaling: input.preprocess.scaling,
    resizeMode: input.preprocess.resizeMode,
    resizeMethod: input.preprocess.resizeMethod,
    ...(input.model.info.outputKind === 'regression' ? { regressionThreshold: input.view.threshold } : {}),
    counts: { correct: rows.filter((r) => r.verdict === 'correct').length, incorrect: rows.filter((r) => r.verdict === 'incorrect').length },
  };
  zip.file('settings.json', JSON.stringify(settings, null, 2) + '\n');
  return { zip: await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }), rows };
}
