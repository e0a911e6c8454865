// The page's handle on the engine worker: the same API as engine/api.ts, but async over comlink.
//
// A worker can die (out of memory, a crash, a lost GPU) and comlink would then wait forever. So
// every call here races the worker's death: a worker that stops answering while images are being
// explained (no reply to a ping and no batch back within a deadline), or an engine that fails with
// an error it cannot recover from, is given up and every pending call fails with EngineLostError.
// The next call starts a fresh worker and brings it back to where the last one was: the same
// backend, the same model (the run then carries on from its last finished image: state/actions/run.ts).
import { transfer, wrap, type Remote } from 'comlink';
import { portsForTheEngine } from './preparationWorkers';
import type { EngineApi } from './workerApi';
import type { ModelFile } from './loadModel';
import type { BackendChoice } from './types';
import { EngineLostError, messageOf } from '../common/errors';

/** An engine error the engine cannot come back from in the same worker (WASM aborted, memory gone, a lost GPU context). */
export function isEngineFatal(e: unknown): boolean {
  return /out of memory|Aborted\(|RuntimeError: (abort|unreachable)|memory access out of bounds|context (was )?lost|CONTEXT_LOST|device (was |is )?lost|GPUDevice.*(destroyed|lost)/i.test(messageOf(e));
}

interface Live {
  worker: Worker;
  remote: Remote<EngineApi>;
  /** Fails every pending call when the worker is given up. */
  lost: Promise<never>;
  lose(reason: string): void;
  dead: boolean;
}

let live: Live | undefined;
let restarting: Promise<Live> | undefined;
/** What a fresh worker is brought back to. */
const replay: { backend?: BackendChoice; model?: [ModelFile[], string] } = {};
let restarts = 0;

function startWorker(): Live {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'gradcam-engine' });
  let lose!: (reason: string) => void;
  const lost = new Promise<never>((_, reject) => {
    lose = (reason) => reject(new EngineLostError(reason));
  });
  lost.catch(() => undefined);
  const l: Live = { worker, remote: wrap<EngineApi>(worker), lost, dead: false, lose: () => undefined };
  // sent first, so it arrives before any call that prepares images
  const ports = portsForTheEngine();
  void l.remote.usePreparationPorts(transfer(ports, ports));
  l.lose = (reason) => {
    if (l.dead) return;
    l.dead = true;
    clearInterval(watch);
    watch = undefined;
    worker.terminate();
    lose(reason);
  };
  return l;
}

async function current(): Promise<Live> {
  if (live && !live.dead) return live;
  if (!live) return (live = startWorker());
  // the last worker was given up: a new one, with the backend and the model the last one had
  restarting ??= (async () => {
    const next = startWorker();
    restarts++;
    if (replay.backend) await next.remote.init(replay.backend);
    if (replay.model) await next.remote.loadModel(...replay.model);
    live = next;
    return next;
  })().finally(() => (restarting = undefined));
  return restarting;
}

// The watchdog: only while images are being explained or scored (loading and timing a model may
// keep the worker busy for long stretches without a word, and nothing is lost if they are slow).
// The deadline grows with the slowest such call seen, so a slow machine is not taken for a dead one.
// Score-CAM and faithfulness calls are long single computations: a minute before they count as lost.
const LOST_AFTER_MS: Record<string, number> = { explainImages: 8000, scoreCam: 60_000, faithfulness: 60_000 };
const WATCH_EVERY_MS = 1000;
let explaining = 0;
let lastSign = 0;
let slowestBatchMs = 0;
let deadlineFloor = 0;
let watch: ReturnType<typeof setInterval> | undefined;

function watchdog(l: Live) {
  if (watch) return;
  let pinging = false;
  watch = setInterval(() => {
    if (explaining === 0 || l.dead) {
      clearInterval(watch);
      watch = undefined;
      return;
    }
    const deadline = Math.max(deadlineFloor, 10 * slowestBatchMs);
    if (performance.now() - lastSign > deadline) {
      l.lose(`the engine stopped answering for ${(deadline / 1000).toFixed(0)} s (its worker may have run out of memory or crashed)`);
      return;
    }
    if (!pinging) {
      pinging = true;
      // a ping that fails fatally (the GPU device was lost while a batch waits on it) gives the worker up at once
      void l.remote
        .ping()
        .then(
          () => (lastSign = performance.now()),
          (e: unknown) => isEngineFatal(e) && l.lose(`the engine failed and cannot go on in the same worker: ${messageOf(e)}`),
        )
        .finally(() => (pinging = false));
    }
  }, WATCH_EVERY_MS);
}

async function call(name: keyof EngineApi, args: unknown[]): Promise<unknown> {
  const l = await current();
  const watched = name in LOST_AFTER_MS;
  const started = performance.now();
  if (watched) {
    if (explaining++ === 0) {
      lastSign = started;
      deadlineFloor = 0;
    }
    deadlineFloor = Math.max(deadlineFloor, LOST_AFTER_MS[name]);
    watchdog(l);
  }
  try {
    const out = await Promise.race([(l.remote[name] as (...a: unknown[]) => Promise<unknown>)(...args), l.lost]);
    if (name === 'init' || name === 'tune') replay.backend = (out as { backend: BackendChoice }).backend;
    if (name === 'loadModel') replay.model = args as [ModelFile[], string];
    if (name === 'explainImages') slowestBatchMs = Math.max(slowestBatchMs, performance.now() - started);
    return out;
  } catch (e) {
    if (!(e instanceof EngineLostError) && isEngineFatal(e)) l.lose(`the engine failed and cannot go on in the same worker: ${messageOf(e)}`);
    throw l.dead ? await l.lost.catch((lostError: unknown) => lostError) : e;
  } finally {
    if (watched) {
      explaining--;
      lastSign = performance.now();
    }
  }
}

const handle = new Proxy({} as Remote<EngineApi>, {
  get: (_, name) => (typeof name === 'string' && name !== 'then' ? (...args: unknown[]) => call(name as keyof EngineApi, args) : undefined),
});

export function engineClient(): Remote<EngineApi> {
  return handle;
}

/** How many times a lost worker was replaced (the run says so). */
export const engineRestarts = () => restarts;

/** The backend a replacement worker starts on (WASM after a GPU backend was lost twice). */
export function restartOn(backend: BackendChoice) {
  replay.backend = backend;
}
