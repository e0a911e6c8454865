import { describe, expect, it } from 'vitest';
import { boundedCache } from '../../src/common/boundedCache';

const later = () => new Promise((r) => setTimeout(r, 0));

describe('boundedCache', () => {
  it('keeps values while their sizes fit the budget, forgetting the least recently used first', async () => {
    const c = boundedCache<string, Uint8Array>(100, (v) => v.length, 10);
    let made = 0;
    const make = (n: number) => () => (made++, Promise.resolve(new Uint8Array(n)));
    await c.get('a', make(40));
    await c.get('b', make(40));
    await later();
    expect(c.held()).toBe(80);
    await c.get('a', make(40)); // a hit: made once, now the most recently used
    expect(made).toBe(2);
    await c.get('c', make(40));
    await later();
    // 120 > 100: b, the least recently used, goes
    expect([c.has('a'), c.has('b'), c.has('c')]).toEqual([true, false, true]);
    expect(c.held()).toBe(80);
    await c.get('b', make(40));
    expect(made).toBe(4);
  });

  it('counts a value on its way as the guess, then as its size', async () => {
    let resolve!: (v: Uint8Array) => void;
    const c = boundedCache<string, Uint8Array>(1000, (v) => v.length, () => 64);
    const p = c.get('x', () => new Promise((r) => (resolve = r)));
    expect(c.held()).toBe(64);
    resolve(new Uint8Array(300));
    await p;
    await later();
    expect(c.held()).toBe(300);
  });

  it('keeps a failure (not tried again each time), keeps the newest even when alone over the budget, and empties on clear', async () => {
    const c = boundedCache<string, Uint8Array>(10, (v) => v.length, 1);
    let tries = 0;
    const fail = () => (tries++, Promise.reject(new Error('damaged')));
    await expect(c.get('bad', fail)).rejects.toThrow('damaged');
    await expect(c.get('bad', fail)).rejects.toThrow('damaged');
    expect(tries).toBe(1);
    await c.get('big', () => Promise.resolve(new Uint8Array(50)));
    await later();
    expect(c.has('big')).toBe(true);
    expect(c.has('bad')).toBe(false);
    c.clear();
    expect([c.has('big'), c.held()]).toEqual([false, 0]);
  });

  it('a value that arrives after its entry was forgotten is not counted', async () => {
    let resolve!: (v: Uint8Array) => void;
    const c = boundedCache<string, Uint8Array>(100, (v) => v.length, 10);
    const p = c.get('slow', () => new Promise((r) => (resolve = r)));
    c.clear();
    resolve(new Uint8Array(90));
    await p;
    await later();
    expect(c.held()).toBe(0);
  });
});
