// A fake Edge Impulse API on 127.0.0.1, faithful to shared REFERENCE.md §2: envelopes (errors as
// non-2xx and as 200 + success:false), the export job lifecycle, a signed storage URL served by a
// second server (another origin, like S3), and the tflite-h5 model zip. Every request is recorded.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeProject {
  apiKey: string;
  role: 'admin' | 'readonly' | 'ingestiononly' | 'ingestion_deployment';
  projectId: number;
  name: string;
  hasImpulse: boolean;
  inputType: 'image' | 'time-series';
  learnType: string;
  image: { width: number; height: number; resizeMode: string; resizeMethod: string };
  channels: 'RGB' | 'Grayscale';
  mode: 'classification' | 'regression';
  classNames: string[];
  imageInputScaling: string;
  hasTrainedModel: boolean;
  exportZip: Uint8Array;
  modelZip: Uint8Array;
  /** Status polls before the export job reports finished. */
  jobPolls: number;
  jobFails: boolean;
  /** The job never finishes. */
  jobHangs: boolean;
  /** get-url first offers an export older than the job, this many times. */
  staleExportAnswers: number;
  /** The storage URL answers 403 (expired). */
  urlExpired: boolean;
  /** Invalid keys are answered 401 or 200 + success:false. */
  invalidKeyStatus: 401 | 200;
  /** Send CORS headers (a browser on another origin can call directly). */
  cors: boolean;
  /** Faults injected before the normal answer, each `times` times (then the path answers normally). */
  faults: Fault[];
}

/**
 * A fault on requests whose path (without /v1) starts with `path`: an HTTP status (429 with its
 * Retry-After, 503…), a 200 whose body is not JSON (a captive portal), or a body cut off half-way.
 */
export interface Fault {
  server: 'api' | 'storage';
  path: string;
  kind: 'status' | 'not-json' | 'drop';
  status?: number;
  retryAfter?: string;
  times: number;
}

/** Applies the first live fault for this request; true when it answered. */
function injectFault(project: FakeProject, server: Fault['server'], path: string, res: http.ServerResponse, body: () => Uint8Array): boolean {
  const f = project.faults.find((x) => x.server === server && x.times > 0 && path.startsWith(x.path));
  if (!f) return false;
  f.times--;
  const c = corsHeaders(project.cors);
  if (f.kind === 'status') {
    res.writeHead(f.status ?? 503, { 'content-type': 'application/json', ...(f.retryAfter ? { 'retry-after': f.retryAfter } : {}), ...c });
    res.end(JSON.stringify({ success: false, error: f.status === 429 ? 'Too many requests' : 'Service unavailable' }));
  } else if (f.kind === 'not-json') {
    res.writeHead(200, { 'content-type': 'text/html', ...c }).end('<html><body>Sign in to the guest Wi-Fi</body></html>');
  } else {
    const full = body();
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(full.length), ...c });
    res.write(Buffer.from(full.subarray(0, full.length >> 1)));
    setTimeout(() => res.socket?.destroy(), 20); // the connection drops mid-body
  }
  return true;
}

