// Keeps the address's hash in step with what the user looks at (results/viewUrl.ts), and
// applies a hash found at start-up; the view settings are also remembered for the next visit.
// Holds no key, no file contents: settings, labels, a path.
import { decodeViewState, encodeViewState } from '../results/viewUrl';
import { useStore } from './store';

/** The view settings and order, remembered on this device for a visit with no hash (filters and the open sample belong to one data set: not kept). */
const SAVED = 'gradcam-studio.view.v1';
const storage = {
  read: () => { try { return localStorage.getItem(SAVED) ?? ''; } catch { return ''; } },
  write: (v: string) => { try { localStorage.setItem(SAVED, v); } catch { /* storage refused: settings last this visit */ } },
};

export function startUrlSync() {
  const found = decodeViewState(location.hash);
  const saved = decodeViewState(storage.read());
  useStore.setState((s) => ({ view: { ...s.view, ...saved.view, ...found.view }, filters: found.filters, sort: found.sort ?? saved.sort ?? s.sort, selected: found.selected ?? s.selected }));
  let pending: ReturnType<typeof setTimeout> | undefined;
  useStore.subscribe((s, prev) => {
    if (s.view === prev.view && s.filters === prev.filters && s.sort === prev.sort && s.selected === prev.selected) return;
    clearTimeout(pending);
    // a slider drag writes once it rests, not a history entry per step (replaceState adds none)
    pending = setTimeout(() => {
      const { view, filters, sort, selected } = useStore.getState();
      const hash = encodeViewState({ view, filters, sort, selected });
      storage.write(encodeViewState({ view, filters: {}, sort }));
      if (hash !== location.hash.replace(/^#/, '')) history.replaceState(null, '', hash ? `#${hash}` : location.pathname + location.search);
    }, 150);
  });
}
