// Backend names, free of TF.js so the page can list them without loading TF.js.
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendChoice = 'auto' | BackendName;
export const BACKEND_CHOICES: BackendChoice[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

export interface BackendReport {
  backend: BackendName;
  /** Milliseconds per probe run, for every backend that started. */
  probe: Partial<Record<BackendName, number>>;
  /** Why a backend could not start. */
  unavailable: Partial<Record<BackendName, string>>;
  /** Gradient kernels this backend lacks, which run on TF.js's CPU kernels instead. */
  cpuKernels?: string[];
}