export interface RecordedRequest {
  server: 'api' | 'storage';
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

export interface FakeEdgeImpulse {
  apiHost: string;
  storageHost: string;
  project: FakeProject;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const json = (res: http.ServerResponse, status: number, body: object, cors: boolean) => {
  res.writeHead(status, { 'content-type': 'application/json', ...corsHeaders(cors) });
  res.end(JSON.stringify(body));
};
const corsHeaders = (cors: boolean): Record<string, string> =>
  cors ? { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'x-api-key, content-type, accept', 'access-control-allow-methods': 'GET, POST, OPTIONS' } : {};

function listen(server: http.Server): Promise<string> {
  return new Promise((res) => server.listen(0, '127.0.0.1', () => res(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

export async function startFakeEdgeImpulse(project: FakeProject): Promise<FakeEdgeImpulse> {
  const requests: RecordedRequest[] = [];
  let jobCreated = '';
  let polls = 0;
  let jobStarted = false;
  let staleLeft = 0;
  const exportCreatedBefore = new Date(Date.now() - 86_400_000).toISOString(); // yesterday's export

  const storage = http.createServer((req, res) => {
    requests.push({ server: 'storage', method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const c = corsHeaders(project.cors);
    if (req.method === 'OPTIONS') return res.writeHead(204, c).end();
    if (injectFault(project, 'storage', new URL(req.url ?? '/', 'http://x').pathname, res, () => project.exportZip)) return;
    if (project.urlExpired) return res.writeHead(403, { 'content-type': 'application/xml', ...c }).end('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
    if (!req.url?.startsWith('/exports/latest.zip?X-Amz-Signature=')) return res.writeHead(404, c).end();
    res.writeHead(200, { 'content-type': 'application/zip', ...c });
    res.end(Buffer.from(project.exportZip));
  });
  const storageHost = await listen(storage);

  const apiServer = http.createServer((req, res) => {
    requests.push({ server: 'api', method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const cors = project.cors;
    if (req.method === 'OPTIONS') return res.writeHead(204, corsHeaders(cors)).end();
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.replace(/^\/v1/, '');
    if (injectFault(project, 'api', path, res, () => project.modelZip)) return;
    if (req.headers['x-api-key'] !== project.apiKey) {
      return json(res, project.invalidKeyStatus, { success: false, error: 'Invalid API key' }, cors);
    }
    const pid = project.projectId;
    const ok = (body: object) => json(res, 200, { success: true, ...body }, cors);
    const fail200 = (error: string) => json(res, 200, { success: false, error }, cors);
    if (path === '/api/projects') return ok({ projects: [{ id: pid, name: project.name, created: '2024-01-01T00:00:00.000Z' }] });
    if (path === '/api/projects/api-key-info') return ok({ apiKeyId: 7, projectId: pid, role: project.role });
    if (path === `/api/${pid}/impulse`) {
      if (!project.hasImpulse) return ok({});
      return ok({
        impulse: {
          inputBlocks: [project.inputType === 'image' ? { id: 1, type: 'image', name: 'Image', title: 'Image data', imageWidth: project.image.width, imageHeight: project.image.height, resizeMode: project.image.resizeMode, resizeMethod: project.image.resizeMethod, cropAnchor: 'middle-center' } : { id: 1, type: 'time-series', name: 'Time series', title: 'Time series data', windowSizeMs: 1000 }],
          dspBlocks: [{ id: 3, type: 'image', name: 'Image', title: 'Image', axes: ['image'], implementationVersion: 1 }],
          learnBlocks: [{ id: 4, type: project.learnType, name: 'NN Classifier', title: 'Classification', dsp: [3] }],
        },
      });
    }
    if (path === `/api/${pid}/training/keras/4/metadata`) {
      return ok({ classNames: project.classNames, labels: project.classNames, mode: project.mode, imageInputScaling: project.imageInputScaling, hasTrainedModel: project.hasTrainedModel, created: '2024-01-02T00:00:00.000Z' });
    }
    if (path === `/api/${pid}/dsp/3`) {
      return ok({ dsp: { id: 3, name: 'Image' }, config: [{ group: 'Scaling', items: [{ name: 'Color depth', param: 'channels', value: project.channels, type: 'select' }] }] });
    }
    if (path === `/api/${pid}/jobs/export/original` && req.method === 'POST') {
      if (project.role !== 'admin') return json(res, 403, { success: false, error: 'This API key does not have the required role (admin)' }, cors);
      jobStarted = true;
      polls = 0;
      staleLeft = project.staleExportAnswers;
      jobCreated = new Date().toISOString();
      return ok({ id: 1234 });
    }
    if (path === `/api/${pid}/jobs/1234/status`) {
      if (!jobStarted) return json(res, 404, { success: false, error: 'Job not found' }, cors);
      polls++;
      const done = !project.jobHangs && polls > project.jobPolls;
      return ok({ job: { id: 1234, category: 'Exporting data', created: jobCreated, started: jobCreated, ...(done ? { finished: new Date().toISOString(), finishedSuccessful: !project.jobFails } : {}) } });
    }
    if (path === `/api/${pid}/export/get-url`) {
      if (staleLeft > 0 || !jobStarted) {
        staleLeft--;
        return ok({ hasExport: true, created: exportCreatedBefore, url: `${storageHost}/exports/old.zip?X-Amz-Signature=old` });
      }
      return ok({ hasExport: true, created: new Date(Date.parse(jobCreated) + 500).toISOString(), url: `${storageHost}/exports/latest.zip?X-Amz-Signature=abc123&X-Amz-Expires=3600` });
    }
    if (path === `/api/${pid}/learn-data/4/model/tflite-h5`) {
      if (!project.hasTrainedModel) return fail200('No trained model');
      res.writeHead(200, { 'content-type': 'application/octet-stream', ...corsHeaders(cors) });
      return res.end(Buffer.from(project.modelZip));
    }
    return json(res, 404, { success: false, error: `Unknown path ${path}` }, cors);
  });
  const apiHost = await listen(apiServer);

  return {
    apiHost,
    storageHost,
    project,
    requests,
    async close() {
      await Promise.all([apiServer, storage].map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); })));
    },
  };
}
