import { useMemo } from 'react';
import { useStore } from '../state/store';
import { predictionOf, type PredictionView } from '../results/verdict';
import { samplesOfSplit, type Dataset, type Sample } from '../sources/datasets/dataset';
import type { Split } from '../sources/datasets/labels';
import type { SampleResult } from '../engine/types';

export interface GalleryItem {
  sample: Sample;
  prediction: PredictionView;
}

/**
 * Each result's item, kept while the result, its sample, the class names and the threshold stay: a
 * batch of a run then makes items for its own results only, not again for every result so far
 * (10,000 new items a flush were most of the page's garbage during a run, and its heap's growth).
 */
let made: { classNames: string[]; threshold: number; items: WeakMap<SampleResult, GalleryItem> } | undefined;

function galleryItems(dataset: Dataset | undefined, split: Split | 'all', results: Record<string, SampleResult>, classNames: string[], threshold: number): GalleryItem[] {
  if (!dataset) return [];
  if (made?.classNames !== classNames || made.threshold !== threshold) made = { classNames, threshold, items: new WeakMap() };
  const known = made.items;
  const items: GalleryItem[] = [];
  for (const sample of samplesOfSplit(dataset, split)) {
    const r = results[sample.id];
    if (!r || 'error' in r) continue;
    let item = known.get(r);
    if (item?.sample !== sample) known.set(r, (item = { sample, prediction: predictionOf(r, sample.label, classNames, threshold) }));
    items.push(item);
  }
  return items;
}

// shared by every component that asks (gallery, detail view, class views): once per change, not
// once per component — during a run at 10,000 images that was three passes per batch
let cached: { key: unknown[]; items: GalleryItem[] } | undefined;

/** Explained samples with their verdict, in data-set order; failed ones left out. */
export function useGalleryItems(): GalleryItem[] {
  const dataset = useStore((s) => s.dataset);
  const split = useStore((s) => s.split);
  const results = useStore((s) => s.results);
  const version = useStore((s) => s.resultsVersion);
  const classNames = useStore((s) => s.classNames);
  const threshold = useStore((s) => s.view.threshold);
  return useMemo(() => {
    const key = [dataset, split, results, version, classNames, threshold];
    if (!cached || cached.key.some((k, i) => k !== key[i])) cached = { key, items: galleryItems(dataset, split, results, classNames, threshold) };
    return cached.items;
  }, [dataset, split, results, version, classNames, threshold]);
}
