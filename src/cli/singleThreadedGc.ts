// V8 collects garbage partly on helper threads, besides the thread that made it. When every core
// runs an engine (--jobs as many as the cores: the default), those helpers take CPU from the
// engines: on 2 cores, 1,000 VWW photos with --jobs 2 ran at 77.9 images/s, and at 89.5 with
// --single-threaded-gc (10,000 doodles 478 → 531), while one engine gains nothing from them (49.0
// against 47.9). The flag is read only when Node starts, so the command line starts itself again
// with it (one more Node start, ~50 ms); a command line started with it already carries on.
import { spawn } from 'node:child_process';
import { flagValue } from './earlyFlags';

const SINGLE_THREADED_GC = '--single-threaded-gc';

/** Whether this run keeps every core busy with engines (or a GPU engine and its helpers) and Node was not started with the flag. */
export function wantsSingleThreadedGc(argv: string[], cores: number, execArgv: string[]): boolean {
  if (cores < 2 || execArgv.includes(SINGLE_THREADED_GC)) return false;
  const jobs = Number(flagValue(argv, 'jobs') ?? cores);
  return Number.isInteger(jobs) && jobs >= cores;
}

/**
 * Runs `script` again in a new Node with the flag, its output on this terminal; resolves to its
 * exit code. A signal sent to this process (Docker's stop, a Ctrl-C) is passed on to it.
 */
export function runAgainWithSingleThreadedGc(script: string, argv: string[]): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, SINGLE_THREADED_GC, script, ...argv], { stdio: 'inherit' });
  const passOn = (signal: NodeJS.Signals) => () => child.kill(signal);
  for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, passOn(s));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 143)));
  });
}
