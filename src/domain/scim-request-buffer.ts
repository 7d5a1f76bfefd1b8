import { StringInterner } from '../runtime/interner.js';
import type { PendingAppends, WritableLog } from '../store/log-collection.js';
import type { ScimCredential, ScimRequestRecord } from './entities.js';

/** How many SCIM requests the state remembers (oldest dropped first). */
export const SCIM_REQUEST_LOG_LIMIT = 1000;

/**
 * The SCIM requests answered since the request log last took them in, in
 * columns: a request costs a few array slots, not a record. A record per
 * request lived ~1,000 requests under load, long enough to be copied by the
 * young-generation collector and promoted, and cost about 9 us a SCIM read
 * (~15%); the log is read rarely (a key-usage check, a save), and then only
 * its newest SCIM_REQUEST_LOG_LIMIT entries matter. The store takes them in
 * before anyone reads or saves the log (`Store.feedLog`), numbered exactly
 * as if each had been appended when it was answered.
 */
export class ScimRequestBuffer implements PendingAppends<ScimRequestRecord> {
  private readonly times = new Float64Array(SCIM_REQUEST_LOG_LIMIT);
  private readonly statuses = new Uint16Array(SCIM_REQUEST_LOG_LIMIT);
  private readonly zoneIds: string[] = new Array<string>(SCIM_REQUEST_LOG_LIMIT).fill('');
  private readonly credentialIds: string[] = new Array<string>(SCIM_REQUEST_LOG_LIMIT).fill('');
  private readonly methods: string[] = new Array<string>(SCIM_REQUEST_LOG_LIMIT).fill('');
  private readonly paths: string[] = new Array<string>(SCIM_REQUEST_LOG_LIMIT).fill('');
  /** Each path seen (up to 512 of them, each up to 256 characters), as one string: a slot then holds a long-lived string, not the request's own copy. */
  private readonly knownPaths = new StringInterner(512, 256);
  /** Where the next request goes. */
  private next = 0;
  /** Requests held (at most the limit). */
  private held = 0;
  /** Requests recorded since the last drain, including those the ring overwrote: the log numbers them all. */
  private recorded = 0;
  private readonly seconds = new WholeSeconds();

  get pending(): boolean {
    return this.recorded > 0;
  }

  /**
   * Notes one answered request against the key that authenticated it.
   * Returns `now` to the whole second: what the key's last use becomes.
   */
  record(credential: Pick<ScimCredential, 'credentialId' | 'zoneId'>, request: { method: string; path: string; status: number }, now: Date): string {
    const at = this.next;
    this.times[at] = now.getTime();
    this.statuses[at] = request.status;
    this.zoneIds[at] = credential.zoneId;
    this.credentialIds[at] = credential.credentialId;
    this.methods[at] = request.method;
    this.paths[at] = this.knownPaths.intern(request.path);
    this.next = at + 1 === SCIM_REQUEST_LOG_LIMIT ? 0 : at + 1;
    if (this.held < SCIM_REQUEST_LOG_LIMIT) this.held += 1;
    this.recorded += 1;
    return this.seconds.of(now);
  }

  drainInto(log: WritableLog<ScimRequestRecord>): void {
    const count = this.held;
    const skipped = this.recorded - count;
    const first = (this.next - count + SCIM_REQUEST_LOG_LIMIT) % SCIM_REQUEST_LOG_LIMIT;
    // Nothing waits from here on: the log's own reads below must not come back for more.
    this.held = 0;
    this.recorded = 0;
    const newest = log.newest();
    // Requests the ring overwrote still took their numbers.
    const base = (newest?.seq ?? 0) + skipped;
    for (let i = 0; i < count; i++) {
      const at = (first + i) % SCIM_REQUEST_LOG_LIMIT;
      log.put({
        seq: base + i + 1,
        time: new Date(this.times[at]!).toISOString(),
        zoneId: this.zoneIds[at]!,
        credentialId: this.credentialIds[at]!,
        method: this.methods[at]!,
        path: this.paths[at]!,
        status: this.statuses[at]!,
      });
      this.zoneIds[at] = this.credentialIds[at] = this.methods[at] = this.paths[at] = '';
    }
    while (log.size > SCIM_REQUEST_LOG_LIMIT) log.delete(String(log.oldest()!.seq));
  }
}

/** A time as ISO 8601 with the milliseconds dropped ("….000Z"), remembering the last second asked for: most calls are within it. */
class WholeSeconds {
  private second = Number.NaN;
  private text = '';

  of(now: Date): string {
    const ms = now.getTime();
    const second = ms - (((ms % 1000) + 1000) % 1000);
    if (second !== this.second) {
      this.text = new Date(second).toISOString();
      this.second = second;
    }
    return this.text;
  }
}
