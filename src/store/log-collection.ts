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

/**
 * Appends held outside a log until something needs them in it: a reader of
 * the log, the next journal append, a compaction, shutdown. For bookkeeping
 * that a hot read path records on every request (the SCIM request log): it
 * can keep its entries in columns and turn only the ones that last into
 * records, instead of allocating a record per request that a capped log
 * drops again soon after.
 */
export interface PendingAppends<T> {
  /** Whether anything waits. Checked on every read of the log: keep it cheap. */
  readonly pending: boolean;
  /** Appends what waits to `log`, oldest first, and forgets it; `pending` is false from its first write on. */
  drainInto(log: WritableLog<T>): void;
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
  /** Brings pending appends in before the log is read or written (set by the store). */
  private catchUp: (() => void) | null = null;

  constructor(
    readonly name: string,
    private readonly spec: LogSpec<T>,
    private readonly recorder: WriteRecorder,
  ) {}

  /**
   * Every public read and write first calls `catchUp`, so no one sees the log
   * without what waits for it; the store's own undo, restore and replay use
   * the private paths, which leave pending appends where they are.
   */
  feedFrom(catchUp: () => void): void {
    if (this.catchUp !== null) throw new Error(`${this.name} is fed already`);
    this.catchUp = catchUp;
  }

  get size(): number {
    this.catchUp?.();
    return this.held();
  }

  keyOf(record: T): string {
    return String(this.spec.seq(record));
  }

  get(key: string): T | undefined {
    this.catchUp?.();
    const at = this.find(key);
    return at === undefined ? undefined : this.items[at];
  }

  has(key: string): boolean {
    this.catchUp?.();
    return this.find(key) !== undefined;
  }

  oldest(): T | undefined {
    this.catchUp?.();
    return this.held() === 0 ? undefined : this.items[this.head];
  }

  newest(): T | undefined {
    this.catchUp?.();
    return this.newestHeld();
  }

  scan(): IterableIterator<T> {
    return this.iterate('Asc');
  }

  iterate(direction: Direction): IterableIterator<T> {
    this.catchUp?.();
    // A snapshot of the positions: a walk that outlives writes sees what was there when it started.
    return walk(this.items.slice(this.head) as T[], direction);
  }

  put(record: T): T {
    this.catchUp?.();
    const frozen = deepFreeze(record);
    this.apply(frozen, true);
    return frozen;
  }

  delete(key: string): boolean {
    this.catchUp?.();
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
    const newest = this.newestHeld();
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

  private held(): number {
    return this.items.length - this.head;
  }

  private newestHeld(): T | undefined {
    return this.held() === 0 ? undefined : this.items[this.items.length - 1];
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
    if (!Number.isFinite(seq) || String(seq) !== key || this.held() === 0) return undefined;
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

function* walk<T>(items: readonly T[], direction: Direction): IterableIterator<T> {
  if (direction === 'Asc') yield* items;
  else for (let i = items.length - 1; i >= 0; i--) yield items[i]!;
}
