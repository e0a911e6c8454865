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
  it("the virtualiser's rows, and never fewer than the window near the end of the gallery", () => {
    expect(rowsInPage({ startIndex: 50, endIndex: 53, overscan: 3, count: 100 }, 10)).toEqual([47, 48, 49, 50, 51, 52, 53, 54, 55, 56]);
    expect(rowsInPage({ startIndex: 0, endIndex: 3, overscan: 3, count: 100 }, 10)).toEqual([0, 1, 2, 3, 4, 5, 6]); // the top as it was
    expect(rowsInPage({ startIndex: 96, endIndex: 99, overscan: 3, count: 100 }, 10)).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
    expect(rowsInPage({ startIndex: 2, endIndex: 5, overscan: 3, count: 6 }, 10)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rowsInPage({ startIndex: 0, endIndex: 0, overscan: 3, count: 0 }, 10)).toEqual([]);
  });

  it('below the first screen, and to the very end, as many rows wherever the screen is: a scroll keeps every row element', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 12 }), fc.array(fc.nat(400), { minLength: 2, maxLength: 12 }), (count, screen, ats) => {
      const size = 3 * screen; // a screen of rows and `screen` rows each way
      let last = new Map<number, number>();
      let slotsBefore: Set<number> | undefined;
      for (const at of ats) {
        const start = Math.min(Math.max(at, screen), count - 1);
        const end = Math.min(start + screen - 1, count - 1);
        const rows = rowsInPage({ startIndex: start, endIndex: end, overscan: screen, count }, size);
        for (let i = start; i <= end; i++) expect(rows.includes(i)).toBe(true); // the rows on screen are in the page
        expect(rows.length).toBe(Math.min(count, size));
        last = assignSlots(last, rows);
        const slots = new Set(last.values());
        if (slotsBefore) expect(slots).toEqual(slotsBefore);
        slotsBefore = slots;
      }
    }));
  });
});
