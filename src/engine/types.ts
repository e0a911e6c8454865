// The engine's types, free of TF.js: the page, the store, the export and the command line
// import these (and the worker client), never the rest of engine/.
import type { Fusion, Smoothing } from '../methods/fusion';
import type { FaithfulnessScore } from '../methods/faithfulness';
import type { Preprocessing } from '../image/preprocess';
import type { OnDisk } from '../sources/datasets/files';
import type { RgbaImage } from '../image/rgba';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendChoice = 'auto' | BackendName;
export const BACKEND_CHOICES: BackendChoice[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

/** The loaded model's Grad-CAM step (all cheap maps) timed at one batch size. */
export interface BatchTiming {
  batchSize: number;
  msPerImage: number;
}

export interface BackendReport {
  backend: BackendName;
  /** Milliseconds per run of a small test convolution, for every backend that started ('auto' only). */
  probe: Partial<Record<BackendName, number>>;
  /** Why a backend could not start. */
  unavailable: Partial<Record<BackendName, string>>;
  /** Gradient kernels this backend lacks, which run on TF.js's CPU kernels instead. */
  cpuKernels?: string[];
  /** Images per engine call: chosen by timing the loaded model (absent until a model is measured). */
  batchSize?: number;
  /** The loaded model's step per backend and batch size, as measured (tune()). */
  measured?: Partial<Record<BackendName, BatchTiming[]>>;
  /** Backends not measured with the model: far slower on the test convolution. */
  skipped?: Partial<Record<BackendName, string>>;
  /** Taken from an earlier measurement of this model on this device, not measured now. */
  remembered?: boolean;
}

export type ModelFormat = 'tfjs-layers' | 'keras-h5' | 'keras3';
export type FinalActivation = 'softmax' | 'sigmoid' | 'linear';
/** What is differentiated: the pre-softmax logit, or the probability (as the old block did). */
export type ScoreKind = 'logit' | 'probability';

/** A model file as the engine reads it. */
export interface ModelFile {
  name: string;
  bytes: Uint8Array;
}

export interface ModelInfo {
  name: string;
  format: ModelFormat;
  /** [height, width, channels] */
  inputShape: [number, number, number];
  outputCount: number;
  outputKind: 'classification' | 'regression';
  finalActivation: FinalActivation;
  targetLayers: { path: string; className: string; shape: number[] }[];
  /** The last convolution: what is explained unless the user picks another layer. */
  defaultTargetLayer: string;
  paramCount: number;
}

export interface ExplainOptions {
  /** Path of the target layer; absent = the model's default. */
  targetLayer?: string;
  score?: ScoreKind;
  /** Per sample, the class to explain; −1 (or absent) = the predicted class. */
  targetClasses?: number[];
  /** Regression: explain the negated output ("what lowers the value"). */
  negate?: boolean;
  /** Layer fusion: explain at each of these spatial layers and fuse the maps (methods/fusion.ts); overrides targetLayer. */
  layers?: string[];
  /** How fused layers combine (default max). */
  fusion?: Fusion;
  /** 'aug': average the maps of flipped and brightened copies of each input (6 passes instead of 1); 'eigen': each map the first principal component of its weighted activations. */
  smooth?: Smoothing;
}

/** What the engine needs besides the images: layer, score, preprocessing. */
export interface RunOptions extends ExplainOptions, Preprocessing {
  /** Images with more pixels are refused before decoding (common/limits.ts). */
  maxImagePixels?: number;
}

/** What the model said of one sample: the predicted class and its probability, or a value. */
export type Prediction = { kind: 'classification'; confidence: number } | { kind: 'regression'; value: number };

/** How many of the highest-rated classes a result keeps. */
export const TOP_CLASSES = 5;

/** One sample's result: what the model said and the raw (un-normalised) maps. */
export type Explanation = Prediction & {
  /** Index of the highest output (classification) or 0 (regression). */
  predictedIndex: number;
  /**
   * The classes the model rated highest, best first (classification: up to TOP_CLASSES; regression:
   * none). Not the whole output vector: at 10,000 samples of a 345-class model that was 14 MB a copy
   * (the page, the saved run), and only the detail view's top 5 reads it.
   */
  top: { index: number; score: number }[];
  targetIndex: number;
  gridHeight: number;
  gridWidth: number;
  /** Raw maps by map key (methods/registry.ts: "gradcam:mean", "hirescam", …). */
  maps: Record<string, Float32Array>;
};

export interface ImageToExplain {
  id: string;
  bytes: Uint8Array;
  /** The class to explain for this image (e.g. its true class); absent = the predicted one. */
  targetClass?: number;
  /** Also send back its gallery thumbnail at this side, where the decode for the model makes it for free (image/prepare.ts). */
  thumbnail?: number;
}

/**
 * An image to explain as it travels to the engine: its bytes, or a deflated zip entry's compressed
 * data, inflated where it is prepared (off the page's thread), or (the page) where it lies on disk,
 * read by the preparation worker itself.
 */
export type ImageToPrepare = ImageToExplain | { id: string; deflated: Uint8Array; size: number; targetClass?: number; thumbnail?: number } | { id: string; onDisk: OnDisk; targetClass?: number; thumbnail?: number };

/** One sample's outcome: explained, or the reason it could not be. */
export type SampleResult = ({ id: string } & Explanation) | { id: string; error: string };

/** A result as the engine sends it, with the thumbnail asked for (ImageToExplain.thumbnail) where one was made; the page keeps the thumbnail apart. */
export type ResultWithThumbnail = SampleResult & { thumbnail?: RgbaImage };

/** One image and the maps to score on it (each H × W at the model input, in [0, 1]). */
export interface FaithfulnessRequest {
  id: string;
  bytes: Uint8Array;
  /** The class the maps explain (0 for regression). */
  targetClass: number;
  saliencies: Float32Array[];
}

export type FaithfulnessResult = { id: string; scores: FaithfulnessScore[] } | { id: string; error: string };

export interface ScoreCamResult {
  map: Float32Array;
  gridHeight: number;
  gridWidth: number;
  targetIndex: number;
}

/** Sanity checks (engine/sanity.ts): do the maps change with the model's weights and with the class? */
export interface SanityReport {
  images: number;
  /** The layers re-initialised, top first: stage k re-initialises the first k of them (cascading from the output). */
  layers: string[];
  /** Per map key, the mean rank correlation with the trained maps after each stage. */
  model: Record<string, number[]>;
  /** The same on absolute values (a map that only flips sign is not a new map). */
  modelAbs: Record<string, number[]>;
  /** Per map key, the mean rank correlation of the predicted class's map with a random other class's map. */
  classes: Record<string, number>;
  /** The maps checked: from these layers (fused when more than one), smoothed or not — as the run made them. */
  maps: { layers: string[]; fusion?: Fusion; smooth?: Smoothing };
}
