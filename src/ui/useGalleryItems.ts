import { useMemo } from 'react';
import { useStore } from '../state/store';
import { predictionOf, type PredictionView } from '../results/verdict';
import { samplesOfSplit, type Sample } from '../sources/datasets/dataset';

export interface GalleryItem {
  sample: Sample;
  prediction: PredictionView;
}

/** Explained samples with their verdict, in data-set order; failed ones left out. */
export function useGalleryItems(): GalleryItem[] {
  const dataset = useStore((s) => s.dataset);
  const split = useStore((s) => s.split);
  const results = useStore((s) => s.results);
  const version = useStore((s) => s.resultsVersion);
  const classNames = useStore((s) => s.classNames);
  const threshold = useStore((s) => s.view.threshold);
  return useMemo(() => {
    if (!dataset) return [];
    const items: GalleryItem[] = [];
    for (const sample of samplesOfSplit(dataset, split)) {
      const r = results[sample.id];
      if (!r || 'error' in r) continue;
      items.push({ sample, prediction: predictionOf(r, sample.label, classNames, threshold) });
    }
    return items;
  }, [dataset, split, results, version, classNames, threshold]);
}
