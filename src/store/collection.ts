import { deepFreeze } from './frozen.js';
import { SortedList, type Direction, type SortKey } from './sorted-list.js';

export interface OrderedIndexSpec<T> {
  /** Which list a record belongs to (e.g. its zone). */
  group: (record: T) => string;
  /** Its place in that list; must never change for a stored record's lifetime unless it is put again. */
  sortKey: (record: T) => SortKey;
}

/**
 * How one collection is keyed and indexed. Index functions must be pure: the
 * store calls them on the old and the new version of a record to move it.
 */
export interface CollectionSpec<T, I extends string = never, O extends string = never> {
  key: (record: T) => string;
  /** Hash indexes: a record is filed under the key its function returns (nowhere for undefined). */
  indexes?: { readonly [K in I]: (record: T) => string | undefined };
  /** Ordered indexes: records grouped, each group kept in sort-key order. */
  ordered?: { readonly [K in O]: OrderedIndexSpec<T> };
}

/** Declares a collection of T, inferring its index names: `collection<User>()({ key: …, indexes: { … } })`. */
export function collection<T>() {
  return <I extends string = never, O extends string = never>(spec: CollectionSpec<T, I, O>): CollectionSpec<T, I, O> => spec;
}

/** An ordered index group, read-only. */
export interface OrderedView<T> {
  readonly size: number;
  /** The record at a position (0 = first in ascending order). */
  at(position: number): T | undefined;
  /** Records in `direction`, strictly after the cursor when one is given. */
  iterate(direction: Direction, after?: SortKey): IterableIterator<T>;
  /** Records in `direction`, skipping the first `position` of them. */
  iterateFrom(direction: Direction, position: number): IterableIterator<T>;
  countAfter(direction: Direction, after: SortKey): number;
}

export interface ReadableCollection<T, I extends string = never, O extends string = never> {
  readonly name: string;
  readonly size: number;
  get(key: string): T | undefined;
  has(key: string): boolean;
  /** Every record in the collection's order: by first insertion (a replaced record keeps its place). */
  scan(): IterableIterator<T>;
  /** Records filed under an index key, in the collection's order. */
  find(index: I, indexKey: string): T[];
  /** The first record (in the collection's order) filed under an index key, if any. */
  findOne(index: I, indexKey: string): T | undefined;
  count(index: I, indexKey: string): number;
  /** Records filed under an index key, in the collection's order, without copying. */
  iterate(index: I, indexKey: string): IterableIterator<T>;
  ordered(index: O, group: string): OrderedView<T>;
}

export interface WritableCollection<T, I extends string = never, O extends string = never> extends ReadableCollection<T, I, O> {
  /** Inserts or replaces (by key); returns the stored, frozen record. */
  put(record: T): T;
  /** Returns whether there was a record to delete. */
  delete(key: string): boolean;
}

/** What a collection tells its store about each write, so the store can journal and undo it. */
export interface WriteRecorder {
  /** `place`: the record's place in the collection's order before the write (undefined for a new key), for `undo`. */
  recordWrite(collection: string, key: string, before: unknown, after: unknown, place: number | undefined): void;
}

/** What the store itself needs of a collection of any kind (a general collection, a log) to journal, load, replay and undo it. */
export interface StoreTable<T> {
  readonly name: string;
  readonly size: number;
  keyOf(record: T): string;
  get(key: string): T | undefined;
  scan(): IterableIterator<T>;
  put(record: T): T;
  delete(key: string): boolean;
  /** Sets a key's record without telling the recorder (loading, replay); `after` undefined deletes. */
  restore(key: string, after: T | undefined): void;
  /** Takes back one recorded write; `settle` once the undoing is done. */
  undo(key: string, before: T | undefined, place: number | undefined): void;
  settle(): void;
}

const EMPTY_LIST = new SortedList<never>();

/**
 * One group of an ordered index. Its list is looked up on every call: writes
 * after the view was made may create or drop it.
 *
 * A class, not an object literal: a literal with a `size` getter, made for
 * every user a SCIM answer rendered (its groups), had V8 allocate the
 * accessor anew each time, in the old generation. Under SCIM look-ups that
 * was ~4 MB/s of old-generation garbage: ~20 MB more resident at the peak,
 * and ~2 µs a request.
 */
class GroupView<T> implements OrderedView<T> {
  constructor(
    private readonly lists: ReadonlyMap<string, SortedList<T>>,
    private readonly group: string,
  ) {}

  get size(): number {
    return this.list().size;
  }

  at(position: number): T | undefined {
    return this.list().valueAt(position);
  }

  iterate(direction: Direction, after?: SortKey): IterableIterator<T> {
    return this.list().walk(direction, after);
  }

  iterateFrom(direction: Direction, position: number): IterableIterator<T> {
    return this.list().walkFrom(direction, position);
  }

