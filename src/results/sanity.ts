// Reading the sanity checks (engine/sanity.ts, Adebayo et al. 2018): which images they use, and
// what each method's correlations say. Shared by the page, the export and the command line.
import type { SanityReport } from '../engine/types';

/** Images the checks use: enough for a stable mean, few enough for seconds (each costs 3 + 1 + 1 explanations). */
export const SANITY_IMAGES = 16;
/** Weighted layers re-initialised, one after the other, from the output down. */
export const SANITY_STAGES = 3;
/** At or above: the map barely changed (the last stage of model randomisation; another class). */
const SAME_AFTER_RANDOM_MODEL = 0.5;
const SAME_FOR_ANOTHER_CLASS = 0.9;

/** Every n-th explained image, so all classes of a class-folder set are in. */
export function sanitySample<T>(items: T[], n = SANITY_IMAGES): T[] {
  if (items.length <= n) return items;
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]);
}

export interface SanityReading {
  /** ρ after each stage of model randomisation. */
  model: number[];
  /** ρ with another class's map; undefined where the method was not checked for it. */
  anotherClass?: number;
  /** 'model': barely changes with random top layers; 'class': the same map for any class. */
  flags: ('model' | 'class')[];
  reading: string;
}

/** What one method's figures say (`classSensitive`: the method is meant to depend on the class). */
export function readSanity(report: SanityReport, key: string, classSensitive: boolean): SanityReading | undefined {
  const model = report.model[key];
  if (!model) return undefined;
  const last = model[model.length - 1];
  const other = report.classes[key];
  const flags: SanityReading['flags'] = [];
  if (last >= SAME_AFTER_RANDOM_MODEL) flags.push('model');
  if (other !== undefined && other >= SAME_FOR_ANOTHER_CLASS) flags.push('class');
  const reading = [
    last >= SAME_AFTER_RANDOM_MODEL
      ? 'barely changes with random top layers: it shows the features more than what the model decides from them'
      : model[0] >= SAME_FOR_ANOTHER_CLASS
        ? 'unchanged by a random output layer: it reads the feature maps alone'
        : 'depends on the weights',
    other === undefined ? '' : other >= SAME_FOR_ANOTHER_CLASS ? (classSensitive ? 'the same map for any class: not class-sensitive here' : 'the same map for any class, as expected: it ignores the class') : 'differs by class',
  ].filter(Boolean).join('; ');
  return { model, anotherClass: other, flags, reading };
}
