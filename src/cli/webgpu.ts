// WebGPU for the command line. Node has none of its own; Dawn's Node bindings give it one: the npm
// package `webgpu` (`npm install webgpu`, ~150 MB, so not a dependency of everyone's install) or a
// `dawn.node` named by DAWN_NODE. They must be on globalThis before TF.js's WebGPU backend is
// imported: it registers itself at import time only where navigator.gpu exists (main.ts imports the
// rest of the command line after this).
import { createRequire } from 'node:module';
import path from 'node:path';
import { flagValue } from './earlyFlags';

type Dawn = { create(flags: string[]): GpuLike; globals: Record<string, unknown> };
type GpuLike = { requestAdapter(options?: object): Promise<unknown>; getPreferredCanvasFormat(): string; wgslLanguageFeatures: unknown };

/** The backend the arguments ask for, read before they are parsed in full. */
export const backendAsked = (argv: string[]): string | undefined => flagValue(argv, 'backend');

/** Why WebGPU is missing, or undefined once navigator.gpu is there (already, or now from Dawn). */
export async function loadDawn(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator?.gpu) return undefined;
  let dawn: Dawn;
  try {
    dawn = env.DAWN_NODE
      ? (createRequire(import.meta.url)(path.resolve(env.DAWN_NODE)) as Dawn)
      : ((await import(/* @vite-ignore */ ['web', 'gpu'].join(''))) as Dawn); // not bundled: installed by the user, or not at all
  } catch (e) {
    return env.DAWN_NODE ? `DAWN_NODE=${env.DAWN_NODE} could not be loaded: ${(e as Error).message.split('\n')[0]}` : 'the npm package "webgpu" (Dawn) is not installed';
  }
  Object.assign(globalThis, dawn.globals);
  const flags = (env.DAWN_FLAGS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const raw = dawn.create(flags);
  // DAWN_FEATURE_LEVEL=compatibility: a compatibility-mode adapter (Mesa's llvmpipe through OpenGL ES,
  // to try this path on a machine without a GPU); unset on real GPUs
  const level = env.DAWN_FEATURE_LEVEL;
  const gpu = level
    ? { requestAdapter: (o: object = {}) => raw.requestAdapter({ ...o, featureLevel: level }), getPreferredCanvasFormat: () => raw.getPreferredCanvasFormat(), get wgslLanguageFeatures() { return raw.wgslLanguageFeatures; } }
    : raw;
  Object.defineProperty(globalThis, 'navigator', { value: { ...(g.navigator ?? {}), gpu, userAgent: `Node.js ${process.version}` }, configurable: true, writable: true });
  return undefined;
}
