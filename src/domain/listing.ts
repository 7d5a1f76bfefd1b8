import { hash, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../errors/api-error.js';
import type { OrderedView } from '../store/collection.js';
import { compareSortKeys, type SortKey as StoreSortKey } from '../store/sorted-list.js';

/** "Value range: 1-100. Default value: 10." (the schema overlay enforces the range on the wire). */
export const DEFAULT_MAX_RESULTS = 10;
export const MAX_MAX_RESULTS = 100;

export type SortDirection = 'Asc' | 'Desc';

/** Where an item sits in a listing: a time that never changes (creation, joining) and a unique id. */
export interface SortKey {
  time: string;
  id: string;
}

export interface PageRequest {
  maxResults?: number | undefined;
  nextToken?: string | undefined;
  /** Skips this many items; ignored when a NextToken is given (the token wins, as documented). */
  offset?: number | undefined;
}

export interface Page<T> {
  items: T[];
  /** Every item that matches the query, not just this page's. */
  totalCounts: number;
  maxResults: number;
  isTruncated: boolean;
  /** '' when the listing is complete. */
  nextToken: string;
}

export interface ListQuery<T> {
  /** Everything that decides which items are listed and in what order (list kind, zone, filters, sort). */
  fingerprint: string;
  direction: SortDirection;
  key: (item: T) => SortKey;
  page: PageRequest;
  /** Keeps only matching items; absent lists everything. */
  filter?: ((item: T) => boolean) | undefined;
}

/**
 * A stable digest of the parameters that shape a listing. A NextToken carries
 * it, so a token is only accepted by the query that issued it.
 */
export function queryFingerprint(parts: Record<string, unknown>): string {
  const canonical = JSON.stringify(Object.keys(parts).sort().map((k) => [k, parts[k] ?? null]));
  return hash('sha256', canonical, 'base64url').slice(0, 16);
}

function cursorOf(key: SortKey): StoreSortKey {
  return [Date.parse(key.time), key.id];
}

/**
 * Keyset paging over an ordered index, which already holds the items in
 * (time, id) order: a NextToken names the last item returned, so the next
 * page starts right after it wherever it now sits. Writes between pages
 * therefore never make a survivor appear twice or not at all; items created
 * meanwhile appear if they sort after the cursor. Without a filter a page
 * costs its own size; with one, counting the matches costs a walk.
 */
export function paginate<T>(source: OrderedView<T>, query: ListQuery<T>): Page<T> {
  const maxResults = query.page.maxResults ?? DEFAULT_MAX_RESULTS;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_MAX_RESULTS) {
    throw new ApiError('listParamInvalid', { name: 'MaxResults', allowed: `1..${MAX_MAX_RESULTS}` });
  }
  const { direction, filter } = query;
  const token = query.page.nextToken;
  const cursor = token !== undefined && token !== '' ? cursorOf(decodeNextToken(token, query.fingerprint)) : undefined;
  let skip = 0;
  if (cursor === undefined && query.page.offset !== undefined) {
    skip = query.page.offset;
    if (!Number.isInteger(skip) || skip < 0) {
      throw new ApiError('listParamInvalid', { name: 'Offset', allowed: '0..' });
    }
  }
  const page: T[] = [];
  let more = false;
  let totalCounts = source.size;
  if (!filter) {
    // The index is the listing: seek, then read one page.
    const items = cursor !== undefined ? source.iterate(direction, cursor) : source.iterateFrom(direction, skip);
    for (const item of items) {
      if (page.length === maxResults) {
        more = true;
        break;
      }
      page.push(item);
    }
  } else {
    // One walk counts every match and picks this page's.
    const sign = direction === 'Asc' ? 1 : -1;
    totalCounts = 0;
    for (const item of source.iterate(direction)) {
      if (!filter(item)) continue;
      totalCounts += 1;
      if (cursor !== undefined && sign * compareSortKeys(cursorOf(query.key(item)), cursor) <= 0) continue;
      if (skip > 0) {
        skip -= 1;
        continue;
      }
      if (page.length < maxResults) page.push(item);
      else more = true;
    }
  }
  const last = page[page.length - 1];
  return {
    items: page,
    totalCounts,
    maxResults,
    isTruncated: more,
    nextToken: more && last ? encodeNextToken(query.key(last), query.fingerprint) : '',
  };
}

/**
 * Tokens carry a check value so a hand-made or altered token is refused
 * rather than silently listing from an arbitrary point. Its key is fixed and
 * public (not a secret from the deployment): the point is catching clients
 * that build or edit tokens, and a fixed key keeps tokens stable across
 * restarts and runs. So a keyed hash is enough, and one SHA-256 of key and
 * body costs a third of an HMAC (which builds a keyed object a call).
 */
const TOKEN_KEY = 'tencentcloud-emulator/next-token/v2\n';
const MAC_BYTES = 16;

interface TokenPayload {
  v: 2;
  t: string;
  i: string;
  q: string;
}

function mac(body: string): Buffer {
  return hash('sha256', TOKEN_KEY + body, 'buffer').subarray(0, MAC_BYTES);
}

export function encodeNextToken(key: SortKey, fingerprint: string): string {
  const payload: TokenPayload = { v: 2, t: key.time, i: key.id, q: fingerprint };
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${mac(body).toString('base64url')}`;
}

/** The cursor a token names; throws InvalidParameter.NextTokenInvalid for anything this query did not issue. */
export function decodeNextToken(token: string, fingerprint: string): SortKey {
  const [body, signature, ...rest] = token.split('.');
  if (!body || !signature || rest.length > 0) throw new ApiError('nextTokenInvalid');
  const presented = Buffer.from(signature, 'base64url');
  const expected = mac(body);
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    throw new ApiError('nextTokenInvalid');
  }
  let payload: Partial<TokenPayload>;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<TokenPayload>;
  } catch {
    throw new ApiError('nextTokenInvalid');
  }
  if (payload.v !== 2 || typeof payload.t !== 'string' || typeof payload.i !== 'string' || Number.isNaN(Date.parse(payload.t))) {
    throw new ApiError('nextTokenInvalid');
  }
  if (payload.q !== fingerprint) throw new ApiError('nextTokenOtherQuery');
  return { time: payload.t, id: payload.i };
}

/** SortField / SortType as documented: only CreateTime; Asc (the default) or Desc. */
export function sortDirection(sortField: string | undefined, sortType: string | undefined): SortDirection {
  if (sortField !== undefined && sortField !== 'CreateTime') {
    throw new ApiError('listParamInvalid', { name: 'SortField', allowed: 'CreateTime' });
  }
  if (sortType === undefined || sortType === 'Asc') return 'Asc';
  if (sortType === 'Desc') return 'Desc';
  throw new ApiError('listParamInvalid', { name: 'SortType', allowed: 'Asc | Desc' });
}

/** Case-insensitive "contains": folds the needle once, for a filter applied to many records. */
export function containsFolded(needle: string): (haystack: string) => boolean {
  const folded = needle.toLowerCase();
  return (haystack) => haystack.toLowerCase().includes(folded);
}
