#!/usr/bin/env node
// Entry point of the command line (`npm run build` builds it into dist-cli/main.js).
import { isMainThread, parentPort } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { backendAsked, loadDawn } from './webgpu';
import { runAgainWithSingleThreadedGc, wantsSingleThreadedGc } from './singleThreadedGc';

/** Progress on stderr, so stdout stays the report: a bar redrawn in place on a terminal, a line every 10 % otherwise. */
function progress() {
  let lastTenth = -1;
  return (done: number, total: number) => {
    if (process.stderr.isTTY) {
      const width = 30, filled = Math.round((done / total) * width);
      process.stderr.write(`\r  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${done === total ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor((done / total) * 10);
    if (tenth !== lastTenth || done === total) process.stderr.write(`  ${done}/${total}\n`);
    lastTenth = tenth;
  };
}

// Started as a worker thread (--jobs), this file serves one more engine (or, on a GPU, a helper) to the command line that started it.
// The rest is imported only now: WebGPU (Dawn) must be in place before TF.js is (webgpu.ts).
if (!isMainThread && parentPort) {
  const { serveEngine } = await import('./enginePool');
  serveEngine(parentPort);
} else if (wantsSingleThreadedGc(process.argv.slice(2), os.availableParallelism(), process.execArgv)) {
  process.exit(await runAgainWithSingleThreadedGc(fileURLToPath(import.meta.url), process.argv.slice(2)));
} else {
  const argv = process.argv.slice(2);
  const asked = backendAsked(argv);
  const webGpuMissing = asked === 'webgpu' || asked === 'auto' ? await loadDawn() : undefined;
  const { runCli } = await import('./run');
  runCli(argv, { log: console.log, progress: progress(), engineEntry: new URL(import.meta.url), webGpuMissing }).then(
    (code) => process.exit(code),
    (e: Error) => {
      console.error(`gradcam: ${e.message}`);
      process.exit(1);
    },
  );
}
