import { StringInterner } from '../runtime/interner.js';
import { redact } from './redact.js';

/** One answered request, as `GET /_emulator/requests` shows it. */
export interface JournalEntry {
  /** ISO-8601, on the emulator's clock. */
  time: string;
  surface: 'api' | 'scim' | 'saml';
  /** API: the action (null when the request broke off before naming one). SCIM: null. */
  action: string | null;
  method: string;
  /** SCIM and SAML: the path without the query string. API: null (the API is served at `/`). */
  path: string | null;
  /** Uin of the account the request acted as (SCIM: the owner of the key's zone). */
  account: string | null;
  /** SCIM: the key that authenticated the request. */
  credentialId: string | null;
  /** API: `Success` or the error code. SAML: `Success` or the check that failed. SCIM: null. */
  code: string | null;
  /** HTTP status (always 200 on the API surface, whose errors are envelopes). */
  status: number;
  latencyMs: number;
  /** API: the RequestId of the answer. SCIM: null. */
  requestId: string | null;
  /** API parameters or a SCIM write's body, secrets redacted; SAML: what the attempt carried and found. Null when there were none. */
  params: unknown;
}

export interface JournalFilter {
  action?: string;
  /** An API code, or a SCIM HTTP status as digits. */
  code?: string;
  surface?: 'api' | 'scim' | 'saml';
  credentialId?: string;
  account?: string;
  limit: number;
}

/** An entry's fields apart from its time and parameters, which `record` takes unformatted. */
export type JournalFields = Omit<JournalEntry, 'time' | 'params'>;

/**
 * Parameters kept as they came, to be redacted when listed: only a small flat
 * object qualifies (what almost every API call sends), so an entry never holds
 * more than redact() would have kept. Anything else is redacted at once.
 */
const MAX_LAZY_MEMBERS = 32;
const MAX_LAZY_STRING = 256;

function smallAndFlat(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  let members = 0;
  for (const key in value) {
    if (++members > MAX_LAZY_MEMBERS) return false;
    const member = (value as Record<string, unknown>)[key];
    if (typeof member === 'string' ? member.length > MAX_LAZY_STRING : member !== null && typeof member === 'object') return false;
  }
  return true;
}

/** Entries kept; the oldest is dropped first. */
export const JOURNAL_CAPACITY = 1000;

const SURFACES = ['api', 'scim', 'saml'] as const;
const SURFACE_CODE: Record<JournalEntry['surface'], number> = { api: 0, scim: 1, saml: 2 };

/** A lower-case UUID, the RequestId the emulator's id generator makes: kept as 16 bytes. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID_HEX_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
/** A lower-case hex digit's value, from its character code ('0'-'9' are 48-57, 'a'-'f' 97-102). */
const nibble = (code: number) => (code <= 57 ? code - 48 : code - 87);

/**
 * The request journal: a fixed ring in memory (never persisted), so a busy
 * emulator keeps its last JOURNAL_CAPACITY answers.
 *
 * Kept as columns, not an object per entry. An entry lives for the next
 * thousand requests, long enough for V8 to move it to the old generation,
 * where it then lies as garbage until a full collection: at thousands of
 * requests a second, entry objects were most of what a request left behind
 * and ~10 MB of resident memory under load. Columns of numbers, and of
 * strings the process holds anyway (methods, codes, ids from the store,
 * action names interned), take nothing new per request; a RequestId is kept
 * as 16 bytes. What is left per entry is the parameters and a SCIM path.
 * Entries are formatted (ISO time, redacted parameters) when listed.
 */
export class RequestJournal {
  /** Where the next entry goes. */
  private next = 0;
  private size = 0;
  private readonly at: Float64Array;
  private readonly latencyMs: Float64Array;
  private readonly status: Uint16Array;
  private readonly surface: Uint8Array;
  private readonly action: (string | null)[];
  private readonly method: string[];
  private readonly path: (string | null)[];
  private readonly account: (string | null)[];
  private readonly credentialId: (string | null)[];
  private readonly code: (string | null)[];
  /** RequestIds that are UUIDs, 16 bytes a slot, marked in `hasRequestIdBytes`; `requestIdText` holds any other (or null). */
  private readonly requestIdBytes: Uint8Array;
  private readonly hasRequestIdBytes: Uint8Array;
  private readonly requestIdText: (string | null)[];
  private readonly params: unknown[];
  /** 1 when `params` was redacted on the way in (anything but a small flat object). */
  private readonly redacted: Uint8Array;
  /** Real action names are a few dozen: a slot points at one string per action instead of each request's header value. */
  private readonly actions = new StringInterner(512);

