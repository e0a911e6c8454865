// The app's state (zustand). Components read it with useStore(selector); only the modules in
// src/state/ write it (actions/, each owning the fields its name says). Results are small
// records from the engine; view settings only affect rendering, so a slider never recomputes.
import type { Fusion, Smoothing } from '../methods/fusion';
import { create } from 'zustand';
import type { SavedRun } from './savedRun';
import type { BackendChoice, BackendReport, ModelInfo, SampleResult, SanityReport, ScoreKind } from '../engine/types';
import type { ProjectFacts } from '../sources/edge-impulse/project';
import { DEFAULT_PREPROCESS, type Preprocessing } from '../image/preprocess';
import { DEFAULT_VIEW, type ViewSettings } from '../results/view';
import type { GalleryFilters, GallerySort } from '../results/filters';
import { DEFAULT_FAITHFULNESS, type FaithfulnessHow, type FaithfulnessScore } from '../methods/faithfulness';
import type { Dataset } from '../sources/datasets/dataset';
import type { Split } from '../sources/datasets/labels';

export interface LoadedModel {
  name: string;
  info: ModelInfo;
  /** Fingerprint of the model's files: what backend measurements are remembered under. */
  key: string;
  /** Class names found in the model's files, if any. */
  classNamesFromModel?: string[];
}

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
  /** Finer maps: other spatial layers fused with the target layer (none: the target alone); presets in selectors (fusePreset). */
  fuseWith: string[];
  fusion: Fusion;
  /** Aug-smooth (each map the mean over flipped and brightened copies of the input: 6× the work) or eigen-smooth. */
  smooth: 'off' | Smoothing;
}

export const DEFAULT_EXPLAIN: ExplainSettings = { target: 'predicted', targetClass: 0, negate: false, score: 'logit', fuseWith: [], fusion: 'max', smooth: 'off' };

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
  /** The user's backend choice ('auto' = the fastest that starts) and what the engine picked. */
  backendChoice: BackendChoice;
  backend?: BackendReport;
  run: RunState;
  /**
   * Results by sample id. Batches are added in place (copying 10,000 entries per batch made runs
   * quadratic), so read `resultsVersion` to know they changed.
   */
  results: Record<string, SampleResult>;
  /** Which run computed each result: a cancelled re-run leaves some from an earlier one. */
  resultRunIds: Record<string, number>;
  /** Bumped whenever results change. */
  resultsVersion: number;
  /** Score-CAM maps, computed on request (K forward passes each). */
  scoreCam: Record<string, Float32Array>;
  scoreRun: { status: 'idle' | 'running' | 'done' | 'cancelled'; done: number; total: number };
  /**
   * Faithfulness scores by map set (a method's key under the view's normalisation, or a reference
   * map: 'random', 'gaussian'), then by sample id; computed on request.
   */
  faithfulness: Record<string, Record<string, FaithfulnessScore>>;
  faithfulnessRun: { status: 'idle' | 'running' | 'done' | 'cancelled'; done: number; total: number; set?: string };
  /** How the scores are made (what removed pixels become; ROAD or not); a new baseline clears the scores. */
  faithfulnessHow: FaithfulnessHow;
  /** Fingerprint of the data set's files (names, sizes, contents), to recognise them on a return visit. */
  datasetKey?: string;
  /** Bytes of the dropped data set the page holds (the memory estimate counts them; a zip left on disk: none). */
  datasetBytes?: number;
  /** Results kept in this browser from an earlier visit, until the same files are loaded (or the user forgets them). */
  savedRun?: SavedRun;
  /** Sanity checks (model and class randomisation) of the last run's model, on a few of its images; on request. */
  sanity: { status: 'idle' | 'running' | 'done' | 'failed'; report?: SanityReport; error?: string };
  /** Maps of a class the run did not explain (a mistake's true class, a top-5 class), by classMapKey; computed on request. */
  classMaps: Record<string, SampleResult>;
  /** Gradient kernels the backend lacked that ran on the CPU during the last run. */
  cpuFallbacks: string[];
  /** What the engine explains: layer, target and score; changing these recomputes. */
  explain: ExplainSettings;
  view: ViewSettings;
  /** Which explained samples the gallery shows (the confusion matrix sets these with a click). */
  filters: GalleryFilters;
  /** The gallery's order: by verdict, or one grid sorted by confidence, error, label or file name. */
  sort: GallerySort;
  messages: Message[];
  /** The sample whose detail view is open. */
  selected?: string;
  edgeImpulse: EdgeImpulseState;
}

export const useStore = create<AppState>(() => ({
  split: 'all',
  classNames: [],
  classNamesSource: 'none',
  preprocess: DEFAULT_PREPROCESS,
  backendChoice: 'auto',
  run: { id: 0, status: 'idle', done: 0, total: 0, failed: 0, startedAt: 0 },
  results: {},
  resultRunIds: {},
  resultsVersion: 0,
  scoreCam: {},
  scoreRun: { status: 'idle', done: 0, total: 0 },
  classMaps: {},
  faithfulness: {},
  faithfulnessRun: { status: 'idle', done: 0, total: 0 },
  faithfulnessHow: DEFAULT_FAITHFULNESS,
  sanity: { status: 'idle' },
  cpuFallbacks: [],
  explain: DEFAULT_EXPLAIN,
  view: DEFAULT_VIEW,
  filters: {},
  sort: 'verdict',
  messages: [],
  edgeImpulse: { status: 'idle', viaProxy: false },
}));
