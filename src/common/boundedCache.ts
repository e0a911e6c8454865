// A cache of promised values bounded by what they hold: the least recently used go first.

/**
 * Keeps `make(key)`'s promise per key while the entries' sizes add up to at most `budget`. An entry
 * counts `guess` until its value arrives, then `sizeOf(value)`; a rejected one counts `guess` (it is
 * kept, so a failure is not tried again each time it is asked for).
 */
export function boundedCache<K, V>(budget: number, sizeOf: (value: V) => number, guess: number | (() => number)) {
  const entries = new Map<K, { value: Promise<V>; size: number }>();
  let total = 0;
  const trim = () => {
    // the newest entry stays even when it alone is over the budget
    while (total > budget && entries.size > 1) {
      const [key, oldest] = entries.entries().next().value as [K, { size: number }];
      entries.delete(key);
      total -= oldest.size;
    }
  };
  return {
    get(key: K, make: () => Promise<V>): Promise<V> {
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key); // most recently used last
        entries.set(key, hit);
        return hit.value;
      }
      const entry = { value: make(), size: typeof guess === 'number' ? guess : guess() };
      entries.set(key, entry);
      total += entry.size;
      trim();
      entry.value.then(
        (v) => {
          if (entries.get(key) !== entry) return; // forgotten meanwhile
          const size = sizeOf(v);
          total += size - entry.size;
          entry.size = size;
          trim();
        },
        () => {},
      );
      return entry.value;
    },
    /** Keeps `value` for `key`, made elsewhere (one already kept stays). */
    put(key: K, value: V): void {
      if (!entries.has(key)) this.get(key, () => Promise.resolve(value));
    },
    /** Whether `key` is kept (without making it the most recently used). */
    has: (key: K) => entries.has(key),
    /** What the entries hold now, by their sizes. */
    held: () => total,
    clear() {
      entries.clear();
      total = 0;
    },
  };
}
