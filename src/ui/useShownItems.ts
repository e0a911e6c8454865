import { useMemo } from 'react';
import { useStore } from '../state/store';
import { methodSet } from '../state/selectors';
import type { FaithfulnessScore } from '../methods/faithfulness';
import { noBetterThanRandom } from '../results/faithfulness';
import { byFaithfulness, isFiltering, matchesFilters, sortItems, SORTS, type Filterable, type GalleryFilters, type GallerySort } from '../results/filters';
import { useGalleryItems, type GalleryItem } from './useGalleryItems';
import { runPace, useAtRunPace } from './useRunPace';

export interface GalleryGroup {
  /** 'incorrect', 'correct', or 'sorted' (one grid in the chosen order). */
  verdict: string;
  title: string;
  items: GalleryItem[];
}

/**
 * What filters and sort orders read of an item. Written out field by field: one shape for every
 * item, where spreading the prediction made a new one each time (10,000 of them, and a spread of
 * that again for the scores, were ~5 ms of each sort-order change in a profile).
 */
export const filterable = ({ sample, prediction: p }: GalleryItem): Filterable => ({
  path: sample.path,
  label: sample.label,
  predicted: p.predicted,
  verdict: p.verdict,
  confidence: 'confidence' in p ? p.confidence : undefined,
  value: 'value' in p ? p.value : undefined,
});

type Shown = { all: GalleryItem[]; groups: GalleryGroup[]; order: GalleryItem[] };

type Scores = { mine?: Record<string, FaithfulnessScore>; random?: Record<string, FaithfulnessScore> };

/** The filtered items in the gallery's order (incorrect first, or sorted); scores only for the faithfulness filter and orders. */
export function shownItems(all: GalleryItem[], filters: GalleryFilters, sort: GallerySort, scores?: Scores): Shown {
  const withScores = (i: GalleryItem): Filterable => {
    const mine = scores?.mine?.[i.sample.id];
    return { ...filterable(i), deletionAuc: mine?.deletionAuc, insertionAuc: mine?.insertionAuc, road: mine?.road, unfaithful: noBetterThanRandom(mine, scores?.random?.[i.sample.id]) };
  };
  const read = scores ? withScores : filterable;
  const items = isFiltering(filters) ? all.filter((i) => matchesFilters(read(i), filters)) : all;
  if (sort !== 'verdict') {
    const sorted = sortItems(items, sort, read);
    return { all, groups: [{ verdict: 'sorted', title: `Sorted: ${SORTS.find((s) => s.id === sort)?.label}`, items: sorted }], order: sorted };
  }
  const incorrect = items.filter((i) => i.prediction.verdict === 'incorrect');
  const correct = items.filter((i) => i.prediction.verdict === 'correct');
  return { all, groups: [{ verdict: 'incorrect', title: 'Incorrect', items: incorrect }, { verdict: 'correct', title: 'Correct', items: correct }], order: [...incorrect, ...correct] };
}

// The gallery, the detail view and the class views all ask; at 10,000 results filtering and
// sorting once per change instead of three times is a third of a matrix click.
let last: { all: GalleryItem[]; filters: GalleryFilters; sort: GallerySort; mine?: Record<string, FaithfulnessScore>; random?: Record<string, FaithfulnessScore>; shown: Shown } | undefined;

/** One pace for every component that asks, so they show the same results. */
const pace = runPace<GalleryItem[]>([]);

/**
 * What the gallery shows, in its order: the filtered items, incorrect first then correct, or
 * one grid sorted as chosen. The gallery and the detail view's ←/→ read the same order. While a
 * run adds results they come once a second (useAtRunPace): each batch with an incorrect result
 * moved every correct tile on screen one place on, and the tiles were painted again each time —
 * with the panels, a third of the page's thread in the first seconds of a run of 1,000 photos.
 * A filter or an order the user picks shows at once.
 */
export function useShownItems(): Shown {
  const all = useAtRunPace(useGalleryItems(), pace);
  const filters = useStore((s) => s.filters);
  const sort = useStore((s) => s.sort);
  // the scores matter only to the faithfulness orders and filter
  const wanted = byFaithfulness(sort) || !!filters.unfaithful;
  const mine = useStore((s) => (wanted ? s.faithfulness[methodSet(s)] : undefined));
  const random = useStore((s) => (wanted ? s.faithfulness.random : undefined));
  return useMemo(() => {
    if (last && last.all === all && last.filters === filters && last.sort === sort && last.mine === mine && last.random === random) return last.shown;
    last = { all, filters, sort, mine, random, shown: shownItems(all, filters, sort, wanted ? { mine, random } : undefined) };
    return last.shown;
  }, [all, filters, sort, mine, random, wanted]);
}
