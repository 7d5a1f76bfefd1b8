/**
 * Remembers what was built from a store record. Records are immutable (frozen;
 * a change puts a new object), so keying by the record object itself can never
 * serve a value built from an older version: an updated record is a miss.
 *
 * Bounded, oldest first out: listing every page of a 100,000-user zone must
 * not keep 100,000 renderings alive. A Map, not a WeakMap, for that bound; it
 * holds at most `capacity` records, replaced ones included, until they age out.
 */
export class RecordMemo<R extends object, V> {
  private readonly values = new Map<R, V>();

  constructor(
    private readonly build: (record: R) => V,
    readonly capacity = 4096,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a whole number above 0, not ${capacity}`);
  }

  get(record: R): V {
    const known = this.values.get(record);
    if (known !== undefined) return known;
    const value = this.build(record);
    this.values.set(record, value);
    if (this.values.size > this.capacity) this.values.delete(this.values.keys().next().value!);
    return value;
  }

  get size(): number {
    return this.values.size;
  }
}
