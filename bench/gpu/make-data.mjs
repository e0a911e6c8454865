// The bench's data sets on the GPU machine: 1,000 VWW-like JPEGs made on all cores (bench/app/data.mjs's vwwZip, in parallel), 10,000 doodles.
import os from 'node:os';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { doodleZip, photo, vwwEntry, writeZip } from '../app/data.mjs';
import { DATA } from '../app/paths.mjs';

if (!isMainThread) {
  const out = [];
  for (let i = workerData.from; i < workerData.to; i++) out.push(photo(i));
  parentPort.postMessage(out);
} else {
  const n = 1000, k = Math.max(1, os.availableParallelism() - 1), per = Math.ceil(n / k);
  const parts = await Promise.all(Array.from({ length: k }, (_, j) => new Promise((resolve, reject) => {
    const w = new Worker(new URL(import.meta.url), { workerData: { from: j * per, to: Math.min(n, (j + 1) * per) } });
    w.once('message', (m) => { resolve(m); w.terminate(); });
    w.once('error', reject);
  })));
  console.log(await writeZip(path.join(DATA, `vww-${n}.zip`), parts.flat().map((bytes, i) => vwwEntry(i, bytes))), await doodleZip(10000));
}
