// The export: every overlay as shown, in correct/ and incorrect/, plus report.csv and
// settings.json, streamed into a zip. Runs in the page or Node (the command line).
import { csvCell, safeStem } from './safeNames';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { encode } from 'fast-png';
import { drawOverlay, type InputGeometry, type OverlayJob, type OverlayOrder } from '../render/overlay';
import type { Preprocessing } from '../image/preprocess';
import type { RgbaImage } from '../image/rgba';
import { predictionOf, type PredictionView } from '../results/verdict';
import { datasetScale, rawMapOf, type ViewSettings } from '../results/view';
import { mapKey, methodById, METHODS } from '../methods/registry';
import { DEFAULT_FAITHFULNESS, FAITHFULNESS_STEPS, type FaithfulnessHow, type FaithfulnessScore } from '../methods/faithfulness';
import { ROAD_NOISE, ROAD_PERCENTS } from '../methods/road';
import { summarize } from '../results/faithfulness';
import type { Sample } from '../sources/datasets/dataset';
import type { ModelInfo, SampleResult, SanityReport } from '../engine/types';
import { readSanity } from '../results/sanity';
import { readBytes } from '../sources/datasets/files';
import { storedEntry, type WithCrc } from '../common/zipCrc';

export interface ExportInput {
  samples: Sample[];
  results: Record<string, SampleResult>;
  /** Score-CAM maps, where computed. */
  scoreCam?: Record<string, Float32Array>;
  view: ViewSettings;
  classNames: string[];
  model: { name: string; info: ModelInfo };
  targetLayer: string;
  /** Layer fusion and smoothing, where the maps were made with them (engine ExplainOptions). */
  finer?: { layers?: string[]; fusion?: string; smooth?: string };
  /** What each map explains ("predicted", "true", "class <name>"). */
  target?: string;
  preprocess: Required<Preprocessing>;
  /** Where images sat in the model input (crop / letterbox), to lay maps back over them. */
  geometry?: InputGeometry;
  score: string;
  /** The sanity checks, where run (engine/sanity.ts). */
  sanity?: SanityReport;
  /** Faithfulness scores where computed: the exported method's by sample id, and the reference maps'. */
  faithfulness?: { how?: FaithfulnessHow; method?: Record<string, FaithfulnessScore>; random?: Record<string, FaithfulnessScore>; gaussian?: Record<string, FaithfulnessScore> };
}

export type ExportedRow = PredictionView & {
  file: string;
  overlay: string;
  trueLabel: string;
  faithfulness?: FaithfulnessScore;
};

/** settings.json's sanity: what was re-initialised, and each method's correlations and reading. */
function sanitySettings(report: SanityReport, pooling: ViewSettings['pooling']) {
  const methods = Object.fromEntries(
    METHODS.flatMap((m) => {
      const r = readSanity(report, mapKey(m.id, pooling), m.classSensitive);
      return r ? [[m.id, { model_randomisation: r.model, another_class: r.anotherClass ?? null, flags: r.flags, reading: r.reading }]] : [];
    }),
  );
  return { images: report.images, reinitialised: report.layers, ...(report.maps ? { maps: report.maps } : {}), methods };
}

/** settings.json's faithfulness: how the scores were made, and the data-set means of each map set. */
function faithfulnessSettings(f: NonNullable<ExportInput['faithfulness']>) {
  const means = (byId?: Record<string, FaithfulnessScore>) => {
    const s = byId && summarize(Object.values(byId));
    return s && { images: s.n, deletion_auc: s.deletion.mean, insertion_auc: s.insertion.mean, average_drop: s.averageDrop / 100, increase_rate: s.increase / 100, ...(s.road ? { road: s.road.mean } : {}) };
  };
  const how = f.how ?? DEFAULT_FAITHFULNESS;
  const road = Object.values(f.method ?? {}).some((s) => s.road !== undefined);
  return {
    steps: FAITHFULNESS_STEPS,
    baseline: how.baseline,
    insertionStart: 'gaussian blur',
    ...(road ? { road: { percents: ROAD_PERCENTS, imputation: 'noisy linear (edges 1/6, diagonals 1/12)', noise: ROAD_NOISE } } : {}),
    method: means(f.method),
    random: means(f.random),
    gaussian: means(f.gaussian),
  };
}