  countAfter(direction: Direction, after: SortKey): number {
    return this.list().countAfter(direction, after);
  }

  private list(): SortedList<T> {
    return this.lists.get(this.group) ?? EMPTY_LIST;
  }
}

/** What a hash index holds under one index key: one record key, or several in the collection's order. */
type Filed = string | Set<string>;

function* only(key: string): IterableIterator<string> {
  yield key;
}

function sortSet(set: Set<string>, placeOf: (key: string) => number): void {
  const keys = [...set].sort((a, b) => placeOf(a) - placeOf(b));
  set.clear();
  for (const key of keys) set.add(key);
}

/**
 * The collection's order is each key's place, given when it is first stored
 * and kept while it exists. `records` and every hash-index set iterate in that
 * order, so an undo can put a record back exactly where it was, and the order
 * after a restart (records loaded, indexes rebuilt) is the order before it.
 */
export class Collection<T, I extends string = never, O extends string = never> implements WritableCollection<T, I, O>, StoreTable<T> {
  private readonly records = new Map<string, T>();
  private readonly places = new Map<string, number>();
  private nextPlace = 0;
  /**
   * Hash indexes: index key -> the record key filed under it, or a Set of
   * them when there are several. Most index keys are unique (a userName, an
   * e-mail), and a one-element Set costs ~100 bytes more than the string it
   * holds: ~25 MB at 100,000 users.
   */
  private readonly hashes = new Map<string, Map<string, Filed>>();
  private readonly lists = new Map<string, Map<string, SortedList<T>>>();
  /** Put out of order by undo; `settle` sorts them. */
  private recordsUnsorted = false;
  private readonly unsortedSets = new Set<Set<string>>();
  private readonly placeOf = (key: string): number => this.places.get(key)!;
  /** The view `ordered` made last (views look their list up on every call, so one stays valid). */
  private lastView: { index: O; group: string; view: OrderedView<T> } | null = null;

  constructor(
    readonly name: string,
    private readonly spec: CollectionSpec<T, I, O>,
    private readonly recorder: WriteRecorder,
  ) {
    for (const index of Object.keys(spec.indexes ?? {})) this.hashes.set(index, new Map());
    for (const index of Object.keys(spec.ordered ?? {})) this.lists.set(index, new Map());
  }

  get size(): number {
    return this.records.size;
  }

  keyOf(record: T): string {
    return this.spec.key(record);
  }

  get(key: string): T | undefined {
    return this.records.get(key);
  }

  has(key: string): boolean {
    return this.records.has(key);
  }

  scan(): IterableIterator<T> {
    return this.records.values();
  }

  find(index: I, indexKey: string): T[] {
    const filed = this.hashIndex(index).get(indexKey);
    if (filed === undefined) return [];
    if (typeof filed === 'string') return [this.records.get(filed)!];
    const found: T[] = [];
    for (const key of filed) found.push(this.records.get(key)!);
    return found;
  }

  findOne(index: I, indexKey: string): T | undefined {
    const filed = this.hashIndex(index).get(indexKey);
    if (filed === undefined) return undefined;
    if (typeof filed === 'string') return this.records.get(filed);
    for (const key of filed) return this.records.get(key);
    return undefined;
  }

  count(index: I, indexKey: string): number {
    const filed = this.hashIndex(index).get(indexKey);
    return filed === undefined ? 0 : typeof filed === 'string' ? 1 : filed.size;
  }

  iterate(index: I, indexKey: string): IterableIterator<T> {
    const filed = this.hashIndex(index).get(indexKey);
    const records = this.records;
    const inner = filed === undefined ? new Set<string>().values() : typeof filed === 'string' ? only(filed) : filed.values();
    // Not a generator: cheaper per step on long walks.
    const walk: IterableIterator<T> = {
      next: () => {
        const step = inner.next();
        return step.done ? { done: true, value: undefined } : { done: false, value: records.get(step.value)! };
      },
      [Symbol.iterator]: () => walk,
    };
    return walk;
  }

  ordered(index: O, group: string): OrderedView<T> {
    // The same view is asked for again and again by a hot path (the SCIM request log, a zone's users): keep the last one.
    const last = this.lastView;
    if (last !== null && last.index === index && last.group === group) return last.view;
    const view = this.makeView(index, group);
    this.lastView = { index, group, view };
    return view;
  }

  private makeView(index: O, group: string): OrderedView<T> {
    return new GroupView(this.orderedIndex(index), group);
  }

  put(record: T): T {
    const frozen = deepFreeze(record);
    const key = this.spec.key(frozen);
    const before = this.records.get(key);
    this.recorder.recordWrite(this.name, key, before, frozen, this.places.get(key));
    this.apply(key, before, frozen);
    return frozen;
  }

