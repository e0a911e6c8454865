// The built command line (dist-cli/main.js, from `npm run build`) runs under plain Node.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

it('node dist-cli/main.js explains the demo and writes deploy.zip; progress goes to stderr, no library noise anywhere', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gradcam-built-'));
  const r = spawnSync(process.execPath, ['dist-cli/main.js', '--dataset', 'public/demo/quickdraw-test.zip', '--model', 'public/demo/model', '--out-directory', out], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/Done: 300 explained .*254 correct, 46 incorrect/);
  expect(r.stdout).not.toMatch(/^\s+\d+\/300$/m); // progress is not in the report
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines.at(-1)).toBe('  300/300'); // not a terminal: plain lines, about one per tenth
  expect(lines.length).toBeLessThanOrEqual(11);
  expect(lines.filter((l) => !/^ {2}\d+\/300$/.test(l))).toEqual([]); // nothing else: no TF.js banner, no shape warnings
  expect(fs.statSync(path.join(out, 'deploy.zip')).size).toBeGreaterThan(100_000);
  // a Keras .h5 model too (TF.js used to warn "The shape of the input tensor … does not match" on every one)
  const h5 = spawnSync(process.execPath, ['dist-cli/main.js', '--dataset', 'public/demo/quickdraw-test.zip', '--model', 'tests/fixtures/keras-h5-doodlenet/doodleNet-model.h5', '--model', 'tests/fixtures/keras-h5-doodlenet/class_names.txt', '--out-directory', out], { encoding: 'utf8' });
  expect(h5.status).toBe(0);
  expect(h5.stdout).toMatch(/Model: keras-h5, .*Done: 300 explained .*254 correct, 46 incorrect/s);
  expect(h5.stderr.split('\n').filter((l) => l && !/^ {2}\d+\/300$/.test(l))).toEqual([]);
});

it('--jobs 2 runs two engine threads and writes the same deploy.zip as one engine, entry for entry', async () => {
  const { unzipSync } = await import('fflate');
  const run = (jobs: number) => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), `gradcam-jobs${jobs}-`));
    const r = spawnSync(process.execPath, ['dist-cli/main.js', '--dataset', 'public/demo/quickdraw-test.zip', '--model', 'public/demo/model', '--jobs', String(jobs), '--out-directory', out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l && !/^ {2}\d+\/300$/.test(l))).toEqual([]); // no noise from the threads either
    return { stdout: r.stdout, zip: unzipSync(fs.readFileSync(path.join(out, 'deploy.zip'))) };
  };
  const one = run(1);
  const two = run(2);
  expect(one.stdout).toMatch(/one engine…/);
  expect(two.stdout).toMatch(/2 engines at once…/);
  expect(two.stdout).toMatch(/Done: 300 explained .*254 correct, 46 incorrect/);
  expect(Object.keys(two.zip).sort()).toEqual(Object.keys(one.zip).sort());
  for (const [name, bytes] of Object.entries(one.zip)) {
    expect(Buffer.compare(Buffer.from(two.zip[name]), Buffer.from(bytes)), name).toBe(0);
  }
});
