// The Edge Impulse client and flow against a fake API on loopback (tests/fake-ei).
import { afterEach, describe, expect, it } from 'vitest';
import { readProject } from '../../src/sources/edge-impulse/project';
import { downloadModel, exportDataset } from '../../src/sources/edge-impulse/download';
import { EdgeImpulseError, type Connection } from '../../src/sources/edge-impulse/http';
import { buildDataset, defaultSplit, samplesOfSplit } from '../../src/sources/datasets/dataset';
import { zipOnDisk, expandDrop } from '../../src/sources/datasets/files';
import { startFakeEdgeImpulse, type FakeEdgeImpulse, type FakeProject } from '../fake-ei/server';
import { doodleProject, exportZip } from '../fake-ei/project';

let fake: FakeEdgeImpulse | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function connect(overrides: Partial<FakeProject> = {}, key?: string): Promise<Connection> {
  fake = await startFakeEdgeImpulse(await doodleProject(overrides));
  return { apiHost: fake.apiHost, apiKey: key ?? fake.project.apiKey, retry: { baseMs: 20 } };
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

describe('the connection under faults (the fake server injects each)', () => {
  const requestsTo = (path: string) => fake!.requests.filter((r) => r.url.includes(path));
  it('429 with Retry-After: waits as long as asked, then goes on', async () => {
    const c = await connect({ faults: [{ server: 'api', path: '/api/projects', kind: 'status', status: 429, retryAfter: '1', times: 2 }] });
    const t = Date.now();
    const facts = await readProject(c);
    expect(facts.projectName).toBe('Doodles');
    expect(Date.now() - t).toBeGreaterThanOrEqual(2000); // two waits of Retry-After: 1 s, not the 20 ms backoff
    expect(requestsTo('/v1/api/projects').filter((r) => !r.url.includes('api-key-info')).length).toBe(3);
  });
  it('503s: tried again with backoff; when they never stop, a clear message', async () => {
    let c = await connect({ faults: [{ server: 'api', path: `/api/4242/impulse`, kind: 'status', status: 503, times: 3 }] });
    expect((await readProject(c)).learnBlock.id).toBe(4);
    expect(requestsTo('/impulse').length).toBe(4);
    await fake!.close();
    c = await connect({ faults: [{ server: 'api', path: `/api/4242/impulse`, kind: 'status', status: 503, times: 99 }] });
    const e = await readProject(c).then(() => undefined, (x) => x as EdgeImpulseError);
    expect(e).toBeInstanceOf(EdgeImpulseError);
    expect(e!.kind).toBe('busy');
    expect(e!.message).toMatch(/Calling \/api\/4242\/impulse: Edge Impulse kept answering HTTP 503 Service Unavailable \(5 tries over \d+ s\)\. It is having trouble; press Retry in a minute\./);
  });
  it('an answer that is not JSON (a captive portal) is named as such', async () => {
    const c = await connect({ faults: [{ server: 'api', path: '/api/4242/impulse', kind: 'not-json', times: 1 }] });
    const e = await readProject(c).then(() => undefined, (x) => x as EdgeImpulseError);
    expect(e?.message).toMatch(/answered \/api\/4242\/impulse with something that is not JSON \("<html><body>Sign in to the guest Wi-Fi<\/body><\/html>"\)\. A proxy or captive portal may be in the way; press Retry\./);
  });
  it('an export download cut off half-way is started again: the zip arrives whole', async () => {
    const c = await connect({ faults: [{ server: 'storage', path: '/exports/latest.zip', kind: 'drop', times: 2 }] });
    const facts = await readProject(c);
    const zip = await exportDataset(c, facts, fast);
    expect(Buffer.from(zip).equals(Buffer.from(fake!.project.exportZip))).toBe(true);
    expect(fake!.requests.filter((r) => r.server === 'storage').length).toBe(3);
    expect(samplesOfSplit(buildDataset('export.zip', await expandDrop([{ path: 'export.zip', bytes: zip }])), 'testing')).toHaveLength(30);
  });
  it('an export kept on disk as it arrives: a download cut off half-way is written again from the start, and the file read lazily is the zip', async () => {
    const c = await connect({ faults: [{ server: 'storage', path: '/exports/latest.zip', kind: 'drop', times: 1 }] });
    const facts = await readProject(c);
    // a keeper as the page's (sources/edge-impulse/privateFile.ts) writes the body where it goes: here, a Blob
    const written: number[] = [];
    const keep = async (res: Response) => {
      const parts: Uint8Array[] = [];
      await res.body!.pipeTo(new WritableStream({ write: (chunk) => void parts.push(chunk) }));
      written.push(parts.reduce((n, p) => n + p.length, 0));
      return new Blob(parts as BlobPart[]);
    };
    const file = await exportDataset(c, facts, fast, keep);
    expect(written).toEqual([fake!.project.exportZip.length]); // the cut-off attempt never reached the keeper's end
    expect(Buffer.from(await file.arrayBuffer()).equals(Buffer.from(fake!.project.exportZip))).toBe(true);
    expect(samplesOfSplit(buildDataset('export.zip', await expandDrop([zipOnDisk('export.zip', file)])), 'testing')).toHaveLength(30);
  });
  it('the model download cut off and a 502 on the way: retried, the model zip arrives whole', async () => {
    const c = await connect({ faults: [{ server: 'api', path: '/api/4242/learn-data', kind: 'drop', times: 1 }, { server: 'api', path: '/api/4242/learn-data', kind: 'status', status: 502, times: 1 }] });
    const facts = await readProject(c);
    const model = await downloadModel(c, facts);
    expect(model.length).toBe(fake!.project.modelZip.length);
    expect(Buffer.from(model).equals(Buffer.from(fake!.project.modelZip))).toBe(true); // (toEqual on 2 MB compares element by element: seconds)
  });
});