  delete(key: string): boolean {
    const before = this.records.get(key);
    if (before === undefined) return false;
    this.recorder.recordWrite(this.name, key, before, undefined, this.places.get(key));
    this.apply(key, before, undefined);
    return true;
  }

  /**
   * Sets a key's record without telling the recorder: loading and replaying
   * the journal use it. `after` undefined deletes.
   */
  restore(key: string, after: T | undefined): void {
    this.apply(key, this.records.get(key), after === undefined ? undefined : deepFreeze(after));
  }

  /**
   * Takes back one recorded write: the key gets `before` again, at the
   * `place` it had. Call `settle` once the undoing is done.
   */
  undo(key: string, before: T | undefined, place: number | undefined): void {
    this.apply(key, this.records.get(key), before, place);
  }

  /** Puts back in order what `undo` re-inserted (one sort per structure, however many records an undo restored). */
  settle(): void {
    if (this.recordsUnsorted) {
      const entries = [...this.records].sort(([a], [b]) => this.placeOf(a) - this.placeOf(b));
      this.records.clear();
      for (const [key, record] of entries) this.records.set(key, record);
      this.recordsUnsorted = false;
    }
    for (const set of this.unsortedSets) sortSet(set, this.placeOf);
    this.unsortedSets.clear();
  }

  /**
   * `undoPlace` is given by `undo` only: the place a re-inserted key had.
   * Then whatever it puts out of order waits for `settle`; otherwise a record
   * that moves under an older index key is sorted into place at once (a
   * record only does that when an indexed value changes).
   */
  private apply(key: string, before: T | undefined, after: T | undefined, undoPlace?: number): void {
    let place = this.places.get(key);
    if (place === undefined && after !== undefined) {
      place = undoPlace ?? this.nextPlace++;
      this.places.set(key, place);
    }
    // Appending keeps the order when the key is the newest of all: then it comes after everything.
    const appendable = place === this.nextPlace - 1;
    for (const [name, index] of this.hashes) {
      const fn = (this.spec.indexes as Record<string, (record: T) => string | undefined>)[name]!;
      const oldKey = before === undefined ? undefined : fn(before);
      const newKey = after === undefined ? undefined : fn(after);
      if (oldKey === newKey) continue;
      if (oldKey !== undefined) {
        const filed = index.get(oldKey);
        if (filed === key) index.delete(oldKey);
        else if (typeof filed === 'object') {
          filed.delete(key);
          // Back to the plain key when one is left: a Set of one would stay for good.
          if (filed.size === 1) index.set(oldKey, filed.values().next().value!);
          else if (filed.size === 0) index.delete(oldKey);
        }
      }
      if (newKey !== undefined) {
        const filed = index.get(newKey);
        if (filed === undefined || filed === key) index.set(newKey, key);
        else if (typeof filed === 'string') {
          // Both places are known by now (set above, or kept while the key exists).
          index.set(newKey, this.placeOf(filed) < this.placeOf(key) ? new Set([filed, key]) : new Set([key, filed]));
        } else {
          filed.add(key);
          if (!appendable) {
            if (undoPlace === undefined) sortSet(filed, this.placeOf);
            else this.unsortedSets.add(filed);
          }
        }
      }
    }
    for (const [name, index] of this.lists) {
      const spec = (this.spec.ordered as Record<string, OrderedIndexSpec<T>>)[name]!;
      const oldGroup = before === undefined ? undefined : spec.group(before);
      const oldSort = before === undefined ? undefined : spec.sortKey(before);
      const newGroup = after === undefined ? undefined : spec.group(after);
      const newSort = after === undefined ? undefined : spec.sortKey(after);
      if (oldGroup === newGroup && oldSort !== undefined && newSort !== undefined && oldSort[0] === newSort[0] && oldSort[1] === newSort[1]) {
        index.get(newGroup!)?.update(newSort, key, after!);
        continue;
      }
      if (oldGroup !== undefined && oldSort !== undefined) {
        const list = index.get(oldGroup);
        list?.remove(oldSort, key);
        if (list?.size === 0) index.delete(oldGroup);
      }
      if (newGroup !== undefined && newSort !== undefined) {
        let list = index.get(newGroup);
        if (!list) index.set(newGroup, (list = new SortedList<T>()));
        list.insert(newSort, key, after!);
      }
    }
    if (after === undefined) {
      this.records.delete(key);
      this.places.delete(key);
    } else {
      if (!appendable && !this.records.has(key)) this.recordsUnsorted = true;
      this.records.set(key, after);
    }
  }

  private hashIndex(index: I): Map<string, Filed> {
    const found = this.hashes.get(index);
    if (!found) throw new Error(`collection ${this.name} has no index ${index}`);
    return found;
  }

  private orderedIndex(index: O): Map<string, SortedList<T>> {
    const found = this.lists.get(index);
    if (!found) throw new Error(`collection ${this.name} has no ordered index ${index}`);
    return found;
  }
}
