// The Edge Impulse client and flow against a fake API on loopback (tests/fake-ei).
import { afterEach, describe, expect, it } from 'vitest';
import { readProject } from '../../src/sources/edge-impulse/project';
import { downloadModel, exportDataset } from '../../src/sources/edge-impulse/download';
import { EdgeImpulseError, type Connection } from '../../src/sources/edge-impulse/http';
import { buildDataset, defaultSplit, samplesOfSplit } from '../../src/sources/datasets/dataset';
import { expandDrop } from '../../src/sources/datasets/files';
import { startFakeEdgeImpulse, type FakeEdgeImpulse, type FakeProject } from '../fake-ei/server';
import { doodleProject, exportZip } from '../fake-ei/project';

let fake: FakeEdgeImpulse | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function connect(overrides: Partial<FakeProject> = {}, key?: string): Promise<Connection> {
  fake = await startFakeEdgeImpulse(await doodleProject(overrides));
  return { apiHost: fake.apiHost, apiKey: key ?? fake.project.apiKey };
}
const fast = { pollMs: 20, timeoutMs: 2000 };

describe('the Edge Impulse flow', () => {
  it('reads the project, exports fresh data, downloads the model; the key goes only to the API host', async () => {
    const c = await connect();
    const steps: string[] = [];
    const facts = await readProject(c, (s) => steps.push(s));
    expect(facts).toMatchObject({
      projectId: 4242, projectName: 'Doodles', role: 'admin', learnBlock: { id: 4, type: 'keras' },
      image: { width: 28, height: 28, resizeMode: 'squash', resizeMethod: 'lanczos3' }, channels: 'Grayscale', mode: 'classification', imageInputScaling: '0..1',
    });
    expect(facts.classNames).toHaveLength(345);
    const zip = await exportDataset(c, facts, { ...fast, onStep: (s) => steps.push(s) });
    const model = await downloadModel(c, facts);
    expect(model.length).toBeGreaterThan(1_000_000);
    const ds = buildDataset('export', await expandDrop([{ path: 'export.zip', bytes: zip }]));
    expect(ds.layout).toBe('edge-impulse');
    expect(defaultSplit(ds)).toBe('testing');
    expect(samplesOfSplit(ds, 'testing')).toHaveLength(30);
    expect(steps).toContain('Downloading the data set…');
    // the job was polled, and the stale export offered first was not taken
    const api = fake!.requests.filter((r) => r.server === 'api');
    expect(api.filter((r) => r.url.includes('/jobs/1234/status')).length).toBeGreaterThanOrEqual(3);
    const storage = fake!.requests.filter((r) => r.server === 'storage');
    expect(storage.map((r) => r.url)).toEqual([expect.stringContaining('/exports/latest.zip?X-Amz-Signature=abc123')]);
    // the key: on every API request, in a header only; never to storage, never in a URL
    for (const r of api) expect(r.headers['x-api-key']).toBe(fake!.project.apiKey);
    for (const r of storage) expect(JSON.stringify(r.headers)).not.toContain(fake!.project.apiKey);
    for (const r of fake!.requests) expect(r.url).not.toContain(fake!.project.apiKey);
  });

  it('reads NDJSON info.labels', async () => {
    const c = await connect({ exportZip: await exportZip(3, { ndjson: true }) });
    const facts = await readProject(c);
    const ds = buildDataset('export', await expandDrop([{ path: 'e.zip', bytes: await exportDataset(c, facts, fast) }]));
    expect(samplesOfSplit(ds, 'testing').map((s) => s.label).sort()).toEqual([...Array(3).fill('bowtie'), ...Array(3).fill('lollipop'), ...Array(3).fill('rainbow')]);
  });
});

describe('errors the user must understand', () => {
  const fails = async (p: Promise<unknown>, pattern: RegExp, kind?: EdgeImpulseError['kind']) => {
    const e = await p.then(() => undefined, (x) => x as EdgeImpulseError);
    expect(e, 'should have failed').toBeInstanceOf(EdgeImpulseError);
    expect(e!.message).toMatch(pattern);
    if (kind) expect(e!.kind).toBe(kind);
  };
  it('an invalid key, answered 401', async () => {
    const c = await connect({}, 'ei_wrong');
    await fails(readProject(c), /The API key was refused \(Invalid API key\)/, 'auth');
  });
  it('an invalid key, answered 200 with success:false', async () => {
    const c = await connect({ invalidKeyStatus: 200 }, 'ei_wrong');
    await fails(readProject(c), /The API key was refused \(Invalid API key\)/, 'auth');
  });
  it('a read-only key cannot start an export', async () => {
    const c = await connect({ role: 'readonly' });
    const facts = await readProject(c);
    await fails(exportDataset(c, facts, fast), /role is "readonly", which cannot start an export.*admin API key/, 'forbidden');
  });
  it('no impulse', async () => {
    await fails(readProject(await connect({ hasImpulse: false })), /has no impulse yet/);
  });
  it('no trained model', async () => {
    await fails(readProject(await connect({ hasTrainedModel: false })), /has no trained model: train it/);
  });
  it('a non-image project', async () => {
    await fails(readProject(await connect({ inputType: 'time-series' })), /is not an image project.*Grad-CAM explains image models/);
  });
  it('an object-detection or anomaly learn block', async () => {
    await fails(readProject(await connect({ learnType: 'keras-object-detection' })), /Grad-CAM applies to image classification and regression, not to object detection/);
    await fake!.close();
    await fails(readProject(await connect({ learnType: 'keras-visual-anomaly' })), /not to anomaly detection/);
  });
  it('the export job fails', async () => {
    const c = await connect({ jobFails: true });
    await fails(exportDataset(c, await readProject(c), fast), /export job \(1234\) failed/);
  });
  it('the export is never ready within the limit', async () => {
    const c = await connect({ jobHangs: true });
    await fails(exportDataset(c, await readProject(c), { pollMs: 20, timeoutMs: 200 }), /not ready after \d+ s\. Press Retry/, 'timeout');
  });
  it('the storage URL has expired (403)', async () => {
    const c = await connect({ urlExpired: true });
    await fails(exportDataset(c, await readProject(c), fast), /export link has expired \(HTTP 403\)/, 'expired');
  });
  it('the network fails', async () => {
    const c = await connect();
    await fake!.close();
    await fails(readProject(c), /Could not reach http:\/\/127\.0\.0\.1:\d+/, 'network');
  });
  it('an export without a testing/ split', async () => {
    const c = await connect({ exportZip: await exportZip(2, { withTesting: false }) });
    const ds = buildDataset('export', await expandDrop([{ path: 'e.zip', bytes: await exportDataset(c, await readProject(c), fast) }]));
    expect(ds.splits).toEqual(['training']);
    expect(defaultSplit(ds)).toBe('all');
  });
});
