// The command line: the old deployment block's job, headless, with its flags. Reuses the
// app's sources, engine, render and export, so the zip is what the app would export.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fingerprint } from '../common/fingerprint';
import { checkClasses } from '../common/limits';
import api from '../engine/workerApi';
import { explainAll } from '../engine/explainAll';
import type { RunOptions, SampleResult } from '../engine/types';
import { prepareImages } from '../image/prepare';
import type { InputGeometry, OverlayOrder } from '../render/overlay';
import type { ViewSettings } from '../results/view';
import type { Sample } from '../sources/datasets/dataset';
import { writeExport, type ExportSink } from '../export/exportZip';
import { overlayPngNode as overlayPng } from './png';
import { buildDataset, defaultSplit, samplesOfSplit } from '../sources/datasets/dataset';
import { expandDrop, readBytes, type DroppedFile } from '../sources/datasets/files';
import { readFiles } from './files';
import { readModelDrop } from '../sources/models/modelFiles';
import { readProject, type ProjectFacts } from '../sources/edge-impulse/project';
import { downloadModel, exportDataset } from '../sources/edge-impulse/download';
import { DEFAULT_VIEW } from '../results/view';
import { classNamesFromLabels } from '../results/classNames';
import type { Fusion, Smoothing } from '../methods/fusion';
import { DEFAULT_EXPLAIN } from '../state/store';
import { inputGeometry, runOptions, sampleById, targetLayerOf } from '../state/selectors';
import type { Split } from '../sources/datasets/labels';
import { DEFAULT_PREPROCESS, modelInputSpec, type InputScaling, type ResizeMode } from '../image/preprocess';
import { startEngines } from './enginePool';
import { parseCli, USAGE } from './flags';
import { sanityChecks, scoreFaithfulness } from './steps';
import { fastestBackend, pickBatch } from '../engine/tune';

export interface CliIo {
  log: (line: string) => void;
  /** Progress of the run (main.ts: a bar on a terminal's stderr, plain lines otherwise); default: lines through log. */
  progress?: (done: number, total: number) => void;
  fetch?: typeof fetch;
  /** The built command line's own file: started as a worker thread it serves an engine (main.ts). Without it, one engine in-process. */
  engineEntry?: URL;
  /** Why Dawn's WebGPU could not be loaded, when --backend asked for it (main.ts, webgpu.ts). */
  webGpuMissing?: string;
}

/**
 * The CPU time an image costs besides the model's step, in ms: decoded and preprocessed, and its
 * overlay drawn and encoded as the export does, on up to 8 of the images (in-process, one at a time).
 */
async function cpuMsPerImage(samples: Sample[], options: RunOptions, view: ViewSettings, geometry: InputGeometry | undefined, inputShape: number[]): Promise<number> {
  const picked = Array.from({ length: Math.min(8, samples.length) }, (_, i) => samples[Math.floor((i * samples.length) / Math.min(8, samples.length))]);
  const spec = modelInputSpec(inputShape, options);
  const once = async (s: Sample) => {
    const bytes = await readBytes(s);
    const [p] = await prepareImages([{ id: s.id, bytes }], spec);
    if ('error' in p) throw new Error(p.error);
    await overlayPng({ bytes, map: new Float32Array(1), gridWidth: 1, gridHeight: 1, view, geometry });
  };
  // each image twice, the second timed: the first calls compile the decoders and the encoder (8 doodles cold: ~13 ms each, warm ~2)
  let timed = 0, ms = 0;
  for (const s of picked) {
    try {
      await once(s);
      const started = performance.now();
      await once(s);
      ms += performance.now() - started;
      timed++;
    } catch {
      // an unreadable file costs nothing here; the run reports it
    }
  }
  return timed ? ms / timed : 0;
}

