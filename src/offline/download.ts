// A download streamed through the service worker: the export's zip reaches the browser's downloads
// as it is written, instead of gathering in the browser's memory first (10,000 photo overlays are
// ~1.2 GB of PNGs) — where a service worker controls the page and the browser can hand it a stream
// (Chromium does; where one cannot, or the browser does not start the download, the caller falls back).

export interface StreamedDownload {
  write(chunk: Uint8Array): Promise<void>;
  finish(): Promise<void>;
  abort(): Promise<void>;
}

/** Bytes gathered before a write to the stream. */
const GATHER_BYTES = 512 << 10;
/** How long the browser has to start the download before the caller falls back. */
const START_MS = 5000;

const answer = (port: MessagePort, want: string, ms: number) =>
  new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    port.addEventListener('message', (e) => e.data === want && (clearTimeout(timer), resolve(true)));
  });

/** A write to the download; cancelled from the browser's side, the stream says no reason: this says what happened. */
async function stoppable(write: () => Promise<void>) {
  try {
    await write();
  } catch {
    throw new Error('the download was stopped in the browser');
  }
}

/** A download of `name` the caller writes into, once the browser has started it; undefined where it cannot be done. */
export async function streamedDownload(name: string): Promise<StreamedDownload | undefined> {
  const sw = typeof navigator !== 'undefined' ? navigator.serviceWorker?.controller : undefined;
  if (!sw || typeof TransformStream !== 'function') return undefined;
  // a few chunks queued at most: the zip is written at the pace the download takes it
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>(undefined, undefined, new CountQueuingStrategy({ highWaterMark: 4 }));
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  const channel = new MessageChannel();
  channel.port1.start();
  const ready = answer(channel.port1, 'ready', 2000);
  const started = answer(channel.port1, 'started', START_MS);
  try {
    sw.postMessage({ type: 'download', id, name, stream: readable }, [channel.port2, readable as unknown as Transferable]);
  } catch {
    return undefined; // this browser cannot hand a stream to its service worker
  }
  if (!(await ready)) {
    channel.port1.close(); // a worker of an older build, which does not know this message
    return undefined;
  }
  const scope = (await navigator.serviceWorker.ready).scope;
  const frame = document.createElement('iframe');
  frame.hidden = true;
  frame.title = 'download';
  frame.src = new URL(`download/${id}/${encodeURIComponent(name)}`, scope).href;
  document.body.append(frame);
  const done = () => {
    clearInterval(keepAlive);
    channel.port1.close();
    setTimeout(() => frame.remove(), 30_000);
  };
  // a service worker is stopped when idle; a message now and then keeps it while the download runs
  const keepAlive = setInterval(() => sw.postMessage({ type: 'keep-alive' }), 10_000);
  if (!(await started)) {
    sw.postMessage({ type: 'forget-download', id });
    done();
    frame.remove();
    return undefined;
  }
  const writer = writable.getWriter();
  // the zip comes in small pieces (headers, descriptors); each write to the stream is a round trip
  // to the service worker and the browser's downloads, so pieces go together, a few hundred kB at a time
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    const joined = new Uint8Array(pendingBytes);
    let at = 0;
    for (const p of pending) (joined.set(p, at), (at += p.length));
    pending = [];
    pendingBytes = 0;
    await stoppable(async () => {
      await writer.ready;
      await writer.write(joined);
    });
  };
  return {
    async write(chunk) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= GATHER_BYTES) await flush();
    },
    async finish() {
      if (pendingBytes) await flush();
      await stoppable(() => writer.close());
      done();
    },
    async abort() {
      await writer.abort(new Error('export cancelled')).catch(() => undefined);
      done();
    },
  };
}
