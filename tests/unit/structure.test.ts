// The layering rules of docs/architecture.md, checked on the source itself: only src/state/
// writes the store, TF.js stays in src/engine/ (never in the page's bundle), and no import cycles.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.join(import.meta.dirname, '../../src');

interface Import {
  spec: string;
  /** Erased when compiled (import type …, or every named import marked type). */
  typeOnly: boolean;
  /** The file it resolves to, for a relative import. */
  file?: string;
}

function sourceFiles(dir = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function resolve(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec.replace(/\?.*$/, ''));
  return [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
}

function importsOf(file: string): Import[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: Import[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const m of text.matchAll(statement)) {
    const spec = m[4] ?? m[5] ?? m[6];
    const named = m[3]?.match(/^\{([^}]*)\}$/s)?.[1];
    const allTypes = !!named && named.split(',').map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith('type '));
    out.push({ spec, typeOnly: !!m[2] || allTypes, file: spec.startsWith('.') ? resolve(file, spec) : undefined });
  }
  return out;
}

const files = sourceFiles();
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const rel = (f: string) => path.relative(SRC, f);
const folderOf = (f: string) => (rel(f).includes(path.sep) ? rel(f).split(path.sep)[0] : '.');

/** Every package a file pulls in at run time, directly or through other files, with the path that does it. */
function runtimePackages(start: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const seen = new Set<string>();
  const visit = (f: string, trail: string[]) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const i of graph.get(f) ?? []) {
      if (i.typeOnly) continue;
      if (i.file) visit(i.file, [...trail, rel(i.file)]);
      else if (!i.spec.startsWith('.') && !found.has(i.spec)) found.set(i.spec, trail);
    }
  };
  visit(start, [rel(start)]);
  return found;
}

/** One cycle in a directed graph, if there is one. */
function findCycle(edges: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done') return undefined;
    if (state.get(n) === 'open') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'open');
    stack.push(n);
    for (const m of edges.get(n) ?? []) {
      const c = visit(m);
      if (c) return c;
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of edges.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return undefined;
}

describe('the source tree', () => {
  it('finds the files and their imports (so the rules below check something)', () => {
    expect(files.length).toBeGreaterThan(60);
    expect(graph.get(path.join(SRC, 'engine/workerApi.ts'))?.some((i) => i.spec === '@tensorflow/tfjs')).toBe(true);
    for (const [f, imports] of graph) for (const i of imports) if (i.spec.startsWith('.')) expect(i.file, `${rel(f)} imports ${i.spec}`).toBeDefined();
  });

  it('only src/state/ writes the store', () => {
    const writers = files.filter((f) => !rel(f).startsWith(`state${path.sep}`) && /\bsetState\s*\(/.test(fs.readFileSync(f, 'utf8')));
    expect(writers.map(rel)).toEqual([]);
  });

  it('TF.js is imported by src/engine/ only, and the page never loads it (only the worker does)', () => {
    const outside = files.filter((f) => folderOf(f) !== 'engine' && (graph.get(f) ?? []).some((i) => !i.typeOnly && i.spec.startsWith('@tensorflow/')));
    expect(outside.map(rel)).toEqual([]);
    for (const folder of ['ui', 'render', 'image', 'results', 'methods', 'state']) {
      for (const f of files.filter((x) => folderOf(x) === folder)) {
        const tf = [...runtimePackages(f)].filter(([p]) => p.startsWith('@tensorflow/'));
        expect(tf.map(([p, trail]) => `${p} via ${trail.join(' → ')}`), rel(f)).toEqual([]);
      }
    }
    expect([...runtimePackages(path.join(SRC, 'main.tsx')).keys()].filter((p) => p.startsWith('@tensorflow/'))).toEqual([]);
  });

  it('common/, render/, image/ and methods/ are pure: no React, no DOM-bound packages, nothing from the layers above', () => {
    // common/ (errors, paths, limits, fingerprints) is the bottom layer: every layer may use it, it uses none
    const allowed: Record<string, string[]> = { common: ['common'], render: ['render', 'image', 'common'], image: ['image', 'common'], methods: ['methods', 'common'] };
    for (const [folder, may] of Object.entries(allowed)) {
      for (const f of files.filter((x) => folderOf(x) === folder)) {
        for (const i of graph.get(f) ?? []) {
          if (i.file) expect(may, `${rel(f)} imports ${rel(i.file)}`).toContain(folderOf(i.file));
          else expect(['react', 'react-dom', 'zustand', 'comlink'], `${rel(f)} imports ${i.spec}`).not.toContain(i.spec);
        }
      }
    }
  });

  it('has no import cycle between files', () => {
    const edges = new Map(files.map((f) => [rel(f), new Set((graph.get(f) ?? []).flatMap((i) => (i.file ? [rel(i.file)] : [])))]));
    expect(findCycle(edges)).toBeUndefined();
  });

  it('has no import cycle between folders', () => {
    const edges = new Map<string, Set<string>>();
    for (const [f, imports] of graph) {
      const from = folderOf(f);
      if (!edges.has(from)) edges.set(from, new Set());
      for (const i of imports) if (i.file && folderOf(i.file) !== from) edges.get(from)!.add(folderOf(i.file));
    }
    expect(findCycle(edges)).toBeUndefined();
  });
});
