// A same-origin proxy for Edge Impulse, served by this project's dev and preview servers, for
// browsers that refuse cross-origin calls to the API or to the export's storage URL.
//   /ei-proxy/<encoded API origin>/v1/api/...   → that origin, only if allowed (the API key passes through)
//   /ei-proxy-download?url=<encoded signed URL> → the storage URL, without any of the browser's headers
// Allowed: https://studio.edgeimpulse.com, S3 (https://*.amazonaws.com) for downloads, and the
// origins listed in EI_PROXY_HOSTS (comma-separated), e.g. a self-hosted or test API. Bodies are
// streamed (an export is gigabytes), sizes and times bounded, redirects followed only within the
// allow-list (never with the key). Used by the dev/preview servers and by serve.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';

const DEFAULT_API_HOSTS = ['https://studio.edgeimpulse.com'];

/** The origins in EI_PROXY_HOSTS: a self-hosted or test API and its storage, reachable through the proxy and (by the page's policy) directly. */
export function extraHosts(): string[] {
  return (process.env.EI_PROXY_HOSTS ?? '').split(',').map((s) => s.trim().replace(/\/+$/, '')).filter(Boolean);
}

export function allowedApiHost(origin: string): boolean {
  return [...DEFAULT_API_HOSTS, ...extraHosts()].includes(origin.replace(/\/+$/, ''));
}

export function allowedDownload(url: URL): boolean {
  if (url.protocol === 'https:' && (url.hostname.endsWith('.amazonaws.com') || url.hostname === 'studio.edgeimpulse.com')) return true;
  return extraHosts().includes(url.origin);
}

/** Limits on what the proxy relays (environment: EI_PROXY_MAX_BYTES, EI_PROXY_TIMEOUT_MS). */
export const proxyLimits = () => ({
  /** A request body sent on (API calls are small JSON). */
  requestBytes: 1024 * 1024,
  /** An answer relayed (an export can be gigabytes; streamed, never held). */
  responseBytes: Number(process.env.EI_PROXY_MAX_BYTES) || 8 * 1024 ** 3,
  /** One upstream call, headers to last byte. */
  timeoutMs: Number(process.env.EI_PROXY_TIMEOUT_MS) || 10 * 60_000,
});

class ProxyRefusal extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function body(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req) {
    n += (c as Buffer).length;
    if (n > limit) throw new ProxyRefusal(413, `The request body is over ${limit} bytes.`);
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Streams the upstream answer to the browser, cut off (and the connection dropped) past the size limit. */
async function relay(res: ServerResponse, upstream: Response, limit: number) {
  const declared = Number(upstream.headers.get('content-length'));
  if (declared > limit) throw new ProxyRefusal(502, `The answer is ${declared} bytes, over the proxy's limit of ${limit}.`);
  res.statusCode = upstream.status;
  // not content-length: fetch has already undone any content-encoding, so the upstream length may not be this body's
  for (const h of ['content-type', 'retry-after']) {
    const v = upstream.headers.get(h);
    if (v) res.setHeader(h, v);
  }
  if (!upstream.body) return void res.end();
  let sent = 0;
  for await (const chunk of upstream.body as unknown as AsyncIterable<Uint8Array>) {
    sent += chunk.length;
    if (sent > limit) return void res.destroy(); // the browser sees a cut-off download, not a truncated "success"
    if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
  }
  res.end();
}

/**
 * Follows redirects only to allowed places: a storage URL may redirect (S3 does, between regions),
 * but never to a host outside the allow-list (a bucket anyone can create could point at an
 * internal address). At most 3 hops.
 */
async function fetchAllowed(target: URL, init: RequestInit, allowed: (u: URL) => boolean): Promise<Response> {
  let url = target;
  for (let hop = 0; ; hop++) {
    const r = await fetch(url, { ...init, redirect: 'manual' });
    const location = r.status >= 300 && r.status < 400 ? r.headers.get('location') : null;
    if (!location) return r;
    const next = new URL(location, url);
    if (!allowed(next)) throw new ProxyRefusal(502, `Edge Impulse's storage redirected to ${next.origin}, which the proxy does not follow.`);
    if (hop >= 3) throw new ProxyRefusal(502, 'Too many redirects.');
    url = next;
  }
}

function refuse(res: ServerResponse, status: number, error: string) {
  if (res.headersSent) return void res.destroy();
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ success: false, error }));
}

export async function handleProxy(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://local');
  const limits = proxyLimits();
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    if (url.pathname === '/ei-proxy-download') {
      const target = new URL(url.searchParams.get('url') ?? '');
      if (!allowedDownload(target)) return refuse(res, 403, `The proxy does not download from ${target.origin}.`), true;
      await relay(res, await fetchAllowed(target, { signal }, allowedDownload), limits.responseBytes);
      return true;
    }
    const m = /^\/ei-proxy\/([^/]+)(\/v1\/api\/.*)$/.exec(url.pathname);
    if (!m) return false;
    const origin = decodeURIComponent(m[1]);
    if (!allowedApiHost(origin)) return refuse(res, 403, `The proxy does not forward to ${origin}; add it to EI_PROXY_HOSTS.`), true;
    const headers: Record<string, string> = {};
    for (const h of ['x-api-key', 'content-type', 'accept']) if (typeof req.headers[h] === 'string') headers[h] = req.headers[h] as string;
    const payload = await body(req, limits.requestBytes);
    // the key is on this request: no redirect is followed at all
    const upstream = await fetch(`${origin}${m[2]}${url.search}`, { method: req.method, headers, body: payload ? new Uint8Array(payload) : undefined, redirect: 'manual', signal });
    if (upstream.status >= 300 && upstream.status < 400) return refuse(res, 502, 'Edge Impulse answered with a redirect; the proxy does not follow it with the API key.'), true;
    await relay(res, upstream, limits.responseBytes);
  } catch (e) {
    if (e instanceof ProxyRefusal) refuse(res, e.status, e.message);
    else refuse(res, 502, `The proxy could not reach Edge Impulse (${(e as Error).message}).`);
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
