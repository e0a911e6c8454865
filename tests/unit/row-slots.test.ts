// The gallery's recycled row elements (ui/rowSlots.ts): unique keys, rows that stay keep theirs,
// rows coming in take what rows going out left.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assignSlots } from '../../src/ui/rowSlots';

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
