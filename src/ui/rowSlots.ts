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
