/**
 * One string per distinct value, for strings a component keeps for long (the
 * request journal, the SCIM request log): each request's header value or URL
 * slice is a new string, and keeping it would keep the request's copy (a
 * slice keeps its whole parent) into V8's old generation. Bounded, so values
 * a client makes up (a fuzzer's action names) are passed through once the
 * known ones fill it, not remembered for ever; values longer than
 * `maxLength` are passed through too, so the strings it keeps stay small.
 */
export class StringInterner {
  private readonly known = new Map<string, string>();

  constructor(
    readonly limit: number,
    readonly maxLength = Number.POSITIVE_INFINITY,
  ) {}

  intern(value: string): string {
    const known = this.known.get(value);
    if (known !== undefined) return known;
    if (this.known.size < this.limit && value.length <= this.maxLength) this.known.set(value, value);
    return value;
  }

  /** Values kept. */
  get size(): number {
    return this.known.size;
  }
}
