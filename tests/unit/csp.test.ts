// The Content-Security-Policy helpers (src/common/csp.ts): the policy, reading its connect list
// back, CSP source matching as the page uses it to decide direct call or proxy, the meta tag.
import { describe, expect, it } from 'vitest';
import { connectSources, contentSecurityPolicy, mayConnect, withPolicyMeta } from '../../src/common/csp';

const SELF = 'https://app.example';

describe('content security policy', () => {
  it('lists the Edge Impulse hosts and any extra ones; frame-ancestors only as a header', () => {
    const meta = contentSecurityPolicy(['http://127.0.0.1:4000']);
    expect(connectSources(meta)).toEqual(["'self'", 'https://studio.edgeimpulse.com', 'https://*.amazonaws.com', 'http://127.0.0.1:4000']);
    expect(meta).not.toMatch(/frame-ancestors|unsafe-inline|'unsafe-eval'/);
    expect(contentSecurityPolicy([], true)).toMatch(/; frame-ancestors 'none'$/);
  });

  it('falls back to default-src, and has no list without either', () => {
    expect(connectSources("default-src 'self' https://a.example; img-src *")).toEqual(["'self'", 'https://a.example']);
    expect(connectSources('img-src *')).toBeUndefined();
  });

  it('matches sources as the browser does for these policies', () => {
    const sources = connectSources(contentSecurityPolicy(['http://127.0.0.1:4000']))!;
    const may = (url: string) => mayConnect(sources, url, SELF);
    expect(may(`${SELF}/ei-proxy/x`)).toBe(true);
    expect(may('https://studio.edgeimpulse.com/v1/api/projects')).toBe(true);
    expect(may('https://edgeimpulse-exports.s3.eu-west-1.amazonaws.com/a.zip?sig=1')).toBe(true);
    expect(may('https://amazonaws.com/a.zip')).toBe(false); // *. needs a subdomain
    expect(may('http://studio.edgeimpulse.com/v1/api')).toBe(false); // scheme
    expect(may('https://studio.edgeimpulse.com:8443/v1')).toBe(false); // port
    expect(may('https://studio.edgeimpulse.com.evil.example/v1')).toBe(false);
    expect(may('http://127.0.0.1:4000/v1/api/projects')).toBe(true);
    expect(may('http://127.0.0.1:4001/v1/api/projects')).toBe(false);
    expect(mayConnect(['blob:'], 'blob:https://app.example/1234', SELF)).toBe(true);
    expect(mayConnect(['https://*:*'], 'https://a.example', SELF)).toBe(false); // not a form these policies use: refused, never guessed
  });

  it('puts the meta tag right after the charset, and replaces one already there', () => {
    const html = '<!doctype html><html><head>\n<meta charset="UTF-8" />\n<title>x</title><script type="module" src="./a.js"></script></head></html>';
    const once = withPolicyMeta(html, "default-src 'self'");
    expect(once).toMatch(/<meta charset="UTF-8" \/>\s*<meta http-equiv="Content-Security-Policy" content="default-src 'self'" \/>\s*<title>/);
    const twice = withPolicyMeta(once, "default-src 'none'");
    expect(twice.match(/Content-Security-Policy/g)).toHaveLength(1);
    expect(twice).toContain(`content="default-src 'none'"`);
  });
});
