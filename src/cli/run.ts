// The command line: the old deployment block's job, headless, with its flags. Reuses the
// app's sources, engine, render and export, so the zip is what the app would export.
import { fingerprint } from '../common/fingerprint';
import { checkClasses, fromUnit, LIMIT_SPECS, setLimits, toUnit } from '../common/limits';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import api from '../engine/workerApi';
import { explainAll } from '../engine/explainAll';
import { startEngines, type Engines } from './enginePool';
import type { RunOptions, SampleResult } from '../engine/types';
import { buildExport } from '../export/exportZip';
import { buildDataset, defaultSplit, samplesOfSplit } from '../sources/datasets/dataset';
import { expandDrop, type DroppedFile } from '../sources/datasets/files';
import { readModelDrop } from '../sources/models/modelFiles';
import { readProject, type ProjectFacts } from '../sources/edge-impulse/project';
import { downloadModel, exportDataset } from '../sources/edge-impulse/download';
import { DEFAULT_VIEW, rawMapOf, type ViewSettings } from '../results/view';
import { REFERENCE_MAPS, saliencies, summarize } from '../results/faithfulness';
import type { FaithfulnessScore } from '../methods/faithfulness';
import { classNamesFromLabels } from '../results/classNames';
import { mapKey, METHODS, type MethodId, type Pooling } from '../methods/registry';
import { readSanity, sanitySample, SANITY_STAGES } from '../results/sanity';
import { FUSIONS, SMOOTHINGS, type Fusion, type Smoothing } from '../methods/fusion';
import { DEFAULT_EXPLAIN } from '../state/store';
import { inputGeometry, methodSet, runOptions, sampleById, targetLayerOf } from '../state/selectors';
import type { Split } from '../sources/datasets/labels';
import { DEFAULT_PREPROCESS, INPUT_SCALINGS, RESIZE_MODES, type InputScaling, type ResizeMode } from '../image/preprocess';

/** Methods computed in the run's own pass (those computed on request need the app). */
const CLI_METHODS = METHODS.filter((m) => !m.onRequest).map((m) => m.id);

export const USAGE = `gradcam — Grad-CAM over a labelled test set, headless (the Edge Impulse deployment block's job)

  Edge Impulse:  gradcam --api-key ei_… [--api-host URL] [--out-directory DIR]
  Deploy block:  gradcam --metadata deployment-metadata.json
  Local files:   gradcam --dataset export.zip --model model.h5 [--model class_names.txt …]

  --alpha 0..1                      overlay strength (default 0.4): (1−alpha)·image + alpha·heatmap
  --method ${CLI_METHODS.join('|')}   (default gradcam)
  --pooling-gradients mean|sum_abs  Grad-CAM pooling (default mean; the old block's code used sum_abs)
  --heatmap-normalization percentile|simple   (default percentile: clip at the 99th percentile)
  --skip-dataset-download           reuse the export and model downloaded by an earlier run
  --split testing|training|validation|all     (default testing when there is one)
  --scaling, --resize-mode          preprocessing for local files (Edge Impulse projects bring theirs)
  --out-directory DIR               where deploy.zip goes (default ./output)
  --backend wasm|cpu|webgpu         TF.js backend (default wasm; webgpu where Node has it, see ../shared/gpu)
  --jobs N                          engines computing at once, one per core (default: this machine's ${os.availableParallelism()} cores)
  --sanity                          also run the sanity checks on 16 images (model and class randomisation): in settings.json
  --layers a,b,c                    explain at these spatial layers and fuse the maps (finer maps for small models)
  --fusion max|mean                 how --layers combine: maximum of min–max scaled maps (default) or their mean
  --smooth aug|eigen                aug-smooth: average over horizontal flip × brightness 0.9/1/1.1 (6× the work);
                                    eigen-smooth: each map the first principal component of the weighted activations
  --faithfulness                    also score the maps (deletion, insertion, Average Drop) against a random
                                    and a centred Gaussian map: columns in report.csv, means in settings.json
${LIMIT_SPECS.map((s) => `  ${`${s.flag} N`.padEnd(34)}${s.label.toLowerCase()}${s.unit === 'count' ? '' : `, ${s.unit}`} (default ${toUnit(s, s.fallback)})`).join('\n')}
The API key is never printed; it is sent only to the API host.`;

