import { useMemo } from 'react';
import { useStore } from '../state/store';
import { methodSet } from '../state/selectors';
import type { FaithfulnessScore } from '../methods/faithfulness';
import { isFiltering, matchesFilters, sortItems, SORTS, type Filterable, type GalleryFilters, type GallerySort } from '../results/filters';
import { useGalleryItems, type GalleryItem } from './useGalleryItems';

export interface GalleryGroup {
  /** 'incorrect', 'correct', or 'sorted' (one grid in the chosen order). */
  verdict: string;
  title: string;
  items: GalleryItem[];
}

export const filterable = (i: GalleryItem): Filterable => ({ path: i.sample.path, label: i.sample.label, ...i.prediction });

type Shown = { all: GalleryItem[]; groups: GalleryGroup[]; order: GalleryItem[] };

function shownItems(all: GalleryItem[], filters: GalleryFilters, sort: GallerySort, scores?: Record<string, FaithfulnessScore>): Shown {
  const items = isFiltering(filters) ? all.filter((i) => matchesFilters(filterable(i), filters)) : all;
  if (sort !== 'verdict') {
    const withScores = (i: GalleryItem): Filterable => ({ ...filterable(i), deletionAuc: scores?.[i.sample.id]?.deletionAuc, insertionAuc: scores?.[i.sample.id]?.insertionAuc });
    const sorted = sortItems(items, sort, withScores);
    return { all, groups: [{ verdict: 'sorted', title: `Sorted: ${SORTS.find((s) => s.id === sort)?.label}`, items: sorted }], order: sorted };
  }
  const incorrect = items.filter((i) => i.prediction.verdict === 'incorrect');
  const correct = items.filter((i) => i.prediction.verdict === 'correct');
  return { all, groups: [{ verdict: 'incorrect', title: 'Incorrect', items: incorrect }, { verdict: 'correct', title: 'Correct', items: correct }], order: [...incorrect, ...correct] };
}

// The gallery, the detail view and the class views all ask; at 10,000 results filtering and
// sorting once per change instead of three times is a third of a matrix click.
let last: { all: GalleryItem[]; filters: GalleryFilters; sort: GallerySort; scores?: Record<string, FaithfulnessScore>; shown: Shown } | undefined;

/**
 * What the gallery shows, in its order: the filtered items, incorrect first then correct, or
 * one grid sorted as chosen. The gallery and the detail view's ←/→ read the same order.
 */
export function useShownItems(): Shown {
  const all = useGalleryItems();
  const filters = useStore((s) => s.filters);
  const sort = useStore((s) => s.sort);
  // the scores matter only to the faithfulness orders
  const scores = useStore((s) => (sort === 'deletion-desc' || sort === 'insertion-asc' ? s.faithfulness[methodSet(s)] : undefined));
  return useMemo(() => {
    if (last && last.all === all && last.filters === filters && last.sort === sort && last.scores === scores) return last.shown;
    last = { all, filters, sort, scores, shown: shownItems(all, filters, sort, scores) };
    return last.shown;
  }, [all, filters, sort, scores]);
}
