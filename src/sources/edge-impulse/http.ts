// HTTP calls to the Edge Impulse REST API (/v1, key in the x-api-key header). The API key goes only to the API host,
// never through a redirect, never into a URL; the export download is a plain GET without it.
import { messageOf } from '../../common/errors';

export class EdgeImpulseError extends Error {
  constructor(message: string, readonly kind: 'auth' | 'forbidden' | 'not-found' | 'api' | 'network' | 'expired' | 'timeout' | 'cancelled' = 'api', readonly status?: number) {
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
}

type Envelope = { success?: boolean; error?: string };

function apiBase(c: Connection): string {
  return (c.base ?? c.apiHost).replace(/\/+$/, '') + '/v1';
}


/** One API call; both error styles (non-2xx and 200 with success:false) become EdgeImpulseError. */
export async function callApi<T>(c: Connection, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T & Envelope> {
  const doFetch = c.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(`${apiBase(c)}${path}`, {
      method,
      headers: { 'x-api-key': c.apiKey, ...(body ? { 'content-type': 'application/json' } : {}), accept: 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
      redirect: 'error', // the key must not follow a redirect anywhere
      credentials: 'omit',
      signal: c.signal,
    });
  } catch (e) {
    if (c.signal?.aborted) throw new EdgeImpulseError('Cancelled.', 'cancelled');
    throw new EdgeImpulseError(`Could not reach ${c.apiHost} (${messageOf(e)}): the network is down, the host is wrong, or the browser refused the cross-origin call.`, 'network');
  }
  let json: (T & Envelope) | undefined;
  try {
    json = (await res.json()) as T & Envelope;
  } catch {
    json = undefined;
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
  const doFetch = c.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(`${apiBase(c)}${path}`, { headers: { 'x-api-key': c.apiKey }, redirect: 'error', credentials: 'omit', signal: c.signal });
  } catch (e) {
    if (c.signal?.aborted) throw new EdgeImpulseError('Cancelled.', 'cancelled');
    throw new EdgeImpulseError(`Could not download ${path} from ${c.apiHost} (${messageOf(e)}).`, 'network');
  }
  if (!res.ok) {
    let said = `HTTP ${res.status}`;
    try {
      said = ((await res.json()) as Envelope).error ?? said;
    } catch {
      // not JSON
    }
    if (res.status === 401 || /invalid api key/i.test(said)) throw new EdgeImpulseError(`The API key was refused (${said}).`, 'auth', res.status);
    throw new EdgeImpulseError(`Could not download ${path}: ${said}`, res.status === 404 ? 'not-found' : 'api', res.status);
  }
  return new Uint8Array(await res.arrayBuffer());
}

/** The export zip: a plain GET of a signed storage URL, without the API key. */
export async function downloadExport(url: string, options: { fetch?: typeof fetch; signal?: AbortSignal; via?: (url: string) => string } = {}): Promise<Uint8Array> {
  const doFetch = options.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(options.via ? options.via(url) : url, { credentials: 'omit', signal: options.signal });
  } catch (e) {
    if (options.signal?.aborted) throw new EdgeImpulseError('Cancelled.', 'cancelled');
    throw new EdgeImpulseError(`Could not download the export (${messageOf(e)}): the network is down or the browser refused the cross-origin download.`, 'network');
  }
  if (res.status === 403) throw new EdgeImpulseError('The export link has expired (HTTP 403). Press Retry to get a fresh link; nothing else is downloaded again.', 'expired', 403);
  if (!res.ok) throw new EdgeImpulseError(`Could not download the export: HTTP ${res.status}.`, 'api', res.status);
  return new Uint8Array(await res.arrayBuffer());
}
