// The Edge Impulse path: key in → project facts → fresh export + model → gallery. Direct calls
// first; when the browser refuses them (CORS), this app's own same-origin proxy.
import { EdgeImpulseError, callApi, type Connection } from '../../sources/edge-impulse/http';
import { connectSources, mayConnect } from '../../common/csp';
import { readProject, type ProjectFacts, type ProjectList } from '../../sources/edge-impulse/project';
import { downloadModel, exportDataset } from '../../sources/edge-impulse/download';
import { privateFileKeeper } from '../../sources/edge-impulse/privateFile';
import { zipOnDisk } from '../../sources/datasets/files';
import { useStore, type EdgeImpulseState } from '../store';
import { loadDataset, loadModel } from './load';
import { say } from './messages';
import { task } from './task';

export const DEFAULT_API_HOST = 'https://studio.edgeimpulse.com';
const REMEMBER = 'gradcam.edgeImpulse.apiKey';

const set = (patch: Partial<EdgeImpulseState>) => useStore.setState((s) => ({ edgeImpulse: { ...s.edgeImpulse, ...patch } }));
const working = task();
/** What was downloaded, kept so a retry after a failure does not download it again. */
let kept: { key: string; facts?: ProjectFacts; exportZip?: Uint8Array | Blob; modelZip?: Uint8Array } | undefined;

export function rememberedKey(): string {
  try {
    return localStorage.getItem(REMEMBER) ?? '';
  } catch {
    return '';
  }
}

/** "Remember on this device" is an explicit opt-in; turning it off forgets the key. */
export function rememberKey(apiKey: string, remember: boolean) {
  try {
    if (remember && apiKey) localStorage.setItem(REMEMBER, apiKey);
    else localStorage.removeItem(REMEMBER);
  } catch {
    // storage unavailable: nothing is remembered
  }
}

const proxyBase = (apiHost: string) => `${location.origin}/ei-proxy/${encodeURIComponent(apiHost.replace(/\/+$/, ''))}`;
const proxyDownload = (url: string) => `${location.origin}/ei-proxy-download?url=${encodeURIComponent(url)}`;

/** The hosts this page's own Content-Security-Policy lets it call, or undefined when it has none (the dev server). */
function policySources(): string[] | undefined {
  if (typeof document === 'undefined') return undefined;
  const policy = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content');
  return policy ? connectSources(policy) : undefined;
}

/** May this page call `url` directly? A call its policy forbids is never tried: it goes through the proxy. */
function mayCallDirectly(url: string): boolean {
  const sources = policySources();
  return !sources || mayConnect(sources, url, location.origin);
}

/** Calls the API directly, or through the proxy when the browser refuses the direct call; the first answer (the project list) is kept for readProject. */
async function openConnection(apiHost: string, apiKey: string, signal: AbortSignal): Promise<{ c: Connection; listed: ProjectList }> {
  const direct: Connection = { apiHost, apiKey, signal };
  const allowed = mayCallDirectly(apiHost);
  if (allowed) {
    try {
      const listed = await callApi<ProjectList>(direct, 'GET', '/api/projects');
      set({ viaProxy: false });
      return { c: direct, listed };
    } catch (e) {
      if ((e as EdgeImpulseError).kind !== 'network' || typeof location === 'undefined') throw e;
    }
  }
  const why = allowed
    ? 'the browser refused the cross-origin call'
    : `this page's security policy lets it call only ${policySources()?.filter((s) => s !== "'self'").join(', ')} directly (a server sets more with EI_PROXY_HOSTS)`;
  const proxied: Connection = { apiHost, apiKey, signal, base: proxyBase(apiHost) };
  let listed: ProjectList;
  try {
    listed = await callApi<ProjectList>(proxied, 'GET', '/api/projects');
  } catch (e) {
    const err = e as EdgeImpulseError;
    if (err.kind === 'auth') throw err;
    throw new EdgeImpulseError(
      `Could not reach ${apiHost}: the network is down, or ${why} and this server has no working proxy (${err.message}). Run the app with its own server (npm start / npm run preview), or see the README's "Edge Impulse behind CORS".`,
      'network',
    );
  }
  set({ viaProxy: true });
  const reason = allowed ? `The browser refused direct calls to ${apiHost} (CORS)` : `This page's security policy does not list ${apiHost}`;
  say('info', `${reason}, so calls now go through this app's own server, which passes them on unchanged. Your key still goes only to ${apiHost}.`);
  return { c: proxied, listed };
}

