// Keeps the address's hash in step with what the user looks at (results/viewUrl.ts), and
// applies a hash found at start-up. Holds no key, no file contents: settings, labels, a path.
import { decodeViewState, encodeViewState } from '../results/viewUrl';
import { useStore } from './store';

export function startUrlSync() {
  const found = decodeViewState(location.hash);
  useStore.setState((s) => ({ view: { ...s.view, ...found.view }, filters: found.filters, sort: found.sort ?? s.sort, selected: found.selected ?? s.selected }));
  let pending: ReturnType<typeof setTimeout> | undefined;
  useStore.subscribe((s, prev) => {
    if (s.view === prev.view && s.filters === prev.filters && s.sort === prev.sort && s.selected === prev.selected) return;
    clearTimeout(pending);
    // a slider drag writes once it rests, not a history entry per step (replaceState adds none)
    pending = setTimeout(() => {
      const { view, filters, sort, selected } = useStore.getState();
      const hash = encodeViewState({ view, filters, sort, selected });
      if (hash !== location.hash.replace(/^#/, '')) history.replaceState(null, '', hash ? `#${hash}` : location.pathname + location.search);
    }, 150);
  });
}
