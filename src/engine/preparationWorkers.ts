// The page's preparation workers (workers/prepare.ts), shared: they prepare the engine's inputs
// during a run (the engine reaches them through ports), decode the gallery's thumbnails and draw
// the export's overlays. Each worker is a JS engine of its own with its heap: the engine's own
// pool, the thumbnails' pair and the export's workers had been separate (10,000 doodles: the run's
// peak 828–840 MB in four runs, with one worker fewer 816–825).
import { wrap, transfer, type Remote } from 'comlink';
import type { PrepareApi } from '../workers/prepare';

/**
 * How many prepare a run's inputs: one core for the engine, one for the page, the rest, and at
 * least two: the engine uses the second only once it has waited for inputs (preparePool.ts).
 */
export const forTheEngine = () => Math.max(2, Math.min(4, (navigator.hardwareConcurrency || 2) - 2));

const workers: Remote<PrepareApi>[] = [];

/**
 * The workers, started when first asked for: as many as a run uses, and more when a caller asks
 * for more (photo thumbnails: two; the export: one a core, up to four).
 */
export function preparationWorkers(atLeast = 1): Remote<PrepareApi>[] {
  while (workers.length < Math.max(atLeast, forTheEngine())) {
    workers.push(wrap<PrepareApi>(new Worker(new URL('../workers/prepare.ts', import.meta.url), { type: 'module', name: `gradcam-prepare-${workers.length}` })));
  }
  return workers;
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
