// Registers the service worker (scripts/serviceWorker.ts writes it into the build) so the app works
// offline after the first visit, and notices when a new build's worker is waiting: the page then
// offers to reload onto it rather than mixing two builds.
type Listener = (ready: boolean) => void;
let waiting: ServiceWorker | undefined;
const listeners = new Set<Listener>();

function found(worker: ServiceWorker | null | undefined) {
  if (!worker || !navigator.serviceWorker.controller) return; // the first install is not an update
  const ready = () => {
    waiting = worker;
    listeners.forEach((l) => l(true));
  };
  if (worker.state === 'installed') ready();
  else worker.addEventListener('statechange', () => worker.state === 'installed' && ready());
}

export async function registerServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  try {
    const reg = await navigator.serviceWorker.register('./sw.js');
    found(reg.waiting);
    reg.addEventListener('updatefound', () => found(reg.installing));
    let reloading = false;
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      if (waiting && !reloading) {
        reloading = true;
        location.reload();
      }
    });
  } catch {
    // no service worker (a private window, file://): the app works, only not offline
  }
}

/** Called with true when a new build is ready to be used. */
export function onUpdateReady(listener: Listener): () => void {
  listeners.add(listener);
  if (waiting) listener(true);
  return () => listeners.delete(listener);
}

/** Switches to the waiting build; the page reloads once it has taken over. */
export function switchToNewBuild() {
  waiting?.postMessage('skip-waiting');
}
