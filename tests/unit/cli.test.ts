// The command line, the old deployment block's job: against the fake Edge Impulse API and on local files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run';
import { backendAsked, loadDawn } from '../../src/cli/webgpu';
import { wantsSingleThreadedGc } from '../../src/cli/singleThreadedGc';
import { startFakeEdgeImpulse, type FakeEdgeImpulse } from '../fake-ei/server';
import { doodleProject } from '../fake-ei/project';
import { classFolderZip } from '../helpers';

let fake: FakeEdgeImpulse | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'gradcam-cli-'));

async function run(args: string[]) {
  const lines: string[] = [];
  const code = await runCli(args, { log: (l) => lines.push(l) });
  return { code, out: lines.join('\n') };
}

async function zipNames(file: string) {
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  return { zip, names: Object.keys(zip.files).filter((n) => !zip.files[n].dir) };
}

describe('gradcam (command line)', () => {
  it('with --metadata: reads the project, exports, explains the test split, writes deploy.zip; the key is never printed', async () => {
    fake = await startFakeEdgeImpulse(await doodleProject());
    const dir = tmp();
    const metadata = path.join(dir, 'metadata.json');
    fs.writeFileSync(metadata, JSON.stringify({ project: { apiKey: fake.project.apiKey, name: 'Doodles' }, folders: { output: path.join(dir, 'out') } }));
    const { code, out } = await run(['--metadata', metadata, '--api-host', fake.apiHost, '--poll-ms', '20', '--alpha', '0.6', '--pooling-gradients', 'sum_abs', '--heatmap-normalization', 'simple']);
    expect(code).toBe(0);
    expect(out).toMatch(/Project "Doodles" \(#4242\).*28×28 squash, Grayscale, scaling 0\.\.1/);
    expect(out).toMatch(/Explaining 30 images \(testing\)/);
    expect(out).not.toContain(fake.project.apiKey);
    const { zip, names } = await zipNames(path.join(dir, 'out', 'deploy.zip'));
    expect(names.filter((n) => /^(correct|incorrect)\/.*\.png$/.test(n))).toHaveLength(30);
    expect(JSON.parse(await zip.file('settings.json')!.async('string'))).toMatchObject({ alpha: 0.6, pooling: 'sum_abs', normalization: 'simple', resizeMethod: 'lanczos3' });
    // --skip-dataset-download reuses that download: no new export job
    const jobs = () => fake!.requests.filter((r) => r.url.includes('/jobs/export/original')).length;
    expect(jobs()).toBe(1);
    const again = await run(['--metadata', metadata, '--api-host', fake.apiHost, '--skip-dataset-download']);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/Reusing the download/);
    expect(jobs()).toBe(1);
  });

  it('on local files: the demo export and the DoodleNet folder give the app’s split (254 correct, 46 incorrect)', async () => {
    const dir = tmp();
    const { code, out } = await run(['--dataset', 'public/demo/quickdraw-test.zip', '--model', 'public/demo/model', '--out-directory', dir, '--method', 'hirescam']);
    expect(code).toBe(0);
    expect(out).toMatch(/254 correct, 46 incorrect/);
    expect(fs.readdirSync(dir)).toEqual(['deploy.zip']); // written as deploy.zip.partial, renamed once complete
    const { zip, names } = await zipNames(path.join(dir, 'deploy.zip'));
    expect(names.filter((n) => n.startsWith('correct/'))).toHaveLength(254);
    const settings = JSON.parse(await zip.file('settings.json')!.async('string'));
    expect(settings.method).toBe('hirescam');
    expect(settings).not.toHaveProperty('pooling'); // pooling is Grad-CAM's setting only
  });

  it('writes deploy.zip while it explains: overlays are on disk before the last image is explained, the same as a zip written after the run', async () => {
    const dir = tmp();
    const partial = path.join(dir, 'deploy.zip.partial');
    const sizeAtEnd: number[] = [];
    const args = ['--dataset', 'public/demo/quickdraw-test.zip', '--model', 'public/demo/model'];
    const progress = (done: number, total: number) => void (done === total && sizeAtEnd.push(fs.existsSync(partial) ? fs.statSync(partial).size : 0));
    expect(await runCli([...args, '--out-directory', dir], { log: () => undefined, progress })).toBe(0);
    // the last batch has just been explained: the overlays of the first ones are written already
    expect(sizeAtEnd).toHaveLength(1);
    expect(sizeAtEnd[0]).toBeGreaterThan(100_000);
    // --sanity needs every map first, so that zip is written once the run is over: the same overlays and report
    const after = tmp();
    expect((await run([...args, '--out-directory', after, '--sanity'])).code).toBe(0);
    const streamed = await zipNames(path.join(dir, 'deploy.zip'));
    const whole = await zipNames(path.join(after, 'deploy.zip'));
    expect(streamed.names).toEqual(whole.names);
    const bytes = async (z: JSZip, n: string) => Buffer.from(await z.file(n)!.async('uint8array'));
    const differ: string[] = [];
    for (const n of streamed.names.filter((n) => n !== 'settings.json')) if (!(await bytes(streamed.zip, n)).equals(await bytes(whole.zip, n))) differ.push(n);
    expect(differ).toEqual([]); // (compared as Buffers: toEqual on 300 PNGs' bytes took ~12 s)
  });

  it('--faithfulness scores the maps as the app does: the same numbers as in Chromium (tests/e2e/faithfulness.test.ts)', async () => {
    const dir = tmp();
    const { code, out } = await run(['--dataset', 'public/demo/quickdraw-test.zip', '--model', 'public/demo/model', '--out-directory', dir, '--method', 'hirescam', '--faithfulness']);
    expect(code).toBe(0);
    expect(out).toMatch(/Faithfulness: 300 images × 3 maps/);
    const { zip } = await zipNames(path.join(dir, 'deploy.zip'));
    const csv = (await zip.file('report.csv')!.async('string')).trim().split('\n');
    expect(csv[0]).toBe('file,overlay,true_label,predicted_label,confidence,correct,average_drop,increase,deletion_auc,insertion_auc');
    expect(csv.slice(1).every((l) => l.split(',').length === 10 && l.split(',')[8] !== '')).toBe(true);
    const f = JSON.parse(await zip.file('settings.json')!.async('string')).faithfulness;
    // measured in the app (Chromium, WASM) on the same doodles: HiResCAM 0.068 / 0.228, random 0.129 / 0.091, Gaussian 0.085 / 0.312
    expect([f.method.deletion_auc, f.method.insertion_auc, f.random.deletion_auc, f.random.insertion_auc, f.gaussian.deletion_auc, f.gaussian.insertion_auc].map((v: number) => v.toFixed(3))).toEqual(['0.068', '0.228', '0.129', '0.091', '0.085', '0.312']);
  }, 240_000);

  it('--road adds ROAD to --faithfulness (a road column, its settings); --faithfulness-baseline is recorded and checked', async () => {
    const dir = tmp();
    const data = path.join(dir, 'doodles.zip');
    fs.writeFileSync(data, await classFolderZip(2));
    const { code, out } = await run(['--dataset', data, '--model', 'public/demo/model', '--out-directory', dir, '--road', '--faithfulness-baseline', 'mean', '--jobs', '1']);
    expect(code).toBe(0);
    expect(out).toMatch(/Faithfulness: 6 images × 3 maps, removed pixels mean, with ROAD/);
    const { zip } = await zipNames(path.join(dir, 'deploy.zip'));
    const csv = (await zip.file('report.csv')!.async('string')).trim().split('\n');
    expect(csv[0]).toBe('file,overlay,true_label,predicted_label,confidence,correct,average_drop,increase,deletion_auc,insertion_auc,road');
    expect(csv.slice(1).every((l) => Number.isFinite(Number(l.split(',')[10])) && l.split(',')[10] !== '')).toBe(true);
    const f = JSON.parse(await zip.file('settings.json')!.async('string')).faithfulness;
    expect(f).toMatchObject({ baseline: 'mean', road: { percents: [10, 20, 30, 40, 50, 60, 70, 80, 90], noise: 0.01 }, method: { images: 6 }, random: { images: 6 } });
    expect(typeof f.method.road).toBe('number');
    await expect(run(['--dataset', data, '--model', 'public/demo/model', '--faithfulness', '--faithfulness-baseline', 'grey'])).rejects.toThrow(/--faithfulness-baseline must be one of black, blur, mean \(got grey\)/);
  });

  it('--layers, --fusion and --smooth make finer maps and say so in settings.json; a layer the model lacks is named', async () => {
    const dir = tmp();
    const data = path.join(dir, 'doodles.zip');
    fs.writeFileSync(data, await classFolderZip(4));
    const { code, out } = await run(['--dataset', data, '--model', 'public/demo/model', '--out-directory', dir, '--layers', 'conv2d_5,conv2d_3', '--fusion', 'mean', '--smooth', 'aug']);
    expect(code).toBe(0);
    expect(out).toMatch(/layers conv2d_5 \+ conv2d_3 fused \(mean\), aug-smooth/);
    const { zip } = await zipNames(path.join(dir, 'deploy.zip'));
    const settings = JSON.parse(await zip.file('settings.json')!.async('string'));
    expect(settings).toMatchObject({ layer: 'conv2d_5', layers: ['conv2d_5', 'conv2d_3'], fusion: 'mean', smooth: 'aug' });
    await expect(run(['--dataset', data, '--model', 'public/demo/model', '--out-directory', dir, '--layers', 'conv2d_5,dense'])).rejects.toThrow(/--layers: "dense" is not a spatial layer of this model; it has conv2d, /);
  });

  it('--sanity runs the app\'s sanity checks and gives the same figures as the app (tests/e2e/faithfulness.test.ts)', async () => {
    const dir = tmp();
    const { code, out } = await run(['--dataset', 'public/demo/quickdraw-test.zip', '--model', 'public/demo/model', '--out-directory', dir, '--sanity']);
    expect(code).toBe(0);
    expect(out).toMatch(/Sanity checks on 16 images…\n {2}re-initialised, from the output down: dense_1, then dense, then conv2d_5/);
    expect(out).toMatch(/ {2}eigencam: .*another class 1\.00: .*it ignores the class/);
    const { zip } = await zipNames(path.join(dir, 'deploy.zip'));
    const { sanity } = JSON.parse(await zip.file('settings.json')!.async('string'));
    // measured in the app (Chromium, WASM) on the same 16 doodles: Grad-CAM −0.02 → −0.05 → −0.01, another class 0.08
    expect(sanity.methods.gradcam.model_randomisation.map((v: number) => v.toFixed(2))).toEqual(['-0.02', '-0.05', '-0.01']);
    expect(sanity.methods.gradcam.another_class.toFixed(2)).toBe('0.08');
    expect(sanity.methods.gradcam.flags).toEqual([]);
    expect(sanity.methods.eigencam.flags).toEqual(['class']);
  });

  it('says what is wrong with its flags', async () => {
    await expect(run(['--dataset', 'x.zip', '--model', 'm', '--fusion', 'min'])).rejects.toThrow(/--fusion must be max or mean/);
    await expect(run(['--dataset', 'x.zip', '--model', 'm', '--smooth', 'median'])).rejects.toThrow(/--smooth must be aug or eigen/);
    await expect(run(['--dataset', 'x.zip', '--model', 'm', '--jobs', '0'])).rejects.toThrow(/--jobs must be a whole number from 1/);
    await expect(run(['--dataset', 'x.zip', '--model', 'm', '--alpha', '2'])).rejects.toThrow(/--alpha must be between 0 and 1/);
    await expect(run(['--dataset', 'x.zip', '--model', 'm', '--pooling-gradients', 'max'])).rejects.toThrow(/must be mean or sum_abs/);
    await expect(run(['--dataset', 'x.zip', '--model', 'm', '--method', 'scorecam'])).rejects.toThrow(/--method must be one of gradcam, gradcampp, hirescam, xgradcam, layercam, eigencam/);
    await expect(run(['--dataset', 'x.zip', '--model', 'm', '--backend', 'webgl'])).rejects.toThrow(/--backend must be wasm, cpu, webgpu or auto \(got webgl\)/);
    // WebGPU through Dawn (cli/webgpu.ts): what main.ts found is said, with what to do
    const missing = await loadDawn({ DAWN_NODE: '/nowhere/dawn.node' });
    expect(missing).toMatch(/^DAWN_NODE=\/nowhere\/dawn\.node could not be loaded: Cannot find module/);
    await expect(runCli(['--dataset', 'x.zip', '--model', 'm', '--backend', 'webgpu'], { log: () => undefined, webGpuMissing: missing })).rejects.toThrow(/this Node has no WebGPU \(DAWN_NODE=.*could not be loaded.*\)\. Install Dawn's Node bindings \(`npm install webgpu`\) or set DAWN_NODE.*--backend wasm/);
    expect(backendAsked(['--jobs', '2', '--backend', 'auto'])).toBe('auto');
    expect(backendAsked(['--backend=webgpu'])).toBe('webgpu');
    expect(backendAsked(['--jobs', '2'])).toBeUndefined();
    // every core an engine (the default --jobs): the command line starts itself again with V8's
    // single-threaded GC (singleThreadedGc.ts); fewer engines than cores, or the flag given, it does not
    expect(wantsSingleThreadedGc(['--dataset', 'x.zip'], 2, [])).toBe(true);
    expect(wantsSingleThreadedGc(['--jobs=2'], 2, [])).toBe(true);
    expect(wantsSingleThreadedGc(['--jobs', '1'], 2, [])).toBe(false);
    expect(wantsSingleThreadedGc(['--jobs', '4'], 16, [])).toBe(false);
    expect(wantsSingleThreadedGc([], 2, ['--single-threaded-gc'])).toBe(false);
    expect(wantsSingleThreadedGc([], 1, [])).toBe(false);
    expect(wantsSingleThreadedGc(['--jobs', 'many'], 2, [])).toBe(false);
    expect((await run([])).code).toBe(2);
  });
});