export interface CliIo {
  log: (line: string) => void;
  /** Progress of the run (main.ts: a bar on a terminal's stderr, plain lines otherwise); default: lines through log. */
  progress?: (done: number, total: number) => void;
  fetch?: typeof fetch;
  /** The built command line's own file: started as a worker thread it serves an engine (main.ts). Without it, one engine in-process. */
  engineEntry?: URL;
}

function readFiles(p: string): DroppedFile[] {
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return [{ path: path.basename(p), bytes: new Uint8Array(fs.readFileSync(p)) }];
  const out: DroppedFile[] = [];
  const walk = (dir: string, rel: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name), `${rel}${e.name}/`);
      else out.push({ path: `${rel}${e.name}`, bytes: new Uint8Array(fs.readFileSync(path.join(dir, e.name))) });
    }
  };
  walk(p, `${path.basename(p)}/`);
  return out;
}

/** Every flag the command line takes (parameters.json's params are checked against these). */
export const CLI_OPTIONS = {
  'api-key': { type: 'string' },
  'api-host': { type: 'string', default: 'https://studio.edgeimpulse.com' },
  metadata: { type: 'string' },
  alpha: { type: 'string', default: '0.4' },
  'pooling-gradients': { type: 'string', default: 'mean' },
  method: { type: 'string', default: 'gradcam' },
  'heatmap-normalization': { type: 'string', default: 'percentile' },
  'skip-dataset-download': { type: 'boolean', default: false },
  split: { type: 'string' },
  dataset: { type: 'string' },
  model: { type: 'string', multiple: true },
  scaling: { type: 'string', default: '0..1' },
  'resize-mode': { type: 'string', default: 'squash' },
  'out-directory': { type: 'string' },
  'poll-ms': { type: 'string', default: '2000' },
  help: { type: 'boolean', default: false },
  faithfulness: { type: 'boolean', default: false },
  sanity: { type: 'boolean', default: false },
  backend: { type: 'string', default: 'wasm' },
  jobs: { type: 'string' },
  layers: { type: 'string' },
  fusion: { type: 'string', default: 'max' },
  smooth: { type: 'string' },
  ...Object.fromEntries(LIMIT_SPECS.map((s) => [s.flag.slice(2), { type: 'string' as const }])),
} as const;

