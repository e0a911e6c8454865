import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import './ui/styles.css';
import { useStore } from './state/store';
import { engineClient } from './engine/workerClient';
import { startUrlSync } from './state/urlSync';
import { registerServiceWorker } from './offline/register';
import { lookForKeptResults } from './state/actions/keptRun';
import { applyTheme, storedTheme } from './ui/Theme';

// A read-only handle for end-to-end tests, benchmarks and the curious: the results never leave the page.
(window as unknown as { gradcam: unknown }).gradcam = { getState: useStore.getState, stageTimes: () => engineClient().stageTimes() };

startUrlSync();
if (import.meta.env.PROD) void registerServiceWorker(); // the dev server's modules are not a build to cache
void lookForKeptResults();
applyTheme(storedTheme()); // before the first paint, so a dark choice does not flash light

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
