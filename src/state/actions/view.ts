// What the user looks at: view settings (repaint only) and the open detail view.
import type { ViewSettings } from '../../results/view';
import type { GalleryFilters, GallerySort } from '../../results/filters';
import { useStore } from '../store';

export function setView(patch: Partial<ViewSettings>) {
  useStore.setState((s) => ({ view: { ...s.view, ...patch } }));
}

/** Opens a sample's detail view; undefined closes it. */
export function selectSample(id: string | undefined) {
  useStore.setState({ selected: id });
}

/** Sets some filters (an undefined or empty value removes that filter); the rest stay. */
export function setFilters(patch: GalleryFilters) {
  useStore.setState((s) => {
    const next: Record<string, unknown> = { ...s.filters, ...patch };
    for (const [k, v] of Object.entries(next)) if (v === undefined || v === '') delete next[k];
    return { filters: next as GalleryFilters };
  });
}

export function clearFilters() {
  useStore.setState({ filters: {} });
}

export function setSort(sort: GallerySort) {
  useStore.setState({ sort });
}