  constructor(readonly capacity = JOURNAL_CAPACITY) {
    this.at = new Float64Array(capacity);
    this.latencyMs = new Float64Array(capacity);
    this.status = new Uint16Array(capacity);
    this.surface = new Uint8Array(capacity);
    this.action = new Array<string | null>(capacity).fill(null);
    this.method = new Array<string>(capacity).fill('');
    this.path = new Array<string | null>(capacity).fill(null);
    this.account = new Array<string | null>(capacity).fill(null);
    this.credentialId = new Array<string | null>(capacity).fill(null);
    this.code = new Array<string | null>(capacity).fill(null);
    this.requestIdBytes = new Uint8Array(capacity * 16);
    this.hasRequestIdBytes = new Uint8Array(capacity);
    this.requestIdText = new Array<string | null>(capacity).fill(null);
    this.params = new Array<unknown>(capacity).fill(null);
    this.redacted = new Uint8Array(capacity);
  }

  /** An answered request; `params` as received (null when there were none), redacted here or when listed. */
  record(fields: JournalFields, at: Date, params: unknown): void {
    const i = this.next;
    const lazy = params === null || smallAndFlat(params);
    this.at[i] = at.getTime();
    this.latencyMs[i] = fields.latencyMs;
    this.status[i] = fields.status;
    this.surface[i] = SURFACE_CODE[fields.surface];
    this.action[i] = fields.action === null ? null : this.actions.intern(fields.action);
    this.method[i] = fields.method;
    this.path[i] = fields.path;
    this.account[i] = fields.account;
    this.credentialId[i] = fields.credentialId;
    this.code[i] = fields.code;
    this.storeRequestId(i, fields.requestId);
    this.params[i] = lazy ? params : redact(params);
    this.redacted[i] = !lazy || params === null ? 1 : 0;
    this.next = (i + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** Newest first. */
  list(filter: JournalFilter): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (let n = 1; n <= this.size && out.length < filter.limit; n += 1) {
      const i = (this.next - n + this.capacity) % this.capacity;
      if (this.matches(i, filter)) out.push(this.entry(i));
    }
    return out;
  }

  clear(): void {
    for (const column of [this.action, this.path, this.account, this.credentialId, this.code, this.requestIdText, this.params]) column.fill(null);
    this.hasRequestIdBytes.fill(0);
    this.next = 0;
    this.size = 0;
  }

  private storeRequestId(i: number, requestId: string | null): void {
    if (requestId === null || !UUID.test(requestId)) {
      this.hasRequestIdBytes[i] = 0;
      this.requestIdText[i] = requestId;
      return;
    }
    const base = i * 16;
    for (let b = 0; b < 16; b += 1) {
      const at = UUID_HEX_AT[b]!;
      this.requestIdBytes[base + b] = (nibble(requestId.charCodeAt(at)) << 4) | nibble(requestId.charCodeAt(at + 1));
    }
    this.hasRequestIdBytes[i] = 1;
    this.requestIdText[i] = null;
  }

  private requestIdOf(i: number): string | null {
    if (this.hasRequestIdBytes[i] !== 1) return this.requestIdText[i] ?? null;
    const hex = Buffer.from(this.requestIdBytes.subarray(i * 16, i * 16 + 16)).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  private matches(i: number, filter: JournalFilter): boolean {
    if (filter.action !== undefined && this.action[i] !== filter.action) return false;
    if (filter.code !== undefined && (this.code[i] ?? String(this.status[i])) !== filter.code) return false;
    if (filter.surface !== undefined && SURFACES[this.surface[i]!] !== filter.surface) return false;
    if (filter.credentialId !== undefined && this.credentialId[i] !== filter.credentialId) return false;
    if (filter.account !== undefined && this.account[i] !== filter.account) return false;
    return true;
  }

  private entry(i: number): JournalEntry {
    const params = this.params[i];
    return {
      time: new Date(this.at[i]!).toISOString(),
      surface: SURFACES[this.surface[i]!]!,
      action: this.action[i] ?? null,
      method: this.method[i]!,
      path: this.path[i] ?? null,
      account: this.account[i] ?? null,
      credentialId: this.credentialId[i] ?? null,
      code: this.code[i] ?? null,
      status: this.status[i]!,
      latencyMs: this.latencyMs[i]!,
      requestId: this.requestIdOf(i),
      params: this.redacted[i] === 1 ? params : redact(params),
    };
  }
}
