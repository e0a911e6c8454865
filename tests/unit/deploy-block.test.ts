// The Edge Impulse deployment block: parameters.json's parameters are the command line's flags
// (every value it offers parses, its defaults are the command line's), and the Dockerfile runs
// the built command line. Docker itself cannot run here; this checks what it would run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI_OPTIONS, parseCli } from '../../src/cli/flags';

type Parameter = { name: string; value: string | boolean; type: string; param: string; valid?: string[]; help?: string };
const block = JSON.parse(fs.readFileSync('parameters.json', 'utf8')) as { version: number; type: string; info: Record<string, unknown>; parameters: Parameter[] };
const options = CLI_OPTIONS as Record<string, { type: string; default?: unknown }>;

describe('the deployment block', () => {
  it('is a privileged deploy block (it calls the API with the project key)', () => {
    expect(block).toMatchObject({ version: 1, type: 'deploy', info: { privileged: true, mountLearnBlock: false } });
  });

  it('passes only flags the command line takes, with values it accepts and its own defaults', () => {
    for (const p of block.parameters) {
      const o = options[p.param];
      expect(o, `--${p.param}`).toBeDefined();
      if (p.type === 'flag') {
        expect(o.type).toBe('boolean');
        expect(parseCli([`--${p.param}`, 'true']).a[p.param as keyof typeof CLI_OPTIONS]).toBe(true); // as Studio passes it
        expect(parseCli([`--${p.param}`, 'false']).a[p.param as keyof typeof CLI_OPTIONS]).toBe(false);
        expect(parseCli([`--${p.param}`]).a[p.param as keyof typeof CLI_OPTIONS]).toBe(true);
        expect(p.value).toBe(o.default);
        continue;
      }
      expect(String(p.value), `--${p.param}'s default`).toBe(String(o.default));
      for (const v of p.valid ?? [String(p.value)]) expect(() => parseCli([`--${p.param}`, v]), `--${p.param} ${v}`).not.toThrow();
      expect(p.help, `--${p.param} says what it does`).toBeTruthy();
    }
    // the old block's three parameters are all there
    expect(block.parameters.map((p) => p.param)).toEqual(expect.arrayContaining(['alpha', 'pooling-gradients', 'heatmap-normalization']));
  });

  it('the Dockerfile builds and runs the command line that package.json names, on Node 20 slim', () => {
    const docker = fs.readFileSync('Dockerfile', 'utf8');
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
    expect(docker).toMatch(/^FROM node:20-slim AS build$/m);
    expect(docker).toMatch(/RUN npm run build:cli/);
    expect(pkg.scripts['build:cli']).toMatch(/--outDir dist-cli/);
    const entry = /^ENTRYPOINT \["node", "\/app\/(.+)"\]$/m.exec(docker)?.[1];
    expect(entry).toBe(pkg.bin.gradcam);
    // what the entry point is, built (npm test builds before testing): it answers --help with the block's flags
    const help = execFileSync('node', [entry!, '--help'], { encoding: 'utf8' });
    for (const p of block.parameters) expect(help).toContain(`--${p.param}`);
  });

  it('Dockerfile.web builds the app and the server, and ships only dist/ and dist-server/, which serve without node_modules', async () => {
    const docker = fs.readFileSync('Dockerfile.web', 'utf8');
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
    expect(docker).toMatch(/^FROM node:20-slim AS build$/m);
    expect(docker).toMatch(/RUN npx vite build && npm run build:server/);
    expect(pkg.scripts.build).toMatch(/^vite build && .*npm run build:server/);
    // everything the build reads is copied in (vite.config.ts imports from scripts/ and src/)
    const copied = [...docker.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1].split(' '));
    for (const p of copied) expect(fs.existsSync(p), p).toBe(true);
    for (const needed of ['index.html', 'vite.config.ts', 'scripts', 'src', 'public', 'package-lock.json']) expect(copied).toContain(needed);
    expect([...docker.matchAll(/^COPY --from=build \/src\/(\S+) /gm)].map((m) => m[1])).toEqual(['dist', 'dist-server']);
    expect(docker).toMatch(/^ENTRYPOINT \["node", "\/app\/dist-server\/serve\.js"\]$/m);
    expect(docker).toMatch(/HOST=0\.0\.0\.0/); // in a container, loopback would be unreachable
    // the final image's two folders alone (npm test has built them), away from node_modules
    const app = fs.mkdtempSync(path.join(os.tmpdir(), 'gradcam-web-'));
    fs.cpSync('dist', path.join(app, 'dist'), { recursive: true });
    fs.cpSync('dist-server', path.join(app, 'dist-server'), { recursive: true });
    const server = spawn(process.execPath, [path.join(app, 'dist-server/serve.js')], { cwd: app, env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1' } });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        server.stdout.on('data', (d: Buffer) => { const m = /on (http:\/\/\S+\/)/.exec(d.toString()); if (m) resolve(m[1]); });
        server.on('exit', (code) => reject(new Error(`serve.js exited (${code})`)));
      });
      const index = await fetch(url);
      expect(index.status).toBe(200);
      expect(index.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      expect(await index.text()).toMatch(/Grad-CAM/);
    } finally {
      server.kill();
      fs.rmSync(app, { recursive: true, force: true });
    }
  });
});
