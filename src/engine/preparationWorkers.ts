// The page's preparation workers (workers/prepare.ts), shared: they prepare the engine's inputs
// during a run (the engine reaches them through ports) and decode the gallery's thumbnails. Each
// worker costs ~30 MB of the browser's memory (measured: 10,000 doodles, run peak 832–840 MB with
// the engine's own worker besides the page's two, 797–807 MB with one fewer), so the engine no
// longer starts workers of its own.
import { wrap, transfer, type Remote } from 'comlink';
import type { PrepareApi } from '../workers/prepare';

/** How many prepare a run's inputs: one core for the engine, one for the page, the rest (at least one). */
export const forTheEngine = () => Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 2));

let workers: { worker: Worker; remote: Remote<PrepareApi> }[] | undefined;

/** The workers, started at the first call: as many as a run uses, and at least two (the thumbnails' share). */
export function preparationWorkers(): Remote<PrepareApi>[] {
  workers ??= Array.from({ length: Math.max(2, forTheEngine()) }, (_, i) => {
    const worker = new Worker(new URL('../workers/prepare.ts', import.meta.url), { type: 'module', name: `gradcam-prepare-${i}` });
    return { worker, remote: wrap<PrepareApi>(worker) };
  });
  return workers.map((w) => w.remote);
}

/** Ports to the workers a run uses, for an engine worker (a fresh pair each time: a restarted engine gets new ones). */
export function portsForTheEngine(): MessagePort[] {
  const remotes = preparationWorkers().slice(0, forTheEngine());
  return remotes.map((remote) => {
    const { port1, port2 } = new MessageChannel();
    void remote.connect(transfer(port1, [port1]));
    return port2;
  });
}
