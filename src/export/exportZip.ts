// The export: every overlay as shown, in correct/ and incorrect/, plus report.csv and
// settings.json. Pure apart from decoding; runs in the page, a worker or Node.
import JSZip from 'jszip';
import { encode } from 'fast-png';
import { decodeImage } from '../image/decode';
import { renderOverlay, type InputGeometry } from '../render/overlay';
import type { Preprocessing } from '../image/preprocess';
import { predictionOf, type PredictionView } from '../results/verdict';
import { datasetScale, rawMapOf, type ViewSettings } from '../results/view';
import { methodById } from '../methods/registry';
import type { Sample } from '../sources/datasets/dataset';
import type { ModelInfo, SampleResult } from '../engine/types';

export interface ExportInput {
  samples: Sample[];
  results: Record<string, SampleResult>;
  /** Score-CAM maps, where computed. */
  scoreCam?: Record<string, Float32Array>;
  view: ViewSettings;
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

export type ExportedRow = PredictionView & {
  file: string;
  overlay: string;
  trueLabel: string;
};

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
    const p = predictionOf(result, sample.label, input.classNames, input.view.threshold);
    const image = await decodeImage(sample.bytes);
    const overlay = renderOverlay(image, map, result.gridWidth, result.gridHeight, input.view, scale, input.geometry);
    const path = overlayName(sample, taken, p.verdict);
    zip.file(path, encode({ width: overlay.width, height: overlay.height, data: overlay.data, channels: 4, depth: 8 }));
    rows.push({ file: sample.path, overlay: path, trueLabel: sample.label ?? '', ...p });
    onProgress?.(i + 1, done.length);
    if (i % 16 === 15) await new Promise((r) => setTimeout(r, 0)); // keep the page responsive
  }
  // classification: the predicted class's probability; regression: the predicted value
  const regression = input.model.info.outputKind === 'regression';
  const header = ['file', 'overlay', 'true_label', 'predicted_label', regression ? 'value' : 'confidence', 'correct'];
  const score = (r: ExportedRow) => ('value' in r ? r.value : r.confidence).toFixed(6);
  const csv = [header.join(','), ...rows.map((r) => [r.file, r.overlay, r.trueLabel, r.predicted, score(r), r.verdict === 'correct'].map(csvCell).join(','))].join('\n') + '\n';
  zip.file('report.csv', csv);
  const { view } = input;
  const settings = {
    model: input.model.name,
    layer: input.targetLayer,
    method: view.method,
    ...(methodById(view.method).pooled ? { pooling: view.pooling } : {}),
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
