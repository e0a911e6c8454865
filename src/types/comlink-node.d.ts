// Comlink's Node adapter (worker_threads ports as Comlink endpoints) ships its .d.ts beside the
// .mjs under a name TypeScript does not pair with it; this re-declares that file's one export.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';
  import type { MessagePort, Worker } from 'node:worker_threads';
  export default function nodeEndpoint(nep: MessagePort | Worker): Endpoint;
}
