// HTTP calls to the Edge Impulse REST API (/v1, key in the x-api-key header). The API key goes only to the API host,
// never through a redirect, never into a URL; the export download is a plain GET without it.
import { messageOf } from '../../common/errors';

export class EdgeImpulseError extends Error {
  constructor(message: string, readonly kind: 'auth' | 'forbidden' | 'not-found' | 'api' | 'busy' | 'network' | 'expired' | 'timeout' | 'cancelled' = 'api', readonly status?: number) {
    super(message);
  }
}

export interface Connection {
  /** e.g. https://studio.edgeimpulse.com — the host the key may be sent to. */
  apiHost: string;
  apiKey: string;
  /** Where API calls go: the host itself, or this app's same-origin proxy for it. */
  base?: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  retry?: Partial<RetryPolicy>;
}

/**
 * Busy (429), failing (5xx) and dropped calls are tried again: after the server's Retry-After for
 * a 429, else after a growing wait (base, 2×, 4×… with jitter), at most `tries` times in all.
 */
export interface RetryPolicy {
  tries: number;
  baseMs: number;
  /** No single wait is longer (a Retry-After of an hour is not honoured as such). */
  maxWaitMs: number;
}
export const DEFAULT_RETRY: RetryPolicy = { tries: 5, baseMs: 500, maxWaitMs: 30_000 };

/** Retry-After as milliseconds: seconds, or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new EdgeImpulseError('Cancelled.', 'cancelled'));
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(new EdgeImpulseError('Cancelled.', 'cancelled'))), { once: true });
  });

/**
 * One request and its whole body, tried again while the server is busy or failing or the
 * connection drops mid-body (a download cut half-way is started again, never handed on truncated).
 * Returns the last answer; throws the last network error; `what` names it in messages.
 */
async function fetchRetrying(c: Pick<Connection, 'fetch' | 'signal' | 'retry'>, url: string, init: RequestInit, what: string, keep?: Keeper): Promise<{ res: Response; bytes: Uint8Array; kept?: Blob }> {
  const policy = { ...DEFAULT_RETRY, ...c.retry };
  const doFetch = c.fetch ?? fetch;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    let res: Response | undefined;
    try {
      res = await doFetch(url, { ...init, signal: c.signal });
      if (keep && res.ok) return { res, bytes: new Uint8Array(0), kept: await keep(res) };
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (res.status !== 429 && res.status < 500) return { res, bytes };
      if (attempt >= policy.tries) {
        const status = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
        throw new EdgeImpulseError(`${what}: Edge Impulse kept answering ${status} (${attempt} tries over ${Math.round((Date.now() - started) / 1000)} s). ${res.status === 429 ? 'It is limiting how fast this key may call it' : 'It is having trouble'}; press Retry in a minute.`, 'busy', res.status);
      }
    } catch (e) {
      if (c.signal?.aborted) throw new EdgeImpulseError('Cancelled.', 'cancelled');
      // no answer at all (refused, offline, or a cross-origin call the browser blocked) is not
      // retried: the caller says so or switches to the proxy at once; a body cut off is
      if (e instanceof EdgeImpulseError || attempt >= policy.tries || !res) throw e;
      res = undefined;
    }
    const backoff = policy.baseMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
    const asked = res?.status === 429 ? retryAfterMs(res.headers.get('retry-after')) : undefined;
    await sleep(Math.min(policy.maxWaitMs, asked ?? backoff), c.signal);
  }
}

type Envelope = { success?: boolean; error?: string };

function apiBase(c: Connection): string {
  return (c.base ?? c.apiHost).replace(/\/+$/, '') + '/v1';
}


