// Builds a tfjs LayersModel from the files the user gave (model.json + weight shards).
import * as tf from '@tensorflow/tfjs';

export interface ModelFile {
  /** Path as the user gave it (folder and zip paths included). */
  name: string;
  bytes: Uint8Array;
}

export class ModelLoadError extends Error {}

const baseName = (p: string) => p.split('/').pop() ?? p;

interface ModelJson {
  modelTopology: object;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

function parseModelJson(file: ModelFile): ModelJson | undefined {
  if (!baseName(file.name).toLowerCase().endsWith('.json')) return undefined;
  try {
    const json = JSON.parse(new TextDecoder().decode(file.bytes));
    return json && typeof json === 'object' && 'modelTopology' in json ? (json as ModelJson) : undefined;
  } catch {
    return undefined;
  }
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, float16: 2 };

function expectedBytes(specs: tf.io.WeightsManifestEntry[]): number {
  let n = 0;
  for (const s of specs) {
    const q = s.quantization;
    const per = q ? DTYPE_BYTES[q.dtype] : DTYPE_BYTES[s.dtype];
    n += s.shape.reduce((a, b) => a * b, 1) * (per ?? 4);
  }
  return n;
}

export async function loadLayersModel(files: ModelFile[]): Promise<tf.LayersModel> {
  const candidates = files.map((f) => [f, parseModelJson(f)] as const).filter(([, j]) => j);
  if (candidates.length === 0) {
    throw new ModelLoadError('No TF.js model found: drop a model.json together with its weight files (or a zip holding them).');
  }
  const [jsonFile, json] = candidates[0] as [ModelFile, ModelJson];
  const manifest = json.weightsManifest ?? [];
  const byName = new Map(files.map((f) => [baseName(f.name), f]));
  const parts: Uint8Array[] = [];
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  for (const group of manifest) {
    let groupBytes = 0;
    for (const p of group.paths) {
      const shard = byName.get(baseName(p));
      if (!shard) {
        throw new ModelLoadError(`${baseName(jsonFile.name)} needs the weight file "${baseName(p)}", which was not dropped. Drop model.json together with all its .bin files.`);
      }
      parts.push(shard.bytes);
      groupBytes += shard.bytes.length;
    }
    const need = expectedBytes(group.weights);
    if (groupBytes < need) {
      throw new ModelLoadError(`The weight files ${group.paths.join(', ')} hold ${groupBytes} bytes but ${baseName(jsonFile.name)} needs ${need}: a file is truncated or from another model.`);
    }
    weightSpecs.push(...group.weights);
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    weightData.set(p, offset);
    offset += p.length;
  }
  try {
    return await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData: weightData.buffer }));
  } catch (e) {
    throw new ModelLoadError(`${baseName(jsonFile.name)} could not be built into a model: ${(e as Error).message}`);
  }
}