/** Overlay file name: the sample's file name (made safe) with .png, unique within its folder (any case). */
function overlayName(sample: Sample, taken: Set<string>, folder: string): string {
  const stem = safeStem(sample.fileName.replace(/\.[^.]+$/, ''));
  let name = `${folder}/${stem}.png`;
  // unique ignoring case: unzipped on macOS or Windows, "A.png" would overwrite "a.png"
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${folder}/${stem}-${i}.png`;
  taken.add(name.toLowerCase());
  return name;
}

/** Where the zip's bytes go as they are made: a file on disk, a list of Blob parts, memory. */
export interface ExportSink {
  write(chunk: Uint8Array): void | Promise<void>;
}

/** One overlay as PNG bytes, drawn and encoded where it is called (cli/png.ts; overlayPng below). */
export type OverlayPngMaker = (job: OverlayJob) => Promise<Uint8Array>;

/** An overlay's PNG bytes, with their CRC-32 where the maker computed it (common/zipCrc.ts). */
export type EncodedOverlay = Uint8Array | WithCrc;

/**
 * One overlay of `sample`, its image got by the maker (the page hands its workers a zip entry's
 * deflated bytes, inflated there, and takes back the PNG with its CRC: state/actions/export.ts).
 */
export type OverlayMaker = (order: OverlayOrder, sample: Sample) => Promise<EncodedOverlay>;

/** An opaque RGBA image (an overlay) as an 8-bit RGB PNG file: opaque, so RGB is a quarter less to deflate and to store. */
export type RgbPngEncoder = (image: RgbaImage) => Uint8Array;

// deflate level 1 is as small here as the default 3 (unfiltered photo rows barely compress) and a fifth faster
const encodeRgbPngJs: RgbPngEncoder = ({ width, height, data }) => {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; j < rgb.length; i += 4, j += 3) (rgb[j] = data[i]), (rgb[j + 1] = data[i + 1]), (rgb[j + 2] = data[i + 2]);
  return encode({ width, height, data: rgb, channels: 3, depth: 8 }, { zlib: { level: 1 } });
};

/** Overlays drawn where they are called, and encoded by `encodeRgb`. */
export function overlayPngWith(encodeRgb: RgbPngEncoder): OverlayPngMaker {
  return async (job) => encodeRgb(await drawOverlay(job));
}

/** One overlay drawn and encoded in pure JS, where it is called (Node tests; the command line uses Node's zlib: cli/png.ts). */
export const overlayPng: OverlayPngMaker = overlayPngWith(encodeRgbPngJs);

export interface ExportHooks {
  /** Who makes the overlays (the page: its workers; the command line: its engines); by default in-process, in pure JS, from bytes read here. */
  makeOverlay?: OverlayMaker;
  /** Overlays made at once (the page: one or two per worker); they are written in order. */
  parallel?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /**
   * Results still coming in (the command line writes the zip while it explains): resolves once
   * this sample's result is in `input.results` (or never will be). The samples are then written in
   * their order as their results arrive, and nothing waits for the whole run. A view with one scale
   * for the whole data set cannot: its first overlay needs every map.
   */
  arrived?: (sample: Sample) => Promise<void>;
}

export class ExportCancelled extends Error {}

/**
 * Streams the export into `sink`: each overlay is rendered, encoded and written, then dropped, so
 * memory stays flat however many images there are; report.csv and settings.json come last.
 */
export async function writeExport(input: ExportInput, sink: ExportSink, hooks: ExportHooks = {}): Promise<{ rows: ExportedRow[] }> {
  const { parallel = 1, onProgress, signal } = hooks;
  const make: OverlayMaker = hooks.makeOverlay ?? (async (order, sample) => overlayPng({ ...order, bytes: await readBytes(sample) }));
  let written: Promise<void> = Promise.resolve();
  let failed: unknown;
  const zip = new Zip((err, chunk) => {
    if (err) failed ??= err;
    else written = written.then(() => sink.write(chunk));
  });
  const add = async (path: string, bytes: Uint8Array, deflate: boolean, crc?: number) => {
    if (crc !== undefined) {
      const entry = storedEntry(path, bytes, crc);
      zip.add(entry);
      entry.write();
    } else {
      const entry = deflate ? new ZipDeflate(path, { level: 6 }) : new ZipPassThrough(path); // PNGs are compressed already
      zip.add(entry);
      entry.push(bytes, true);
    }
    await written; // the sink's pace bounds what is held in memory
    if (failed) throw failed;
  };
  const rows: ExportedRow[] = [];
  const taken = new Set<string>();
  const mapOf = (s: Sample) => {
    const r = input.results[s.id];
    return r && !('error' in r) ? rawMapOf(r, input.view, input.scoreCam?.[s.id]) : undefined;
  };
  const { arrived } = hooks;
  if (arrived && input.view.scope === 'dataset') throw new Error('one scale for the whole data set needs every map before the first overlay: write the export once all results are in');
  // as they arrive: every sample, those without a map left out as they come
  const done = arrived ? input.samples : input.samples.filter((s) => mapOf(s));
  const scale = arrived ? undefined : datasetScale(done.map(mapOf), input.view);
  const making: { path: string; row: ExportedRow; png: Promise<EncodedOverlay> }[] = [];
  const writeOldest = async () => {
    const m = making.shift()!;
    const made = await m.png;
    if (signal?.aborted) throw new ExportCancelled('Export cancelled.');
    if (made instanceof Uint8Array) await add(m.path, made, false);
    else await add(m.path, made.png, false, made.crc);
    rows.push(m.row);
    onProgress?.(rows.length, done.length);
  };
  try {
    for (const sample of done) {
      if (signal?.aborted) throw new ExportCancelled('Export cancelled.');
      await arrived?.(sample);
      const result = input.results[sample.id];
      const map = mapOf(sample);
      if (!result || 'error' in result || !map) continue;
      const p = predictionOf(result, sample.label, input.classNames, input.view.threshold);
      const path = overlayName(sample, taken, p.verdict);
      const png = make({ map, gridWidth: result.gridWidth, gridHeight: result.gridHeight, view: input.view, scale, geometry: input.geometry }, sample);
      making.push({ path, row: { file: sample.path, overlay: path, trueLabel: sample.label ?? '', ...p, faithfulness: input.faithfulness?.method?.[sample.id] }, png });
      if (making.length >= parallel) await writeOldest();
    }
    while (making.length) await writeOldest();
  } finally {
    for (const m of making) m.png.catch(() => undefined); // abandoned after a failure or Cancel
  }
  // classification: the predicted class's probability; regression: the predicted value
  const regression = input.model.info.outputKind === 'regression';
  const faithful = !!input.faithfulness?.method && Object.keys(input.faithfulness.method).length > 0;
  const road = faithful && Object.values(input.faithfulness!.method!).some((f) => f.road !== undefined);
  const header = ['file', 'overlay', 'true_label', 'predicted_label', regression ? 'value' : 'confidence', 'correct', ...(faithful ? ['average_drop', 'increase', 'deletion_auc', 'insertion_auc'] : []), ...(road ? ['road'] : [])];
  const score = (r: ExportedRow) => ('value' in r ? r.value : r.confidence).toFixed(6);
  const faith = (f?: FaithfulnessScore) => [...(f ? [f.averageDrop.toFixed(6), f.increase, f.deletionAuc.toFixed(6), f.insertionAuc.toFixed(6)] : ['', '', '', '']), ...(road ? [f?.road?.toFixed(6) ?? ''] : [])];
  const csv = [header.join(','), ...rows.map((r) => [r.file, r.overlay, r.trueLabel, r.predicted, score(r), r.verdict === 'correct', ...(faithful ? faith(r.faithfulness) : [])].map(csvCell).join(','))].join('\n') + '\n';
  await add('report.csv', new TextEncoder().encode(csv), true);
  const { view } = input;
  const settings = {
    model: input.model.name,
    layer: input.targetLayer,
    ...(input.finer?.layers && input.finer.layers.length > 1 ? { layers: input.finer.layers, fusion: input.finer.fusion ?? 'max' } : {}),
    ...(input.finer?.smooth ? { smooth: input.finer.smooth } : {}),
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
    ...(faithful ? { faithfulness: faithfulnessSettings(input.faithfulness!) } : {}),
    ...(input.sanity ? { sanity: sanitySettings(input.sanity, view.pooling) } : {}),
  };
  await add('settings.json', new TextEncoder().encode(JSON.stringify(settings, null, 2) + '\n'), true);
  zip.end();
  await written;
  if (failed) throw failed;
  return { rows };
}

/** The whole export in memory (tests; the command line streams it to disk with writeExport). */
export async function buildExport(input: ExportInput, hooks: ExportHooks = {}): Promise<{ zip: Uint8Array; rows: ExportedRow[] }> {
  const chunks: Uint8Array[] = [];
  const { rows } = await writeExport(input, { write: (c) => void chunks.push(c) }, hooks);
  const zip = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) (zip.set(c, at), (at += c.length));
  return { zip, rows };
}
