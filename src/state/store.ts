// The app's state (zustand). Results are small records from the engine; view settings only
// affect rendering, so moving a slider never goes back to the engine.
import { create } from 'zustand';
import type { BackendReport } from '../engine/backendNames';
import type { Explanation, ModelInfo } from '../engine/engine';
import type { ScoreKind } from '../engine/scores';
import type { ProjectFacts } from '../sources/edge-impulse/project';
import { DEFAULT_PREPROCESS, type Preprocessing } from '../engine/preprocess';
import { DEFAULT_VIEW, type ViewState } from './view';
import type { Dataset } from '../sources/datasets/dataset';
import type { Split } from '../sources/datasets/labels';

/** One sample's outcome; `runId` says which run computed it (a re-run replaces results in place). */
export type SampleResult = (({ id: string } & Explanation) | { id: string; error: string }) & { runId?: number };

export interface LoadedModel {
  name: string;
  info: ModelInfo;
  /** Class names found in the model's files, if any. */
  classNamesFromModel?: string[];
}

export { DEFAULT_VIEW, type ViewState };

export interface RunState {
  /** Counts runs, so a watcher can tell a new run from the last one. */
  id: number;
  status: 'idle' | 'loading' | 'running' | 'done' | 'cancelled' | 'failed';
  done: number;
  total: number;
  failed: number;
  startedAt: number;
  finishedAt?: number;
  /** What is happening, in words ("Loading model…"). */
  step?: string;
}

export interface EdgeImpulseState {
  status: 'idle' | 'working' | 'done' | 'failed' | 'cancelled';
  step?: string;
  facts?: ProjectFacts;
  /** Calls go through this app's proxy (direct calls were refused). */
  viaProxy: boolean;
}

export interface ExplainSettings {
  /** Path of the target layer; undefined = the model's default (last convolution). */
  targetLayer?: string;
  /** Which class each map explains: the predicted one, the true one, or a chosen class. */
  target: 'predicted' | 'true' | 'class';
  targetClass: number;
  /** Regression: explain what lowers the value instead of what raises it. */
  negate: boolean;
  score: ScoreKind;
}

export { DEFAULT_PREPROCESS };

export const DEFAULT_EXPLAIN: ExplainSettings = { target: 'predicted', targetClass: 0, negate: false, score: 'logit' };

export interface Message {
  id: number;
  kind: 'error' | 'warning' | 'info';
  text: string;
}

export interface AppState {
  dataset?: Dataset;
  split: Split | 'all';
  model?: LoadedModel;
  classNames: string[];
  classNamesSource: 'model' | 'data set' | 'edited' | 'none';
  /** How images become model input; from the Edge Impulse impulse, or chosen by hand. */
  preprocess: Required<Preprocessing>;
  backend?: BackendReport;
  run: RunState;
  results: Record<string, SampleResult>;
  /** Score-CAM maps, computed on demand (K forward passes each). */
  scoreCam: Record<string, Float32Array>;
  scoreRun: { status: 'idle' | 'running' | 'done' | 'cancelled'; done: number; total: number };
  /** Maps of the true class for incorrect samples, computed when their detail view opens. */
  trueClassMaps: Record<string, SampleResult>;
  /** Gradient kernels the backend lacked that ran on the CPU during the last run. */
  cpuFallbacks: string[];
  /** What the engine explains: layer, target and score; changing these recomputes. */
  explain: ExplainSettings;
  view: ViewState;
  messages: Message[];
  selected?: string;
  edgeImpulse: EdgeImpulseState;
}


export const useStore = create<AppState>(() => ({
  split: 'all',
  classNames: [],
  classNamesSource: 'none',
  preprocess: DEFAULT_PREPROCESS,
  run: { id: 0, status: 'idle', done: 0, total: 0, failed: 0, startedAt: 0 },
  results: {},
  scoreCam: {},
  scoreRun: { status: 'idle', done: 0, total: 0 },
  trueClassMaps: {},
  cpuFallbacks: [],
  explain: DEFAULT_EXPLAIN,
  view: DEFAULT_VIEW,
  messages: [],
  edgeImpulse: { status: 'idle', viaProxy: false },
}));

let nextMessage = 1;
export function say(kind: Message['kind'], text: string) {
  useStore.setState((s) => ({ messages: [...s.messages, { id: nextMessage++, kind, text }] }));
}
export function dismiss(id: number) {
  useStore.setState((s) => ({ messages: s.messages.filter((m) => m.id !== id) }));
}
export function setView(patch: Partial<ViewState>) {
  useStore.setState((s) => ({ view: { ...s.view, ...patch } }));
}
export function addResults(batch: SampleResult[], runId?: number) {
  useStore.setState((s) => {
    const results = { ...s.results };
    for (const r of batch) results[r.id] = { ...r, runId };
    return { results };
  });
}
