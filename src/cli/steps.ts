// The command line's optional steps after explaining: --faithfulness and --sanity, as the app does them.
import api from '../engine/workerApi';
import { seedOf } from '../common/random';
import type { RunOptions, SampleResult } from '../engine/types';
import { rawMapOf, type ViewSettings } from '../results/view';
import { REFERENCE_MAPS, saliencies, summarize } from '../results/faithfulness';
import type { FaithfulnessHow, FaithfulnessScore } from '../methods/faithfulness';
import { mapKey, METHODS, type Pooling } from '../methods/registry';
import { readSanity, sanitySample, SANITY_STAGES } from '../results/sanity';
import { methodSet } from '../state/selectors';
import type { Engines } from './enginePool';
import type { Sample } from '../sources/datasets/dataset';
import { readBytes } from '../sources/datasets/files';

type Log = (line: string) => void;

/** --sanity: the app's sanity checks on the in-process engine, on the same sample of explained images, read out as the app reads them. */
export async function sanityChecks(samples: Sample[], results: Record<string, SampleResult>, pooling: Pooling, options: RunOptions, log: Log) {
  const picked = sanitySample(samples.filter((s) => { const r = results[s.id]; return r && !('error' in r); }));
  log(`Sanity checks on ${picked.length} images…`);
  const report = await api.sanityChecks(await Promise.all(picked.map(async (s) => ({ id: s.id, bytes: await readBytes(s) }))), options, SANITY_STAGES);
  log(`  re-initialised, from the output down: ${report.layers.join(', then ')}`);
  for (const m of METHODS) {
    const r = readSanity(report, mapKey(m.id, pooling), m.classSensitive);
    if (r) log(`  ${m.id}: ${r.model.map((v) => v.toFixed(2)).join(' → ')}; another class ${r.anotherClass === undefined ? '—' : r.anotherClass.toFixed(2)}: ${r.reading}`);
  }
  return report;
}

/** --faithfulness: the method's maps and the two reference maps scored on every explained image, as the app does. */
export async function scoreFaithfulness(engines: Engines, samples: Sample[], results: Record<string, SampleResult>, view: ViewSettings, [h, w]: readonly number[], options: RunOptions, how: FaithfulnessHow, log: Log) {
  const current = methodSet({ view });
  const sets = [current, ...REFERENCE_MAPS];
  const byName: Record<string, Record<string, FaithfulnessScore>> = Object.fromEntries(sets.map((n) => [n, {}]));
  const todo = samples.filter((s) => { const r = results[s.id]; return r && !('error' in r); });
  log(`Faithfulness: ${todo.length} images × ${sets.length} maps, removed pixels ${how.baseline}${how.road ? ', with ROAD' : ''}…`);
  // groups of 8 images, one group per engine at a time
  const groups = Array.from({ length: Math.ceil(todo.length / 8) }, (_, g) => g * 8);
  const score = async (i: number) => {
    const requests = await Promise.all(todo.slice(i, i + 8).map(async (sample) => {
      const r = results[sample.id] as Exclude<SampleResult, { error: string }>;
      return { id: sample.id, bytes: await readBytes(sample), targetClass: r.targetIndex, saliencies: saliencies(sets, { [current]: { raw: rawMapOf(r, view), view } }, r, w, h, seedOf(sample.id)) };
    }));
    for (const o of await engines.faithfulness(requests, options, how)) if ('scores' in o) sets.forEach((n, j) => (byName[n][o.id] = o.scores[j]));
  };
  await Promise.all(Array.from({ length: engines.count }, async () => {
    for (let g = groups.shift(); g !== undefined; g = groups.shift()) await score(g);
  }));
  for (const n of sets) {
    const s = summarize(Object.values(byName[n]));
    if (s) log(`  ${n}: deletion ${s.deletion.mean.toFixed(3)}, insertion ${s.insertion.mean.toFixed(3)}, Average Drop ${s.averageDrop.toFixed(1)} %, increase ${s.increase.toFixed(1)} %${s.road ? `, ROAD ${s.road.mean.toFixed(3)}` : ''}`);
  }
  return { how, method: byName[current], random: byName.random, gaussian: byName.gaussian };
}
