// Every CAM method, in the order the user sees them. The view, the controls, the export, the
// command line, the engine and the tests read this list; adding a method is one file plus one
// line here.
import { eigenCam } from './eigenCam';
import { gradCam } from './gradCam';
import { gradCamPlusPlus } from './gradCamPlusPlus';
import { hiResCam } from './hiResCam';
import type { CamInput } from './kinds';
import { layerCam } from './layerCam';
import type { CamMethod, Pooling } from './method';
import { scoreCam } from './scoreCam';
import { xGradCam } from './xGradCam';

export type { CamInput, CamMethod, Pooling };

const LIST = [gradCam, gradCamPlusPlus, hiResCam, xGradCam, layerCam, eigenCam, scoreCam] as const;

export type MethodId = (typeof LIST)[number]['id'];
export const METHODS: readonly (CamMethod & { id: MethodId })[] = LIST;

export const POOLINGS: { value: Pooling; label: string }[] = [
  { value: 'mean', label: 'mean' },
  { value: 'sum_abs', label: 'sum_abs (old block)' },
];

export const methodById = (id: MethodId): CamMethod => METHODS.find((m) => m.id === id) ?? gradCam;

/** The name a method's map has among a sample's maps: "gradcam:mean", "hirescam", … */
export const mapKey = (id: MethodId, pooling: Pooling = 'mean'): string => (methodById(id).pooled ? `${id}:${pooling}` : id);

/** The label with what the user should know before choosing it. */
export function methodLabel(m: CamMethod): string {
  const notes = [!m.classSensitive && 'class-agnostic', m.onRequest && 'on request'].filter(Boolean);
  return notes.length ? `${m.label} (${notes.join(', ')})` : m.label;
}

/** Every map the run's own pass computes: one per method, one per pooling of a pooled method. */
export const COMPUTED_MAPS: { key: string; compute: (input: CamInput) => Float32Array }[] = METHODS.flatMap((m) => {
  const compute = m.compute;
  if (!compute) return [];
  return m.pooled ? POOLINGS.map((p) => ({ key: mapKey(m.id, p.value), compute: (input: CamInput) => compute(input, p.value) })) : [{ key: m.id, compute: (input: CamInput) => compute(input) }];
});

export const MAP_KEYS = COMPUTED_MAPS.map((m) => m.key);

export function allMaps(input: CamInput): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const m of COMPUTED_MAPS) out[m.key] = m.compute(input);
  return packMaps(out);
}

/**
 * The same maps as views of one buffer. A result keeps its maps for the whole session: each in a
 * buffer of its own was seven buffers an image, ~100 bytes of bookkeeping each besides the floats
 * (10,000 doodles: 70,000 buffers in the page's heap); a message or a saved run copies the one buffer.
 */
export function packMaps(maps: Record<string, Float32Array>): Record<string, Float32Array> {
  const keys = Object.keys(maps);
  const all = new Float32Array(keys.reduce((n, k) => n + maps[k].length, 0));
  const out: Record<string, Float32Array> = {};
  let at = 0;
  for (const k of keys) {
    all.set(maps[k], at);
    out[k] = all.subarray(at, (at += maps[k].length));
  }
  return out;
}

/**
 * The one buffer a result's maps are views of (packMaps), or undefined when they are not exactly
 * that (say, views into a larger buffer): the buffer a message may move rather than copy.
 */
export function packedBuffer(maps: Record<string, Float32Array>): ArrayBuffer | undefined {
  const views = Object.values(maps);
  const buffer = views[0]?.buffer;
  if (!(buffer instanceof ArrayBuffer)) return undefined;
  const bytes = views.reduce((n, v) => (v.buffer === buffer ? n + v.byteLength : NaN), 0);
  return bytes === buffer.byteLength ? buffer : undefined;
}
