// The app's Content-Security-Policy, in one place: the build writes it into index.html as a meta
// tag (a static host sends no headers), the preview and production servers send it as a header
// and rewrite the meta tag with the hosts they were configured with, and the page reads its own
// policy back to learn which hosts it may call directly (the rest go through its proxy, so a call
// the policy forbids is never attempted).

/** Hosts the page may call without the proxy by default: the Edge Impulse API and its export storage (S3). */
export const EDGE_IMPULSE_ORIGINS = ['https://studio.edgeimpulse.com', 'https://*.amazonaws.com'];

/**
 * Scripts only from the app's own origin (no inline script, no eval) plus 'wasm-unsafe-eval',
 * which WebAssembly compilation needs (the WASM backend); calls only to the app's origin and the
 * Edge Impulse hosts; images also from blob:/data: (tiles, the export's previews).
 * `extraOrigins`: a self-hosted or test API and its storage (EI_PROXY_HOSTS).
 */
export function contentSecurityPolicy(extraOrigins: readonly string[] = [], asHeader = false): string {
  const directives = [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    `connect-src 'self' ${[...EDGE_IMPULSE_ORIGINS, ...extraOrigins].join(' ')}`,
    "img-src 'self' blob: data:",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
  ];
  // a meta tag cannot carry frame-ancestors (the browser ignores it there, with a console error)
  if (asHeader) directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}

/** The sources of a policy's connect-src (or default-src when it has none); undefined for no such directive. */
export function connectSources(policy: string): string[] | undefined {
  const directives = new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name.toLowerCase(), sources] as const),
  );
  return directives.get('connect-src') ?? directives.get('default-src');
}

/** Does a source list allow a call to `url` from a page at `selfOrigin`? (The subset of CSP source matching this app's policies use.) */
export function mayConnect(sources: readonly string[], url: string, selfOrigin: string): boolean {
  const target = new URL(url);
  return sources.some((source) => {
    if (source === "'self'") return target.origin === selfOrigin;
    if (source === '*') return ['http:', 'https:'].includes(target.protocol);
    if (/^[a-z][a-z0-9+.-]*:$/i.test(source)) return target.protocol === source.toLowerCase();
    const m = /^([a-z][a-z0-9+.-]*):\/\/(\*\.)?([^:/]+)(?::(\d+|\*))?\/?$/i.exec(source);
    if (!m) return false;
    const [, scheme, wildcard, host, port] = m;
    if (target.protocol !== `${scheme.toLowerCase()}:`) return false;
    const hostname = target.hostname.toLowerCase();
    const h = host.toLowerCase();
    if (wildcard ? !hostname.endsWith(`.${h}`) : hostname !== h) return false;
    return port === '*' || target.port === (port ?? '');
  });
}

const META = /<meta http-equiv="Content-Security-Policy" content="[^"]*"\s*\/?>/i;

/** index.html with the policy as a meta tag (replacing one already there), right after the charset so it covers every script and link after it. */
export function withPolicyMeta(html: string, policy: string): string {
  const tag = `<meta http-equiv="Content-Security-Policy" content="${policy.replace(/"/g, '&quot;')}" />`;
  if (META.test(html)) return html.replace(META, tag);
  if (/<meta charset[^>]*>/i.test(html)) return html.replace(/<meta charset[^>]*>/i, (m) => `${m}\n    ${tag}`);
  return html.replace(/<head>/i, `<head>\n    ${tag}`);
}
