// What the app needs to know about an Edge Impulse project, read and checked at the edge.
import { INPUT_SCALINGS, type InputScaling, type ResizeMethod, type ResizeMode } from '../../image/preprocess';
import { callApi, EdgeImpulseError, type Connection } from './http';

export interface ProjectFacts {
  projectId: number;
  projectName: string;
  /** The key's role: admin, readonly, ingestiononly, ingestion_deployment (or unknown). */
  role: string;
  learnBlock: { id: number; type: string; title: string };
  image: { width: number; height: number; resizeMode: ResizeMode; resizeMethod: ResizeMethod };
  channels: 'RGB' | 'Grayscale';
  mode: 'classification' | 'regression';
  /** In output order. */
  classNames: string[];
  imageInputScaling: InputScaling;
}

const GRADCAM_BLOCKS = new Set(['keras', 'keras-transfer-image', 'keras-regression']);

interface Impulse {
  inputBlocks?: { type?: string; imageWidth?: number; imageHeight?: number; resizeMode?: string; resizeMethod?: string }[];
  dspBlocks?: { id?: number; type?: string }[];
  learnBlocks?: { id?: number; type?: string; name?: string; title?: string }[];
}

/** Finds `{param: 'channels', value}` anywhere in a DSP config. */
function findChannels(node: unknown): string | undefined {
  if (Array.isArray(node)) {
    for (const n of node) {
      const v = findChannels(n);
      if (v) return v;
    }
  } else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.param === 'channels' && typeof o.value === 'string') return o.value;
    for (const v of Object.values(o)) {
      const found = findChannels(v);
      if (found) return found;
    }
  }
  return undefined;
}

export type ProjectList = { projects?: { id: number; name: string }[] };

/** Reads and checks the project; `listed` is a `GET /api/projects` answer the caller already has. */
export async function readProject(c: Connection, onStep: (text: string) => void = () => {}, listed?: ProjectList): Promise<ProjectFacts> {
  onStep('Finding the project…');
  const { projects } = listed ?? (await callApi<ProjectList>(c, 'GET', '/api/projects'));
  const project = projects?.[0];
  if (!project) throw new EdgeImpulseError('This API key sees no project. Use a project API key (Dashboard → Keys).', 'not-found');
  const pid = project.id;
  let role = 'unknown';
  try {
    role = (await callApi<{ role?: string }>(c, 'GET', '/api/projects/api-key-info')).role ?? 'unknown';
  } catch (e) {
    if ((e as EdgeImpulseError).kind === 'auth') throw e;
  }
  onStep('Reading the impulse…');
  const { impulse } = await callApi<{ impulse?: Impulse }>(c, 'GET', `/api/${pid}/impulse`);
  if (!impulse) throw new EdgeImpulseError(`Project "${project.name}" has no impulse yet: create and train one in Edge Impulse Studio first.`, 'not-found');
  const input = impulse.inputBlocks?.find((b) => b.type === 'image');
  if (!input) throw new EdgeImpulseError(`Project "${project.name}" is not an image project (its input block is ${impulse.inputBlocks?.[0]?.type ?? 'missing'}): Grad-CAM explains image models.`, 'api');
  const learn = impulse.learnBlocks?.[0];
  if (!learn || typeof learn.id !== 'number') throw new EdgeImpulseError(`Project "${project.name}" has no learning block.`, 'not-found');
  if (!GRADCAM_BLOCKS.has(String(learn.type))) {
    throw new EdgeImpulseError(`The learning block "${learn.title ?? learn.name}" is of type ${learn.type}: Grad-CAM applies to image classification and regression, not to ${learn.type === 'keras-object-detection' ? 'object detection' : /anomaly/.test(String(learn.type)) ? 'anomaly detection' : learn.type}.`, 'api');
  }
  onStep('Reading the model metadata…');
  const meta = await callApi<{ classNames?: string[]; mode?: string; imageInputScaling?: string; hasTrainedModel?: boolean }>(c, 'GET', `/api/${pid}/training/keras/${learn.id}/metadata`);
  if (meta.hasTrainedModel === false) throw new EdgeImpulseError(`The learning block "${learn.title ?? learn.name}" has no trained model: train it in Studio first.`, 'not-found');
  const mode = meta.mode === 'regression' || learn.type === 'keras-regression' ? 'regression' : 'classification';
  if (meta.mode && meta.mode !== 'classification' && meta.mode !== 'regression') throw new EdgeImpulseError(`The model's mode is ${meta.mode}: Grad-CAM applies to classification and regression.`, 'api');
  let channels: 'RGB' | 'Grayscale' = 'RGB';
  const dsp = impulse.dspBlocks?.find((d) => d.type === 'image') ?? impulse.dspBlocks?.[0];
  if (dsp && typeof dsp.id === 'number') {
    onStep('Reading the image block…');
    const found = findChannels(await callApi<{ config?: unknown }>(c, 'GET', `/api/${pid}/dsp/${dsp.id}`));
    if (found === 'Grayscale') channels = 'Grayscale';
  }
  const scaling = INPUT_SCALINGS.includes(meta.imageInputScaling as InputScaling) ? (meta.imageInputScaling as InputScaling) : '0..1';
  const resizeMode: ResizeMode = input.resizeMode === 'fit-short' || input.resizeMode === 'fit-long' ? input.resizeMode : 'squash';
  return {
    projectId: pid,
    projectName: project.name,
    role,
    learnBlock: { id: learn.id, type: String(learn.type), title: learn.title ?? learn.name ?? `block ${learn.id}` },
    image: { width: Number(input.imageWidth), height: Number(input.imageHeight), resizeMode, resizeMethod: input.resizeMethod === 'nearest' ? 'nearest' : 'lanczos3' },
    channels,
    mode,
    classNames: meta.classNames ?? [],
    imageInputScaling: scaling,
  };
}
