// The command line's flags: the usage text, every option (parameters.json's parameters are checked
// against them), and parsing with a clear message for each wrong value.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { fromUnit, LIMIT_SPECS, setLimits, toUnit } from '../common/limits';
import { METHODS, type MethodId, type Pooling } from '../methods/registry';
import { FUSIONS, SMOOTHINGS, type Fusion, type Smoothing } from '../methods/fusion';
import { BASELINES, type Baseline } from '../methods/faithfulness';
import { INPUT_SCALINGS, RESIZE_MODES, type InputScaling, type ResizeMode } from '../image/preprocess';

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
  --backend wasm|cpu|webgpu|auto    TF.js backend (default wasm). webgpu needs Dawn: \`npm install webgpu\` or
                                    DAWN_NODE=path/to/dawn.node; on WebGPU one engine runs on the GPU and
                                    the other --jobs threads decode its images and draw the overlays.
                                    auto times this model on WASM and on WebGPU (where there is one) and
                                    takes the faster, counting WASM once per --jobs engine
  --jobs N                          engines computing at once, one per core (default: this machine's ${os.availableParallelism()} cores)
  --sanity                          also run the sanity checks on 16 images (model and class randomisation): in settings.json
  --layers a,b,c                    explain at these spatial layers and fuse the maps (finer maps for small models)
  --fusion max|mean                 how --layers combine: maximum of min–max scaled maps (default) or their mean
  --smooth aug|eigen                aug-smooth: average over horizontal flip × brightness 0.9/1/1.1 (6× the work);
                                    eigen-smooth: each map the first principal component of the weighted activations
  --faithfulness                    also score the maps (deletion, insertion, Average Drop) against a random
                                    and a centred Gaussian map: columns in report.csv, means in settings.json
  --faithfulness-baseline black|blur|mean   what removed pixels become (default black, in model-input space)
  --road                            also ROAD (noisy linear imputation, 10…90 %): a road column; implies --faithfulness
${LIMIT_SPECS.map((s) => `  ${`${s.flag} N`.padEnd(34)}${s.label.toLowerCase()}${s.unit === 'count' ? '' : `, ${s.unit}`} (default ${toUnit(s, s.fallback)})`).join('\n')}
The API key is never printed; it is sent only to the API host.`;
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
  'faithfulness-baseline': { type: 'string', default: 'black' },
  road: { type: 'boolean', default: false },
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
export function parseCli(argv: string[], webGpuMissing?: string) {
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
  if (!['wasm', 'cpu', 'webgpu', 'auto'].includes(a.backend)) throw new Error(`--backend must be wasm, cpu, webgpu or auto (got ${a.backend})`);
  if (a.backend === 'webgpu' && typeof (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu === 'undefined') {
    throw new Error(`--backend webgpu: this Node has no WebGPU (${webGpuMissing ?? 'navigator.gpu is missing'}). Install Dawn's Node bindings (\`npm install webgpu\`) or set DAWN_NODE to a dawn.node; else use --backend wasm.`);
  }
  if (!FUSIONS.includes(a.fusion as Fusion)) throw new Error(`--fusion must be max or mean (got ${a.fusion})`);
  if (a.smooth !== undefined && !SMOOTHINGS.includes(a.smooth as Smoothing)) throw new Error(`--smooth must be aug or eigen (got ${a.smooth})`);
  if (!BASELINES.includes(a['faithfulness-baseline'] as Baseline)) throw new Error(`--faithfulness-baseline must be one of ${BASELINES.join(', ')} (got ${a['faithfulness-baseline']})`);
  const faithfulness = a.faithfulness || a.road ? { baseline: a['faithfulness-baseline'] as Baseline, road: a.road } : undefined;
  const jobs = a.jobs === undefined ? os.availableParallelism() : Number(a.jobs);
  if (!(Number.isInteger(jobs) && jobs >= 1)) throw new Error(`--jobs must be a whole number from 1 (got ${a.jobs})`);
  if (!RESIZE_MODES.includes(a['resize-mode'] as ResizeMode)) throw new Error(`--resize-mode must be one of ${RESIZE_MODES.join(', ')} (got ${a['resize-mode']})`);

  return { a, alpha, pooling: pooling as Pooling, normalization: normalization as 'percentile' | 'simple', method, jobs, faithfulness };
}
