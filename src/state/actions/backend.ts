// The engine's backend: the user's choice, starting it before first use, and fitting backend
// and batch size to the loaded model (measured once per model and device, then remembered).
import { engineClient } from '../../engine/workerClient';
import { messageOf } from '../../common/errors';
import { forgetBackend, recallBackend, rememberBackend } from '../backendMemory';
import { useStore } from '../store';
import { say } from './messages';

const get = useStore.getState;
const set = useStore.setState;

/** Starts the chosen backend if none is running yet. */
export async function ensureBackend() {
  const { backend, backendChoice, run } = get();
  if (backend) return;
  set({ run: { ...run, status: 'loading', step: 'Starting the backend…' } });
  set({ backend: await engineClient().init(backendChoice) });
}

/**
 * Backend and batch size for the model just loaded (its fingerprint `modelKey`): remembered
 * from an earlier measurement on this device, else measured now by timing the model's own
 * Grad-CAM step (a second or two) and remembered.
 */
export async function fitBackendToModel(modelKey: string, { remeasure = false } = {}) {
  const choice = get().backendChoice;
  const remembered = remeasure ? undefined : recallBackend(choice, modelKey);
  if (remembered) {
    try {
      const report = await engineClient().init(remembered.backend);
      set({ backend: { ...report, batchSize: remembered.batchSize, measured: remembered.measured, remembered: true } });
      return;
    } catch (e) {
      say('warning', `The backend measured earlier for this model (${remembered.backend}) did not start (${messageOf(e)}); measuring again.`);
    }
  }
  if (remeasure) forgetBackend(choice, modelKey);
  const before = get().run;
  set({ run: { ...before, status: 'loading', step: choice === 'auto' ? 'Timing the model on each backend…' : `Timing the model on ${choice}…` } });
  try {
    const report = await engineClient().tune(choice);
    rememberBackend(choice, modelKey, { backend: report.backend, batchSize: report.batchSize ?? 16, measured: report.measured });
    set({ backend: report });
  } catch (e) {
    // the model stays usable on the backend already running, at the default batch size
    say('warning', `Timing the model on the backends failed (${messageOf(e)}); running on ${get().backend?.backend ?? 'the current backend'} without measuring.`);
  } finally {
    set({ run: { ...get().run, status: before.status, step: before.step } });
  }
}