/** Edge Impulse passes a block's boolean parameters as "--flag true|false": fold them into the flag or drop them. */
function foldFlagValues(argv: string[]): string[] {
  const booleans = new Set(Object.entries(CLI_OPTIONS).filter(([, o]) => o.type === 'boolean').map(([k]) => `--${k}`));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if (booleans.has(argv[i]) && (next === 'true' || next === 'false')) {
      if (next === 'true') out.push(argv[i]);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}

/** The flags, checked: a clear message for each wrong value. Sets the limits they name. */
export function parseCli(argv: string[]) {
  const { values: a } = parseArgs({
    args: foldFlagValues(argv),
    options: CLI_OPTIONS,
  });
  for (const s of LIMIT_SPECS) {
    const v = (a as Record<string, unknown>)[s.flag.slice(2)];
    if (v === undefined) continue;
    if (!(Number(v) > 0)) throw new Error(`${s.flag} must be a positive number (got ${v})`);
    setLimits({ [s.key]: fromUnit(s, Number(v)) });
  }
  const alpha = Number(a.alpha);
  const pooling = a['pooling-gradients'];
  const normalization = a['heatmap-normalization'];
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`--alpha must be between 0 and 1 (got ${a.alpha})`);
  if (pooling !== 'mean' && pooling !== 'sum_abs') throw new Error(`--pooling-gradients must be mean or sum_abs (got ${pooling})`);
  if (normalization !== 'percentile' && normalization !== 'simple') throw new Error(`--heatmap-normalization must be percentile or simple (got ${normalization})`);
  const method = a.method as MethodId;
  if (!CLI_METHODS.includes(method)) throw new Error(`--method must be one of ${CLI_METHODS.join(', ')} (got ${a.method})`);
  if (!INPUT_SCALINGS.includes(a.scaling as InputScaling)) throw new Error(`--scaling must be one of ${INPUT_SCALINGS.join(', ')} (got ${a.scaling})`);
  if (!['wasm', 'cpu', 'webgpu'].includes(a.backend)) throw new Error(`--backend must be wasm, cpu or webgpu (got ${a.backend})`);
  if (a.backend === 'webgpu' && typeof (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu === 'undefined') {
    throw new Error('--backend webgpu: this Node has no WebGPU (navigator.gpu). Run it with Dawn\'s Node bindings as ../shared/gpu/README.md describes, or use --backend wasm.');
  }
  if (!FUSIONS.includes(a.fusion as Fusion)) throw new Error(`--fusion must be max or mean (got ${a.fusion})`);
  if (a.smooth !== undefined && !SMOOTHINGS.includes(a.smooth as Smoothing)) throw new Error(`--smooth must be aug or eigen (got ${a.smooth})`);
  const jobs = a.jobs === undefined ? os.availableParallelism() : Number(a.jobs);
  if (!(Number.isInteger(jobs) && jobs >= 1)) throw new Error(`--jobs must be a whole number from 1 (got ${a.jobs})`);
  if (!RESIZE_MODES.includes(a['resize-mode'] as ResizeMode)) throw new Error(`--resize-mode must be one of ${RESIZE_MODES.join(', ')} (got ${a['resize-mode']})`);

  return { a, alpha, pooling: pooling as Pooling, normalization: normalization as 'percentile' | 'simple', method, jobs };
}

/** Runs the command line; returns the exit code. */
export async function runCli(argv: string[], io: CliIo = { log: console.log }): Promise<number> {
  const { a, alpha, pooling, normalization, method, jobs } = parseCli(argv);
  if (a.help) return io.log(USAGE), 0;
  let apiKey = a['api-key'];
  let outDir = a['out-directory'] ?? 'output';
  if (a.metadata) {
    const meta = JSON.parse(fs.readFileSync(a.metadata, 'utf8')) as { project?: { apiKey?: string }; folders?: { output?: string } };
    apiKey ??= meta.project?.apiKey;
    outDir = a['out-directory'] ?? meta.folders?.output ?? outDir;
  }
  const cache = path.join(outDir, 'cache');
  let datasetFiles: DroppedFile[];
  let modelFiles: DroppedFile[];
  let facts: ProjectFacts | undefined;
  const preprocess = { ...DEFAULT_PREPROCESS, scaling: a.scaling as InputScaling, resizeMode: a['resize-mode'] as ResizeMode };

  if (apiKey) {
    const c = { apiHost: a['api-host'].replace(/\/+$/, ''), apiKey, fetch: io.fetch };
    facts = await readProject(c, (s) => io.log(s));
    io.log(`Project "${facts.projectName}" (#${facts.projectId}): ${facts.learnBlock.title}, ${facts.mode}, ${facts.image.width}×${facts.image.height} ${facts.image.resizeMode}, ${facts.channels}, scaling ${facts.imageInputScaling}`);
    Object.assign(preprocess, { scaling: facts.imageInputScaling, resizeMode: facts.image.resizeMode, resizeMethod: facts.image.resizeMethod });
    const cached = (name: string) => path.join(cache, name);
    if (a['skip-dataset-download']) {
      if (!fs.existsSync(cached('export.zip')) || !fs.existsSync(cached('model.zip'))) throw new Error(`--skip-dataset-download: no earlier download in ${cache}; run once without it.`);
      io.log(`Reusing the download in ${cache}`);
    } else {
      fs.mkdirSync(cache, { recursive: true });
      fs.writeFileSync(cached('export.zip'), await exportDataset(c, facts, { onStep: (s) => io.log(s), pollMs: Number(a['poll-ms']) }));
      fs.writeFileSync(cached('model.zip'), await downloadModel(c, facts, (s) => io.log(s)));
    }
    datasetFiles = [{ path: 'export.zip', bytes: new Uint8Array(fs.readFileSync(cached('export.zip'))) }];
    modelFiles = [{ path: 'model.zip', bytes: new Uint8Array(fs.readFileSync(cached('model.zip'))) }];
  } else if (a.dataset && a.model?.length) {
    datasetFiles = readFiles(a.dataset);
    modelFiles = a.model.flatMap(readFiles);
  } else {
    io.log(USAGE);
    return 2;
  }

  const backend = a.backend as 'wasm' | 'cpu' | 'webgpu';
  await api.init(backend);
  const modelDrop = await readModelDrop(modelFiles);
  const loaded = modelDrop.files.map((f) => ({ name: f.path, bytes: f.bytes }));
  const modelName = facts?.learnBlock.title ?? path.basename(a.model?.[0] ?? 'model');
  const info = await api.loadModel(loaded, modelName);
  checkClasses(info.outputCount);
  const { batchSize = 16 } = await api.tune(backend); // the batch size this machine runs this model fastest at
  const dataset = buildDataset(path.basename(a.dataset ?? 'export.zip'), await expandDrop(datasetFiles));
  const split = (a.split as Split | 'all' | undefined) ?? defaultSplit(dataset);
  const samples = samplesOfSplit(dataset, split);
  const classNames = facts?.classNames.length ? facts.classNames : modelDrop.classNames ?? classNamesFromLabels(dataset.samples);
  // the same decisions the app makes, from the same selectors
  const state = { model: { name: info.name, info, key: fingerprint(loaded) }, preprocess, explain: DEFAULT_EXPLAIN };
  const targetLayer = targetLayerOf(state) ?? info.defaultTargetLayer;
  // --layers / --fusion / --smooth: finer maps, on top of the app's own run options
  const layers = a.layers?.split(',').map((l) => l.trim()).filter(Boolean);
  for (const l of layers ?? []) if (!info.targetLayers.some((t) => t.path === l)) throw new Error(`--layers: "${l}" is not a spatial layer of this model; it has ${info.targetLayers.map((t) => t.path).join(', ')}`);
  const finer = { layers, fusion: a.fusion as Fusion, smooth: a.smooth as Smoothing | undefined };
  const options = { ...runOptions(state), ...finer };
  const layerText = layers && layers.length > 1 ? `layers ${layers.join(' + ')} fused (${finer.fusion})` : `layer ${layers?.[0] ?? targetLayer}`;
  io.log(`Model: ${info.format}, input ${info.inputShape.join('×')}, ${info.outputKind}${info.outputKind === 'classification' ? ` (${info.outputCount} classes)` : ''}, ${layerText}${finer.smooth ? `, ${finer.smooth}-smooth` : ''}`);
  // more engines only where each gets at least two batches (each one loads the model: a second or two)
  const engines = await startEngines(io.engineEntry, Math.min(jobs, Math.ceil(samples.length / (2 * batchSize))), backend, { files: loaded, name: modelName }, io.log);
  io.log(`Explaining ${samples.length} images (${split}), ${batchSize} a batch, ${engines.count === 1 ? 'one engine' : `${engines.count} engines at once`}…`);

  const results: Record<string, SampleResult> = {};
  const view = { ...DEFAULT_VIEW, alpha, method, pooling, normalization };
  let final, seconds, faithfulness, sanity, zip, rows;
  try {
    const started = performance.now();
    final = await explainAll(engines, samples.map((s) => ({ id: s.id, get bytes() { return s.bytes; } })), options, {
      batchSize,
      inFlight: 2 * engines.count + 1, // each engine has its next batch waiting when it finishes one
      onBatch: (outcomes, p) => {
        for (const o of outcomes) results[o.id] = o;
        if (io.progress) io.progress(p.done, p.total);
        else if (p.done === p.total || p.done % 256 < outcomes.length) io.log(`  ${p.done}/${p.total}`);
      },
    });
    seconds = (performance.now() - started) / 1000;
    for (const o of Object.values(results)) if ('error' in o) io.log(`  skipped ${sampleById(dataset, o.id)?.path ?? o.id}: ${o.error}`);
    faithfulness = a.faithfulness ? await scoreFaithfulness(engines, samples, results, view, info.inputShape, options, io) : undefined;
    sanity = a.sanity ? await sanityChecks(samples, results, pooling, options, io) : undefined;
    // the overlays are drawn and encoded by the engines too, two at a time each
    ({ zip, rows } = await buildExport(
      { samples, results, view, classNames, model: state.model, targetLayer: layers?.[0] ?? targetLayer, finer, preprocess, geometry: inputGeometry(state.model, preprocess), score: DEFAULT_EXPLAIN.score, faithfulness, sanity },
      { makePng: engines.overlayPng, parallel: 2 * engines.count },
    ));
  } finally {
    await engines.close();
  }
  fs.mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, 'deploy.zip');
  fs.writeFileSync(out, zip);
  const correct = rows.filter((r) => r.verdict === "correct").length;
  io.log(`Done: ${final.done - final.failed} explained in ${seconds.toFixed(1)} s (${((final.done - final.failed) / seconds).toFixed(1)} images/s): ${correct} correct, ${rows.length - correct} incorrect${final.failed ? `, ${final.failed} unreadable` : ''}`);
  io.log(`Wrote ${out}`);
  return 0;
}

