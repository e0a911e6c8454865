// A same-origin proxy for Edge Impulse, served by this project's dev and preview servers, for
// browsers that refuse cross-origin calls to the API or to the export's storage URL.
//   /ei-proxy/<encoded API origin>/v1/api/...   → that origin, only if allowed (the API key passes through)
//   /ei-proxy-download?url=<encoded signed URL> → the storage URL, without any of the browser's headers
// Allowed: https://studio.edgeimpulse.com, S3 (https://*.amazonaws.com) for downloads, and the
// origins listed in EI_PROXY_HOSTS (comma-separated), e.g. a self-hosted or test API.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';

const DEFAULT_API_HOSTS = ['https://studio.edgeimpulse.com'];

function extraHosts(): string[] {
  return (process.env.EI_PROXY_HOSTS ?? '').split(',').map((s) => s.trim().replace(/\/+$/, '')).filter(Boolean);
}

export function allowedApiHost(origin: string): boolean {
  return [...DEFAULT_API_HOSTS, ...extraHosts()].includes(origin.replace(/\/+$/, ''));
}

export function allowedDownload(url: URL): boolean {
  if (url.protocol === 'https:' && (url.hostname.endsWith('.amazonaws.com') || url.hostname === 'studio.edgeimpulse.com')) return true;
  return extraHosts().includes(url.origin);
}

async function body(req: IncomingMessage): Promise<Buffer | undefined> {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function relay(res: ServerResponse, upstream: Response) {
  res.statusCode = upstream.status;
  const type = upstream.headers.get('content-type');
  if (type) res.setHeader('content-type', type);
  res.end(Buffer.from(await upstream.arrayBuffer()));
}

function refuse(res: ServerResponse, status: number, error: string) {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ success: false, error }));
}

export async function handleProxy(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://local');
  try {
    if (url.pathname === '/ei-proxy-download') {
      const target = new URL(url.searchParams.get('url') ?? '');
      if (!allowedDownload(target)) return refuse(res, 403, `The proxy does not download from ${target.origin}.`), true;
      await relay(res, await fetch(target, { redirect: 'follow' }));
      return true;
    }
    const m = /^\/ei-proxy\/([^/]+)(\/v1\/api\/.*)$/.exec(url.pathname);
    if (!m) return false;
    const origin = decodeURIComponent(m[1]);
    if (!allowedApiHost(origin)) return refuse(res, 403, `The proxy does not forward to ${origin}; add it to EI_PROXY_HOSTS.`), true;
    const headers: Record<string, string> = {};
    for (const h of ['x-api-key', 'content-type', 'accept']) if (typeof req.headers[h] === 'string') headers[h] = req.headers[h] as string;
    const payload = await body(req);
    const upstream = await fetch(`${origin}${m[2]}${url.search}`, { method: req.method, headers, body: payload ? new Uint8Array(payload) : undefined, redirect: "manual" });
    await relay(res, upstream);
  } catch (e) {
    refuse(res, 502, `The proxy could not reach Edge Impulse (${(e as Error).message}).`);
  }
  return true;
}

export function edgeImpulseProxy(): Plugin {
  // returns nothing: a hook that returns a function is run by Vite as a post-middleware hook
  const use = (server: { middlewares: { use(fn: (req: IncomingMessage, res: ServerResponse, next: () => void) => void): unknown } }): void => {
    server.middlewares.use((req, res, next) => {
      if (!req.url?.startsWith('/ei-proxy')) return next();
      handleProxy(req, res).then((handled) => handled || next());
    });
  };
  return { name: 'edge-impulse-proxy', configureServer: use, configurePreviewServer: use };
}
