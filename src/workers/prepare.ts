// A preparation worker: decodes and preprocesses images for the engine worker, on another core,
// so the engine's thread does nothing but Grad-CAM.
import { expose, transfer } from 'comlink';
import { prepareImages, type FileToPrepare } from '../image/prepare';
import type { ModelInputSpec } from '../image/preprocess';

const api = {
  async prepare(files: FileToPrepare[], spec: ModelInputSpec) {
    const out = await prepareImages(files, spec);
    return transfer(out, out.flatMap((p) => ('input' in p ? [p.input.buffer as ArrayBuffer] : [])));
  },
};

export type PrepareApi = typeof api;
expose(api);
