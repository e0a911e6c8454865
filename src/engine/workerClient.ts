// The page's handle on the engine worker: the same API as engine/api.ts, but async over comlink.
import { wrap, type Remote } from 'comlink';
import type { EngineApi } from './workerApi';

let engine: Remote<EngineApi> | undefined;

export function engineClient(): Remote<EngineApi> {
  engine ??= wrap<EngineApi>(new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'gradcam-engine' }));
  return engine;
}
