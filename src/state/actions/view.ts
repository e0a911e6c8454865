// What the user looks at: view settings (repaint only) and the open detail view.
import type { ViewSettings } from '../../results/view';
import { useStore } from '../store';

export function setView(patch: Partial<ViewSettings>) {
  useStore.setState((s) => ({ view: { ...s.view, ...patch } }));
}

/** Opens a sample's detail view; undefined closes it. */
export function selectSample(id: string | undefined) {
  useStore.setState({ selected: id });
}
