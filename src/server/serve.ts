// The production server: the built app (dist/) and the Edge Impulse proxy from one plain Node
// process, no dev dependencies. `npm run serve`, or `node dist-server/serve.js` after a build.
//   HOST (default 127.0.0.1: loopback unless told otherwise), PORT (default 8080),
//   EI_PROXY_HOSTS (more API/storage origins the proxy may reach), EI_PROXY_MAX_BYTES, EI_PROXY_TIMEOUT_MS,
//   DIST (default: ../dist next to this file).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { handleProxy } from './edgeImpulseProxy';
import { pageWithPolicy, sendPolicy } from './contentSecurity';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.zip': 'application/zip', '.bin': 'application/octet-stream', '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.wasm', '.json', '.svg', '.txt']);

/** Headers on every answer: no sniffing, no referrer, no framing. */
const SECURITY = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY', 'cross-origin-opener-policy': 'same-origin' };

export function createServer(dist: string): http.Server {
  const root = path.resolve(dist);
  return http.createServer((req, res) => {
    for (const [k, v] of Object.entries(SECURITY)) res.setHeader(k, v);
    sendPolicy(res);
    if (req.url?.startsWith('/ei-proxy')) {
      handleProxy(req, res).then((handled) => handled || res.writeHead(404).end());
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(root, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    const ext = path.extname(file);
    res.setHeader('content-type', TYPES[ext] ?? 'application/octet-stream');
    // hashed build assets never change under their name; everything else is checked each time
    res.setHeader('cache-control', pathname.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    const gzip = COMPRESSIBLE.has(ext) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (gzip) res.setHeader('content-encoding', 'gzip');
    res.setHeader('vary', 'accept-encoding');
    res.writeHead(200);
    if (req.method === 'HEAD') return void res.end();
    // the page's meta tag names the hosts this server was started with (EI_PROXY_HOSTS), as its header does
    if (ext === '.html') {
      const page = Buffer.from(pageWithPolicy(fs.readFileSync(file, 'utf8')));
      return void res.end(gzip ? zlib.gzipSync(page) : page);
    }
    const stream = fs.createReadStream(file);
    (gzip ? stream.pipe(zlib.createGzip()) : stream).pipe(res);
  });
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]);
if (isMain) {
  const dist = process.env.DIST ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
  const host = process.env.HOST || '127.0.0.1';
  const server = createServer(dist);
  server.requestTimeout = 15 * 60_000;
  server.listen(Number(process.env.PORT ?? 8080), host, () => {
    const a = server.address() as { port: number };
    console.log(`Grad-CAM Explorer on http://${host.includes(':') ? `[${host}]` : host}:${a.port}/ (serving ${path.resolve(dist)})`);
  });
}
