// The gallery's recycled row elements (ui/rowSlots.ts): unique keys, rows that stay keep theirs,
// rows coming in take what rows going out left.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assignSlots, rowsInPage } from '../../src/ui/rowSlots';

describe('row slots', () => {
  it('a scroll of three rows: the rows that stay keep their slots, the new rows take the freed ones', () => {
    const first = assignSlots(new Map(), [0, 1, 2, 3, 4, 5, 6, 7]);
    expect([...first.values()]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const next = assignSlots(first, [3, 4, 5, 6, 7, 8, 9, 10]);
    for (const i of [3, 4, 5, 6, 7]) expect(next.get(i)).toBe(first.get(i));
    expect([8, 9, 10].map((i) => next.get(i))).toEqual([0, 1, 2]); // rows 0–2's elements
  });

  it('whatever the rows, slots are unique, stable for rows that stay, and never beyond those needed before or now', () => {
    const rows = fc.uniqueArray(fc.nat(60), { maxLength: 30 });
    fc.assert(fc.property(fc.array(rows, { minLength: 1, maxLength: 8 }), (renders) => {
      let last = new Map<number, number>();
      for (const indices of renders) {
        const next = assignSlots(last, indices);
        const slots = indices.map((i) => next.get(i)!);
        expect(new Set(slots).size).toBe(indices.length);
        expect(Math.max(-1, ...slots)).toBeLessThan(Math.max(indices.length, ...[...last.values()].map((s) => s + 1)));
        for (const i of indices) if (last.has(i)) expect(next.get(i)).toBe(last.get(i));
        expect([...next.keys()].sort()).toEqual([...indices].sort());
        last = next;
      }
    }));
  });
});

describe('rows in the page', () => {
  it('as many rows wherever the screen is, moved inward at the ends', () => {
    expect(rowsInPage({ startIndex: 50, overscan: 3, count: 100 }, 10)).toEqual([47, 48, 49, 50, 51, 52, 53, 54, 55, 56]);
    expect(rowsInPage({ startIndex: 0, overscan: 3, count: 100 }, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(rowsInPage({ startIndex: 96, overscan: 3, count: 100 }, 10)).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
    expect(rowsInPage({ startIndex: 2, overscan: 3, count: 6 }, 10)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rowsInPage({ startIndex: 0, overscan: 3, count: 0 }, 10)).toEqual([]);
  });

  it('a scroll anywhere keeps every row element: the slots used never change', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 12 }), fc.array(fc.nat(400), { minLength: 2, maxLength: 12 }), (count, screen, starts) => {
      const size = 3 * screen;
      let last = new Map<number, number>();
      let slotsBefore: Set<number> | undefined;
      for (const start of starts) {
        const rows = rowsInPage({ startIndex: Math.min(start, count - 1), overscan: screen, count }, size);
        expect(rows.length).toBe(Math.min(count, size));
        expect(rows.includes(Math.min(start, count - 1))).toBe(true); // the first row on screen is in the page
        last = assignSlots(last, rows);
        const slots = new Set(last.values());
        if (slotsBefore) expect(slots).toEqual(slotsBefore);
        slotsBefore = slots;
      }
    }));
  });
});
