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

/**
 * A recorded request whose time and parameters are formatted when listed, not
 * when answered: at thousands of requests a second, the ISO time and the
 * redacted copy were most of what a request left behind, each outliving a
 * young-generation collection (1,000 entries) only to become garbage later.
 */
class Recorded {
  constructor(
    readonly fields: JournalFields,
    private readonly at: number,
    private readonly params: unknown,
    private readonly redacted: boolean,
  ) {}

  entry(): JournalEntry {
    return { time: new Date(this.at).toISOString(), ...this.fields, params: this.redacted ? this.params : redact(this.params) };
  }
}

/** Entries kept; the oldest is dropped first. */
export const JOURNAL_CAPACITY = 1000;

/**
 * The request journal: a fixed ring in memory (never persisted), so a busy
 * emulator keeps its last JOURNAL_CAPACITY answers at no cost per request but
 * one array slot.
 */
export class RequestJournal {
  private readonly ring: (Recorded | undefined)[];
  /** Where the next entry goes. */
  private next = 0;
  private size = 0;

  constructor(readonly capacity = JOURNAL_CAPACITY) {
    this.ring = new Array<Recorded | undefined>(capacity);
  }

  /** An answered request; `params` as received (null when there were none), redacted here or when listed. */
  record(fields: JournalFields, at: Date, params: unknown): void {
    const lazy = params === null || smallAndFlat(params);
    this.ring[this.next] = new Recorded(fields, at.getTime(), lazy ? params : redact(params), !lazy || params === null);
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** Newest first. */
  list(filter: JournalFilter): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (let i = 1; i <= this.size && out.length < filter.limit; i += 1) {
      const recorded = this.ring[(this.next - i + this.capacity) % this.capacity]!;
      if (matches(recorded.fields, filter)) out.push(recorded.entry());
    }
    return out;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.next = 0;
    this.size = 0;
  }
}

function matches(entry: JournalFields, filter: JournalFilter): boolean {
  if (filter.action !== undefined && entry.action !== filter.action) return false;
  if (filter.code !== undefined && (entry.code ?? String(entry.status)) !== filter.code) return false;
  if (filter.surface !== undefined && entry.surface !== filter.surface) return false;
  if (filter.credentialId !== undefined && entry.credentialId !== filter.credentialId) return false;
  if (filter.account !== undefined && entry.account !== filter.account) return false;
  return true;
}
