// The engine's backend: the user's choice, and starting it before first use.
import { engineClient } from '../../engine/workerClient';
import { useStore } from '../store';

/** Starts the chosen backend if none is running yet. */
export async function ensureBackend() {
  const { backend, backendChoice, run } = useStore.getState();
  if (backend) return;
  useStore.setState({ run: { ...run, status: 'loading', step: 'Choosing the fastest backend…' } });
  useStore.setState({ backend: await engineClient().init(backendChoice) });
}
