/** Where a record sits in an ordered index: a number (e.g. a time in ms), then a string (e.g. an id). */
export type SortKey = readonly [number, string];

export type Direction = 'Asc' | 'Desc';

export function compareSortKeys(a: SortKey, b: SortKey): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

interface Entry {
  sortKey: SortKey;
  key: string;
}

/**
 * Primary keys kept in sort-key order. Insert and remove are a binary search
 * plus one array splice (a memmove, microseconds at 100,000 entries), so a
 * listing never sorts: it seeks to its cursor and walks.
 */
export class SortedList {
  private readonly entries: Entry[] = [];

  get size(): number {
    return this.entries.length;
  }

  insert(sortKey: SortKey, key: string): void {
    const at = this.lowerBound(sortKey, key);
    this.entries.splice(at, 0, { sortKey, key });
  }

  remove(sortKey: SortKey, key: string): void {
    const at = this.lowerBound(sortKey, key);
    const found = this.entries[at];
    if (found && found.key === key) {
      this.entries.splice(at, 1);
      return;
    }
    // The caller's sort key was stale (a bug elsewhere): fall back to a scan rather than keep a ghost entry.
    const index = this.entries.findIndex((e) => e.key === key);
    if (index !== -1) this.entries.splice(index, 1);
  }

  keyAt(position: number): string | undefined {
    return this.entries[position]?.key;
  }

  /**
   * Primary keys in `direction`, starting strictly after `after` when given
   * (a cursor that no longer exists still finds its place), else at the start.
   */
  *keys(direction: Direction, after?: SortKey): IterableIterator<string> {
    if (direction === 'Asc') {
      let i = after === undefined ? 0 : this.upperBound(after);
      for (; i < this.entries.length; i++) yield this.entries[i]!.key;
    } else {
      let i = after === undefined ? this.entries.length - 1 : this.lowerBoundKey(after) - 1;
      for (; i >= 0; i--) yield this.entries[i]!.key;
    }
  }

  /** Primary keys in `direction`, skipping the first `position` of them. */
  *keysFrom(direction: Direction, position: number): IterableIterator<string> {
    const n = this.entries.length;
    if (direction === 'Asc') for (let i = Math.max(0, position); i < n; i++) yield this.entries[i]!.key;
    else for (let i = n - 1 - Math.max(0, position); i >= 0; i--) yield this.entries[i]!.key;
  }

  /** How many entries come strictly after the cursor in `direction`. */
  countAfter(direction: Direction, after: SortKey): number {
    return direction === 'Asc' ? this.entries.length - this.upperBound(after) : this.lowerBoundKey(after);
  }

  /** First position whose entry is >= (sortKey, key). */
  private lowerBound(sortKey: SortKey, key: string): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = this.entries[mid]!;
      const c = compareSortKeys(e.sortKey, sortKey) || (e.key < key ? -1 : e.key > key ? 1 : 0);
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First position whose sort key is >= the given one. */
  private lowerBoundKey(sortKey: SortKey): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareSortKeys(this.entries[mid]!.sortKey, sortKey) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First position whose sort key is > the given one. */
  private upperBound(sortKey: SortKey): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareSortKeys(this.entries[mid]!.sortKey, sortKey) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