/** Runs the command line; returns the exit code. */
export async function runCli(argv: string[], io: CliIo = { log: console.log }): Promise<number> {
  const { a, alpha, pooling, normalization, method, jobs, faithfulness: how } = parseCli(argv, io.webGpuMissing);
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
    datasetFiles = readFiles(cached('export.zip'), { leaveOnDisk: true });
    modelFiles = [{ path: 'model.zip', bytes: new Uint8Array(fs.readFileSync(cached('model.zip'))) }];
  } else if (a.dataset && a.model?.length) {
    datasetFiles = readFiles(a.dataset, { leaveOnDisk: true });
    modelFiles = a.model.flatMap((m) => readFiles(m));
  } else {
    io.log(USAGE);
    return 2;
  }

  const asked = a.backend as 'wasm' | 'cpu' | 'webgpu' | 'auto';
  await api.init(asked === 'auto' ? 'wasm' : asked);
  const modelDrop = await readModelDrop(modelFiles);
  const loaded = modelDrop.files.map((f) => ({ name: f.path, bytes: f.bytes }));
  const modelName = facts?.learnBlock.title ?? path.basename(a.model?.[0] ?? 'model');
  const info = await api.loadModel(loaded, modelName);
  checkClasses(info.outputCount);
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
  // the batch size this machine runs this model fastest at ('auto': and the backend, WASM or WebGPU)
  const tuned = await api.tune(asked);
  let { backend, batchSize = 16 } = tuned;
  if (asked === 'auto') {
    // the app's choice is per engine; here WASM runs one engine per core, a GPU one engine
    const { measured = {}, skipped = {}, unavailable } = tuned;
    // and the CPU work of an image besides the step (decoding, preprocessing, its overlay for the
    // export): a GPU's helpers do all of it on one core fewer, and the export decodes again
    const cpuMs = measured.webgpu ? await cpuMsPerImage(samples, options, { ...DEFAULT_VIEW, alpha, method, pooling, normalization }, inputGeometry(state.model, preprocess), info.inputShape) : 0;
    const best = fastestBackend(measured, jobs, cpuMs);
    if (best && best.backend !== backend) {
      await api.init(best.backend);
      ({ backend, batchSize } = best);
    }
    const rates = Object.entries(measured).map(([name, t]) => `${name} ${(1000 / pickBatch(t!).msPerImage).toFixed(0)} images/s${name === 'wasm' && jobs > 1 ? ` an engine, ${jobs} engines` : ''}`);
    const left = Object.entries({ ...skipped, ...unavailable, ...(io.webGpuMissing && { webgpu: io.webGpuMissing }) }).map(([name, why]) => `${name}: ${why}`);
    io.log(`Backend: ${backend} (${rates.join(', ')} on this model's Grad-CAM step${cpuMs ? `, ${cpuMs.toFixed(1)} ms of CPU work an image besides it` : ''}${left.length ? `; ${left.join('; ')}` : ''})`);
  }
  // more engines only where each gets at least two batches (each one loads the model: a second or two);
  // on a GPU, one engine and the other threads its helpers (they load no model)
  const threads = backend === 'webgpu' ? jobs : Math.min(jobs, Math.ceil(samples.length / (2 * batchSize)));
  const engines = await startEngines(io.engineEntry, threads, backend, { files: loaded, name: modelName }, io.log);
  const who = engines.helpers ? `one engine on ${backend}, ${engines.helpers} thread${engines.helpers > 1 ? 's' : ''} preparing its images` : engines.count === 1 ? 'one engine' : `${engines.count} engines at once`;
  io.log(`Explaining ${samples.length} images (${split}), ${batchSize} a batch, ${who}…`);

  const results: Record<string, SampleResult> = {};
  const view = { ...DEFAULT_VIEW, alpha, method, pooling, normalization };
  const geometry = inputGeometry(state.model, preprocess);
  // each overlay drawn as its image is explained, from the same decode, while the PNGs waiting for
  // the zip stay under a quarter of this machine's memory (1 GB at most); a data-set-wide scale
  // needs every map first, so it is drawn at export time
  if (view.scope === 'image') engines.drawWhileExplaining({ view, geometry }, Math.min(1 << 30, os.totalmem() / 4));
  // With a scale per image and no faithfulness scores or sanity checks (made once every map is in),
  // the zip is written while the images are explained: each overlay goes into it as soon as it is
  // drawn, rather than all of them waiting for the run's end (10,000 photos: ~1 GB of PNGs).
  const streamed = view.scope === 'image' && !how && !a.sanity;
  const arrivals = resultArrivals((id) => id in results);
  let final, rows;
  let seconds = 0;
  let faithfulness: Awaited<ReturnType<typeof scoreFaithfulness>> | undefined;
  let sanity: Awaited<ReturnType<typeof sanityChecks>> | undefined;
  fs.mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, 'deploy.zip');
  const input = () => ({ samples, results, view, classNames, model: state.model, targetLayer: layers?.[0] ?? targetLayer, finer, preprocess, geometry, score: DEFAULT_EXPLAIN.score, faithfulness, sanity });
  // the overlay drawn while explaining, else drawn and encoded by an engine (two at a time each):
  // the image is read again only then
  const hooks = {
    makeOverlay: async (order: OverlayOrder, sample: Sample) => engines.takeOverlay(sample.id) ?? engines.overlayPng({ ...order, bytes: await readBytes(sample) }),
    parallel: 2 * engines.drawers,
    arrived: streamed ? (s: Sample) => arrivals.of(s.id) : undefined,
  };
  const write = () => writtenTo(out, (sink) => writeExport(input(), sink, hooks));
  try {
    const started = performance.now();
    // a deflated entry goes to its engine as it is and is inflated there, off this thread
    const explaining = explainAll(engines, samples.map((s) => ({ id: s.id, deflated: s.deflated, read: s.read, readDeflated: s.readDeflated, get bytes() { return s.bytes; } })), options, {
      batchSize,
      inFlight: 2 * engines.count + 1, // each engine has its next batch waiting when it finishes one
      onBatch: (outcomes, p) => {
        for (const o of outcomes) {
          results[o.id] = o;
          arrivals.arrive(o.id);
        }
        if (io.progress) io.progress(p.done, p.total);
        else if (p.done === p.total || p.done % 256 < outcomes.length) io.log(`  ${p.done}/${p.total}`);
      },
    }).then(
      (done) => {
        seconds = (performance.now() - started) / 1000;
        arrivals.end();
        return done;
      },
      (e) => {
        arrivals.end(e);
        throw e;
      },
    );
    // either failing fails both at once (the engines are closed below)
    const [explained, written] = await Promise.all([explaining, streamed ? write() : undefined]);
    final = explained;
    for (const o of Object.values(results)) if ('error' in o) io.log(`  skipped ${sampleById(dataset, o.id)?.path ?? o.id}: ${o.error}`);
    if (written) rows = written.rows;
    else {
      faithfulness = how ? await scoreFaithfulness(engines, samples, results, view, info.inputShape, options, how, io.log) : undefined;
      sanity = a.sanity ? await sanityChecks(samples, results, pooling, options, io.log) : undefined;
      ({ rows } = await write());
    }
  } finally {
    await engines.close();
  }
  const correct = rows.filter((r) => r.verdict === "correct").length;
  io.log(`Done: ${final.done - final.failed} explained in ${seconds.toFixed(1)} s (${((final.done - final.failed) / seconds).toFixed(1)} images/s): ${correct} correct, ${rows.length - correct} incorrect${final.failed ? `, ${final.failed} unreadable` : ''}`);
  io.log(`Wrote ${out}`);
  return 0;
}