/** --sanity: the app's sanity checks on the in-process engine, on the same sample of explained images, read out as the app reads them. */
async function sanityChecks(samples: { id: string; bytes: Uint8Array }[], results: Record<string, SampleResult>, pooling: Pooling, options: RunOptions, io: CliIo) {
  const picked = sanitySample(samples.filter((s) => { const r = results[s.id]; return r && !('error' in r); }));
  io.log(`Sanity checks on ${picked.length} images…`);
  const report = await api.sanityChecks(picked.map((s) => ({ id: s.id, bytes: s.bytes })), options, SANITY_STAGES);
  io.log(`  re-initialised, from the output down: ${report.layers.join(', then ')}`);
  for (const m of METHODS) {
    const r = readSanity(report, mapKey(m.id, pooling), m.classSensitive);
    if (r) io.log(`  ${m.id}: ${r.model.map((v) => v.toFixed(2)).join(' → ')}; another class ${r.anotherClass === undefined ? '—' : r.anotherClass.toFixed(2)}: ${r.reading}`);
  }
  return report;
}

/** --faithfulness: the method's maps and the two reference maps scored on every explained image, as the app does. */
async function scoreFaithfulness(engines: Engines, samples: { id: string; bytes: Uint8Array }[], results: Record<string, SampleResult>, view: ViewSettings, [h, w]: readonly number[], options: RunOptions, io: CliIo) {
  const current = methodSet({ view });
  const sets = [current, ...REFERENCE_MAPS];
  const byName: Record<string, Record<string, FaithfulnessScore>> = Object.fromEntries(sets.map((n) => [n, {}]));
  const todo = samples.filter((s) => { const r = results[s.id]; return r && !('error' in r); });
  io.log(`Faithfulness: ${todo.length} images × ${sets.length} maps…`);
  // groups of 8 images, one group per engine at a time
  const groups = Array.from({ length: Math.ceil(todo.length / 8) }, (_, g) => g * 8);
  const score = async (i: number) => {
    const requests = todo.slice(i, i + 8).map((sample, k) => {
      const r = results[sample.id] as Exclude<SampleResult, { error: string }>;
      return { id: sample.id, bytes: sample.bytes, targetClass: r.targetIndex, saliencies: saliencies(sets, current, rawMapOf(r, view), r, w, h, view, undefined, i + k + 1) };
    });
    for (const o of await engines.faithfulness(requests, options)) if ('scores' in o) sets.forEach((n, j) => (byName[n][o.id] = o.scores[j]));
  };
  await Promise.all(Array.from({ length: engines.count }, async () => {
    for (let g = groups.shift(); g !== undefined; g = groups.shift()) await score(g);
  }));
  for (const n of sets) {
    const s = summarize(Object.values(byName[n]));
    if (s) io.log(`  ${n}: deletion ${s.deletion.mean.toFixed(3)}, insertion ${s.insertion.mean.toFixed(3)}, Average Drop ${s.averageDrop.toFixed(1)} %, increase ${s.increase.toFixed(1)} %`);
  }
  return { method: byName[current], random: byName.random, gaussian: byName.gaussian };
}
