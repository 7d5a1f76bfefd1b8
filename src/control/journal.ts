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

/** Entries kept; the oldest is dropped first. */
export const JOURNAL_CAPACITY = 1000;

/**
 * The request journal: a fixed ring in memory (never persisted), so a busy
 * emulator keeps its last JOURNAL_CAPACITY answers at no cost per request but
 * one array slot.
 */
export class RequestJournal {
  private readonly ring: (JournalEntry | undefined)[];
  /** Where the next entry goes. */
  private next = 0;
  private size = 0;

  constructor(readonly capacity = JOURNAL_CAPACITY) {
    this.ring = new Array<JournalEntry | undefined>(capacity);
  }

  add(entry: JournalEntry): void {
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** Newest first. */
  list(filter: JournalFilter): JournalEntry[] {
    const out: JournalEntry[] = [];
    for (let i = 1; i <= this.size && out.length < filter.limit; i += 1) {
      const entry = this.ring[(this.next - i + this.capacity) % this.capacity]!;
      if (matches(entry, filter)) out.push(entry);
    }
    return out;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.next = 0;
    this.size = 0;
  }
}

function matches(entry: JournalEntry, filter: JournalFilter): boolean {
  if (filter.action !== undefined && entry.action !== filter.action) return false;
  if (filter.code !== undefined && (entry.code ?? String(entry.status)) !== filter.code) return false;
  if (filter.surface !== undefined && entry.surface !== filter.surface) return false;
  if (filter.credentialId !== undefined && entry.credentialId !== filter.credentialId) return false;
  if (filter.account !== undefined && entry.account !== filter.account) return false;
  return true;
}
