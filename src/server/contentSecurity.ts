// The Content-Security-Policy (src/common/csp.ts) on the server side: written into the built
// index.html as a meta tag, and sent as a header (with index.html's meta tag rewritten to match)
// by `vite preview` and serve.ts, with the hosts in EI_PROXY_HOSTS as read when they answer.
// The dev server gets none: its React refresh preamble is an inline script.
import fs from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import type { Plugin } from 'vite';
import { contentSecurityPolicy, withPolicyMeta } from '../common/csp.ts';
import { extraHosts } from './edgeImpulseProxy.ts';

/** Sets the policy header on an answer. */
export function sendPolicy(res: ServerResponse) {
  res.setHeader('content-security-policy', contentSecurityPolicy(extraHosts(), true));
}

/** index.html as this server should send it: its meta tag naming the hosts this server was configured with. */
export function pageWithPolicy(html: string): string {
  return withPolicyMeta(html, contentSecurityPolicy(extraHosts()));
}

export function contentSecurityPolicyPlugin(): Plugin {
  let outDir = 'dist';
  return {
    name: 'content-security-policy',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    transformIndexHtml: {
      order: 'post',
      handler: (html, ctx) => (ctx.server ? html : pageWithPolicy(html)),
    },
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        sendPolicy(res);
        const pathname = new URL(req.url ?? '/', 'http://x').pathname;
        if (req.method !== 'GET' || (pathname !== '/' && pathname !== '/index.html')) return next();
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.setHeader('cache-control', 'no-cache');
        res.end(pageWithPolicy(fs.readFileSync(path.join(outDir, 'index.html'), 'utf8')));
      });
    },
  };
}
