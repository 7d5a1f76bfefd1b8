/** Where a record sits in an ordered index: a number (e.g. a time in ms), then a string (e.g. an id). */
export type SortKey = readonly [number, string];

export type Direction = 'Asc' | 'Desc';

export function compareSortKeys(a: SortKey, b: SortKey): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

interface Entry<T> {
  sortKey: SortKey;
  key: string;
  /** The record itself, so a walk needs no look-up by key (kept current by `update`). */
  value: T;
}

/**
 * Primary keys kept in sort-key order. Insert and remove are a binary search
 * plus one array splice (a memmove, microseconds at 100,000 entries), so a
 * listing never sorts: it seeks to its cursor and walks.
 */
export class SortedList<T> {
  private readonly entries: Entry<T>[] = [];

  get size(): number {
    return this.entries.length;
  }

  insert(sortKey: SortKey, key: string, value: T): void {
    const at = this.lowerBound(sortKey, key);
    // Appending is the common case (records sorted by creation time or sequence); push costs no splice.
    if (at === this.entries.length) this.entries.push({ sortKey, key, value });
    else this.entries.splice(at, 0, { sortKey, key, value });
  }

  /** A record changed without moving: point its entry at the new version. */
  update(sortKey: SortKey, key: string, value: T): void {
    const found = this.entries[this.lowerBound(sortKey, key)];
    if (found && found.key === key) found.value = value;
    else this.insert(sortKey, key, value);
  }

  remove(sortKey: SortKey, key: string): void {
    const at = this.lowerBound(sortKey, key);
    const found = this.entries[at];
    if (found && found.key === key) {
      this.removeAt(at);
      return;
    }
    // The caller's sort key was stale (a bug elsewhere): fall back to a scan rather than keep a ghost entry.
    const index = this.entries.findIndex((e) => e.key === key);
    if (index !== -1) this.removeAt(index);
  }

  /**
   * Dropping the oldest entry is the common case (capped logs, expiry lists):
   * V8 shifts by moving the array's start, where splice(0, 1) copies every
   * entry and allocates an array for the removed one.
   */
  private removeAt(at: number): void {
    if (at === 0) this.entries.shift();
    else if (at === this.entries.length - 1) this.entries.pop();
    else this.entries.splice(at, 1);
  }

  valueAt(position: number): T | undefined {
    return this.entries[position]?.value;
  }

  /**
   * Records in `direction`, starting strictly after `after` when given (a
   * cursor that no longer exists still finds its place), else at the start.
   */
  walk(direction: Direction, after?: SortKey): IterableIterator<T> {
    if (direction === 'Asc') return new Walk(this.entries, after === undefined ? 0 : this.upperBound(after), 1);
    return new Walk(this.entries, (after === undefined ? this.entries.length : this.lowerBoundKey(after)) - 1, -1);
  }

  /** Records in `direction`, skipping the first `position` of them. */
  walkFrom(direction: Direction, position: number): IterableIterator<T> {
    const skip = Math.max(0, position);
    return direction === 'Asc' ? new Walk(this.entries, skip, 1) : new Walk(this.entries, this.entries.length - 1 - skip, -1);
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

/**
 * A hand-written iterator, not a generator: listings and counts walk up to
 * 100,000 entries, and a generator costs several times more per step.
 * It reads the live array, so it must not be held across writes.
 */
class Walk<T> implements IterableIterator<T> {
  constructor(
    private readonly entries: readonly Entry<T>[],
    private position: number,
    private readonly step: 1 | -1,
  ) {}

  next(): IteratorResult<T> {
    const entry = this.entries[this.position];
    if (entry === undefined) return { done: true, value: undefined };
    this.position += this.step;
    return { done: false, value: entry.value };
  }

  [Symbol.iterator](): IterableIterator<T> {
    return this;
  }
}