export async function explainEdgeImpulseProject(apiHost: string, apiKey: string, remember: boolean) {
  cancelEdgeImpulse();
  const signal = working.start();
  rememberKey(apiKey, remember);
  const host = (apiHost.trim() || DEFAULT_API_HOST).replace(/\/+$/, '');
  const key = `${host}|${apiKey}`;
  if (kept?.key !== key) kept = { key };
  const step = (text: string) => set({ step: text });
  set({ status: 'working', step: 'Connecting…', facts: kept.facts });
  try {
    const { c, listed } = await openConnection(host, apiKey.trim(), signal);
    const facts = kept.facts ?? (await readProject(c, step, listed));
    kept.facts = facts;
    set({ facts });
    if (facts.role !== 'admin' && facts.role !== 'unknown') say('warning', `This API key's role is "${facts.role}": reading the project works, but starting an export usually needs an admin key.`);
    const viaProxy = useStore.getState().edgeImpulse.viaProxy;
    // the storage URL is known only once the export is ready: through the proxy if the API is, or if the policy forbids it
    const via = (url: string) => (viaProxy || !mayCallDirectly(url) ? proxyDownload(url) : url);
    // the export goes to a file on disk where the browser has private storage, else into memory
    const keeper = await privateFileKeeper();
    const download = (how: Parameters<typeof exportDataset>[2]) => (keeper ? exportDataset(c, facts, how, keeper) : exportDataset(c, facts, how));
    kept.exportZip ??= await download({ onStep: step, via }).catch(async (e: EdgeImpulseError) => {
      // a storage host that refuses cross-origin downloads: try once more through the proxy
      if (e.kind !== 'network' || viaProxy || typeof location === 'undefined') throw e;
      return download({ onStep: step, via: proxyDownload });
    });
    kept.modelZip ??= await downloadModel(c, facts, step);
    if (signal.aborted) return;
    step('Loading the model…');
    useStore.setState({
      preprocess: { scaling: facts.imageInputScaling, resizeMode: facts.image.resizeMode, resizeMethod: facts.image.resizeMethod },
    });
    await loadModel(`${facts.projectName} (${facts.learnBlock.title})`, [{ path: 'model.zip', bytes: kept.modelZip }], false, facts.mode === 'classification' ? facts.classNames : undefined);
    const model = useStore.getState().model;
    if (!model || !model.name.startsWith(facts.projectName)) throw new EdgeImpulseError('The downloaded model could not be loaded (see the message above).', 'api');
    const channels = model.info.inputShape[2] === 1 ? 'Grayscale' : 'RGB';
    if (channels !== facts.channels) say('warning', `The impulse says ${facts.channels} but the model takes ${channels} input; the model's own input is used.`);
    const zip = kept.exportZip;
    await loadDataset(`${facts.projectName} export`, [zip instanceof Uint8Array ? { path: 'export.zip', bytes: zip } : zipOnDisk('export.zip', zip)]);
    const ds = useStore.getState().dataset;
    if (ds && !ds.splits.includes('testing')) say('warning', `The export has no testing/ split (the project has no test data), so all ${ds.samples.length} samples are explained. Pick a split above to narrow it.`);
    set({ status: 'done', step: undefined });
    kept = undefined;
  } catch (e) {
    const err = e as EdgeImpulseError;
    if (signal.aborted || err.kind === 'cancelled') return set({ status: 'cancelled', step: undefined });
    set({ status: 'failed', step: undefined });
    const keptNote = kept?.exportZip ? ' What was already downloaded is kept: press the button again to retry.' : '';
    say('error', `Edge Impulse: ${err.message}${keptNote}`);
  }
}

export function cancelEdgeImpulse() {
  working.cancel();
  if (useStore.getState().edgeImpulse.status === 'working') set({ status: 'cancelled', step: undefined });
}
