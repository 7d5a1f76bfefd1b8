import type { StoreTable, WriteRecorder } from './collection.js';
import { deepFreeze } from './frozen.js';
import type { Direction } from './sorted-list.js';

/**
 * How a log is kept: records in the order of a sequence number each carries,
 * appended at the newest end and trimmed from the oldest (a request log).
 * A record's key is its sequence number as a string.
 */
export interface LogSpec<T> {
  readonly kind: 'log';
  seq: (record: T) => number;
}

/** Declares a log of T: `log<Entry>()({ seq: (e) => e.seq })`. */
export function log<T>() {
  return (spec: { seq: (record: T) => number }): LogSpec<T> => ({ kind: 'log', seq: spec.seq });
}

export interface ReadableLog<T> {
  readonly name: string;
  readonly size: number;
  get(key: string): T | undefined;
  has(key: string): boolean;
  /** Oldest first. */
  scan(): IterableIterator<T>;
  oldest(): T | undefined;
  newest(): T | undefined;
  iterate(direction: Direction): IterableIterator<T>;
}

export interface WritableLog<T> extends ReadableLog<T> {
  /** Appends (or, for a number already held or older than the newest, files in order); returns the stored, frozen record. */
  put(record: T): T;
  /** Returns whether there was a record to delete. */
  delete(key: string): boolean;
}

/** Trimming moves a start offset; the array is rebuilt once this many dropped slots make up half of it. */
const COMPACT_AFTER = 1024;

/**
 * A log as an array in sequence order. Appending the next number and
 * dropping the oldest, which is all a capped log does on its hot path, cost
 * a push and an offset step: no hash maps, no sorted index, no per-record
 * bookkeeping beyond what the store journals. A general collection spent
 * ~10 us a SCIM request on the same two writes.
 */
export class LogCollection<T> implements WritableLog<T>, StoreTable<T> {
  private items: (T | undefined)[] = [];
  /** Index of the oldest live record in `items`. */
  private head = 0;

  constructor(
    readonly name: string,
    private readonly spec: LogSpec<T>,
    private readonly recorder: WriteRecorder,
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }

  keyOf(record: T): string {
    return String(this.spec.seq(record));
  }

  get(key: string): T | undefined {
    const at = this.find(key);
    return at === undefined ? undefined : this.items[at];
  }

  has(key: string): boolean {
    return this.find(key) !== undefined;
  }

  oldest(): T | undefined {
    return this.size === 0 ? undefined : this.items[this.head];
  }

  newest(): T | undefined {
    return this.size === 0 ? undefined : this.items[this.items.length - 1];
  }

  scan(): IterableIterator<T> {
    return this.iterate('Asc');
  }

  *iterate(direction: Direction): IterableIterator<T> {
    // A snapshot of the positions: a walk that outlives writes sees what was there when it started.
    const items = this.items.slice(this.head) as T[];
    if (direction === 'Asc') yield* items;
    else for (let i = items.length - 1; i >= 0; i--) yield items[i]!;
  }

  put(record: T): T {
    const frozen = deepFreeze(record);
    this.apply(frozen, true);
    return frozen;
  }

  delete(key: string): boolean {
    const at = this.find(key);
    if (at === undefined) return false;
    this.recorder.recordWrite(this.name, key, this.items[at], undefined, undefined);
    this.removeAt(at);
    return true;
  }

  restore(key: string, after: T | undefined): void {
    if (after !== undefined) this.apply(deepFreeze(after), false);
    else {
      const at = this.find(key);
      if (at !== undefined) this.removeAt(at);
    }
  }

  undo(key: string, before: T | undefined): void {
    this.restore(key, before);
  }

  settle(): void {
    // Every write keeps sequence order: nothing is left to sort.
  }

  /** Files `record` by its number, telling the recorder what it replaces when `journaled` (put, not restore). */
  private apply(record: T, journaled: boolean): void {
    const seq = this.spec.seq(record);
    const newest = this.newest();
    if (newest === undefined || seq > this.spec.seq(newest)) {
      // Appending the next number, the hot path, replaces nothing.
      if (journaled) this.recorder.recordWrite(this.name, String(seq), undefined, record, undefined);
      this.items.push(record);
      return;
    }
    const at = this.lowerBound(seq);
    const replaced = at < this.items.length && this.spec.seq(this.items[at]!) === seq ? this.items[at] : undefined;
    if (journaled) this.recorder.recordWrite(this.name, String(seq), replaced, record, undefined);
    if (replaced !== undefined) this.items[at] = record;
    else this.items.splice(at, 0, record);
  }

  private removeAt(at: number): void {
    if (at !== this.head) {
      this.items.splice(at, 1);
      return;
    }
    this.items[at] = undefined;
    this.head += 1;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** Position of the record whose key is `key`, if held. Keys are sequence numbers as String() writes them. */
  private find(key: string): number | undefined {
    const seq = Number(key);
    if (!Number.isFinite(seq) || String(seq) !== key || this.size === 0) return undefined;
    // The hot case: the oldest, which trimming deletes.
    if (this.spec.seq(this.items[this.head]!) === seq) return this.head;
    const at = this.lowerBound(seq);
    return at < this.items.length && this.spec.seq(this.items[at]!) === seq ? at : undefined;
  }

  private lowerBound(seq: number): number {
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.spec.seq(this.items[mid]!) < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