/** One API call; both error styles (non-2xx and 200 with success:false) become EdgeImpulseError. */
export async function callApi<T>(c: Connection, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T & Envelope> {
  let res: Response;
  let bytes: Uint8Array;
  try {
    ({ res, bytes } = await fetchRetrying(c, `${apiBase(c)}${path}`, {
      method,
      headers: { 'x-api-key': c.apiKey, ...(body ? { 'content-type': 'application/json' } : {}), accept: 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
      redirect: 'error', // the key must not follow a redirect anywhere
      credentials: 'omit',
    }, `Calling ${path}`));
  } catch (e) {
    if (e instanceof EdgeImpulseError) throw e;
    throw new EdgeImpulseError(`Could not reach ${c.apiHost} (${messageOf(e)}): the network is down, the host is wrong, or the browser refused the cross-origin call.`, 'network');
  }
  let json: (T & Envelope) | undefined;
  const text = new TextDecoder().decode(bytes);
  try {
    json = JSON.parse(text) as T & Envelope;
  } catch {
    json = undefined;
  }
  if (res.ok && (!json || typeof json !== 'object')) {
    throw new EdgeImpulseError(`Edge Impulse answered ${path} with something that is not JSON (${JSON.stringify(text.slice(0, 60))}${text.length > 60 ? '…' : ''}). A proxy or captive portal may be in the way; press Retry.`, 'api', res.status);
  }
  if (!res.ok || !json || json.success === false) {
    const said = json?.error ?? `HTTP ${res.status} ${res.statusText}`.trim();
    if (/invalid api key/i.test(said) || res.status === 401) throw new EdgeImpulseError(`The API key was refused (${said}). Copy a project API key from the project's Dashboard → Keys and try again.`, 'auth', res.status);
    if (res.status === 403) throw new EdgeImpulseError(`The API key may not do this (${said}).`, 'forbidden', res.status);
    if (res.status === 404) throw new EdgeImpulseError(`Not found: ${path} (${said}).`, 'not-found', res.status);
    throw new EdgeImpulseError(`Edge Impulse answered with an error for ${path}: ${said}`, 'api', res.status);
  }
  return json;
}

/** A binary download from the API host (the model), with the key. */
export async function apiBytes(c: Connection, path: string): Promise<Uint8Array> {
  let res: Response;
  let bytes: Uint8Array;
  try {
    ({ res, bytes } = await fetchRetrying(c, `${apiBase(c)}${path}`, { headers: { 'x-api-key': c.apiKey }, redirect: 'error', credentials: 'omit' }, `Downloading ${path}`));
  } catch (e) {
    if (e instanceof EdgeImpulseError) throw e;
    throw new EdgeImpulseError(`Could not download ${path} from ${c.apiHost} (${messageOf(e)}).`, 'network');
  }
  if (!res.ok) {
    let said = `HTTP ${res.status}`;
    try {
      said = (JSON.parse(new TextDecoder().decode(bytes)) as Envelope).error ?? said;
    } catch {
      // not JSON
    }
    if (res.status === 401 || /invalid api key/i.test(said)) throw new EdgeImpulseError(`The API key was refused (${said}).`, 'auth', res.status);
    throw new EdgeImpulseError(`Could not download ${path}: ${said}`, res.status === 404 ? 'not-found' : 'api', res.status);
  }
  return bytes;
}

/** The export zip: a plain GET of a signed storage URL, without the API key. */
/**
 * Where a download's body goes instead of the page's memory (the page: a file in the origin's
 * private storage, written as it arrives); returns the file. Called for a successful answer only.
 */
export type Keeper = (res: Response) => Promise<Blob>;

type DownloadOptions = { fetch?: typeof fetch; signal?: AbortSignal; via?: (url: string) => string; retry?: Partial<RetryPolicy> };

export function downloadExport(url: string, options?: DownloadOptions): Promise<Uint8Array>;
export function downloadExport(url: string, options: DownloadOptions, keep: Keeper): Promise<Blob>;
export async function downloadExport(url: string, options: DownloadOptions = {}, keep?: Keeper): Promise<Uint8Array | Blob> {
  let res: Response;
  let bytes: Uint8Array;
  let kept: Blob | undefined;
  try {
    ({ res, bytes, kept } = await fetchRetrying(options, options.via ? options.via(url) : url, { credentials: 'omit' }, 'Downloading the export', keep));
  } catch (e) {
    if (e instanceof EdgeImpulseError) throw e;
    throw new EdgeImpulseError(`Could not download the export (${messageOf(e)}): the network is down or the browser refused the cross-origin download.`, 'network');
  }
  if (res.status === 403) throw new EdgeImpulseError('The export link has expired (HTTP 403). Press Retry to get a fresh link; nothing else is downloaded again.', 'expired', 403);
  if (!res.ok) throw new EdgeImpulseError(`Could not download the export: HTTP ${res.status}.`, 'api', res.status);
  return kept ?? bytes;
}