/**
 * Each sample's result as the run delivers it, for the zip written meanwhile: `of(id)` resolves
 * once that result is in (`isIn`, the run's own record of them), or the run ended without it, and
 * fails if the run failed. `arrive(id)` once the result is in.
 */
function resultArrivals(isIn: (id: string) => boolean) {
  const waiting = new Map<string, { resolve: () => void; reject: (e: unknown) => void }>();
  let ended: { error?: unknown } | undefined;
  return {
    arrive(id: string) {
      waiting.get(id)?.resolve();
      waiting.delete(id);
    },
    end(error?: unknown) {
      ended = { error };
      for (const w of waiting.values()) if (error) w.reject(error); else w.resolve();
      waiting.clear();
    },
    of(id: string): Promise<void> {
      if (isIn(id) || (ended && !ended.error)) return Promise.resolve();
      if (ended) return Promise.reject(ended.error);
      return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
    },
  };
}

/**
 * What `make` writes, to the file `out` as it is made (gathered and then joined, 10,000 photos'
 * ~1 GB of overlays took twice that in memory), under another name until it is complete: a
 * failure leaves no half-written file.
 */
async function writtenTo<T>(out: string, make: (sink: ExportSink) => Promise<T>): Promise<T> {
  const partial = `${out}.partial`;
  const fd = fs.openSync(partial, 'w');
  let complete = false;
  try {
    const made = await make({ write: (chunk) => { for (let at = 0; at < chunk.length; ) at += fs.writeSync(fd, chunk, at); } });
    complete = true;
    return made;
  } finally {
    fs.closeSync(fd);
    if (complete) fs.renameSync(partial, out);
    else fs.rmSync(partial, { force: true });
  }
}
