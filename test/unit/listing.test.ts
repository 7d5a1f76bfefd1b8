import { ApiError } from '../../src/errors/api-error.js';
import {
  DEFAULT_MAX_RESULTS,
  decodeNextToken,
  encodeNextToken,
  paginate,
  queryFingerprint,
  sortDirection,
  type ListQuery,
  type PageRequest,
  type SortDirection,
} from '../../src/domain/listing.js';
import { Collection, type OrderedView } from '../../src/store/collection.js';

interface Item {
  id: string;
  time: string;
}

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
const items = (n: number, time: (i: number) => string = at): Item[] =>
  Array.from({ length: n }, (_, i) => ({ id: `id-${String(i).padStart(3, '0')}`, time: time(i) }));

const FP = queryFingerprint({ list: 'test' });
const query = (page: PageRequest, direction: SortDirection = 'Asc', fingerprint = FP): ListQuery<Item> => ({
  fingerprint,
  direction,
  key: (item) => ({ time: item.time, id: item.id }),
  page,
});

/** The items in a real ordered index, as the domain's listings read them. */
function view(list: readonly Item[]): OrderedView<Item> {
  const collection = new Collection<Item, never, 'all'>(
    'items',
    { key: (i) => i.id, ordered: { all: { group: () => '', sortKey: (i) => [Date.parse(i.time), i.id] } } },
    { recordWrite: () => undefined },
  );
  for (const item of list) collection.put({ ...item });
  return collection.ordered('all', '');
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error.code;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('paginate', () => {
  test('the first page has MaxResults items (default 10), the total count and a token when more remain', () => {
    const page = paginate(view(items(25)), query({}));
    expect(page.items.map((i) => i.id)).toEqual(items(10).map((i) => i.id));
    expect(page).toMatchObject({ totalCounts: 25, maxResults: DEFAULT_MAX_RESULTS, isTruncated: true });
    expect(page.nextToken).not.toBe('');
  });

  test('the last page is not truncated and has an empty NextToken', () => {
    const page = paginate(view(items(5)), query({ maxResults: 10 }));
    expect(page).toMatchObject({ totalCounts: 5, isTruncated: false, nextToken: '' });
  });

  test('an empty list is an empty, complete page', () => {
    expect(paginate(view([]), query({}))).toEqual({ items: [], totalCounts: 0, maxResults: 10, isTruncated: false, nextToken: '' });
  });

  test('a list exactly MaxResults long is one complete page', () => {
    expect(paginate(view(items(10)), query({ maxResults: 10 }))).toMatchObject({ isTruncated: false, nextToken: '' });
  });

  test('following NextToken walks every item once, in order', () => {
    const all = items(23);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = paginate(view(all), query({ maxResults: 5, nextToken: token }));
      seen.push(...page.items.map((i) => i.id));
      token = page.isTruncated ? page.nextToken : undefined;
    } while (token);
    expect(seen).toEqual(all.map((i) => i.id));
  });

  test('items are ordered by time, then by id when times are equal', () => {
    const sameTime = [
      { id: 'b', time: at(1) },
      { id: 'a', time: at(1) },
      { id: 'c', time: at(0) },
    ];
    expect(paginate(view(sameTime), query({})).items.map((i) => i.id)).toEqual(['c', 'a', 'b']);
    expect(paginate(view(sameTime), query({}, 'Desc')).items.map((i) => i.id)).toEqual(['b', 'a', 'c']);
  });

  test('a cursor survives the deletion of the item it names and insertions before it', () => {
    let all = items(20);
    const first = paginate(view(all), query({ maxResults: 10 }));
    // The last item returned is deleted, and an item that sorts earlier is inserted.
    all = all.filter((i) => i.id !== 'id-009');
    all.unshift({ id: 'id-new', time: at(-1) });
    const second = paginate(view(all), query({ maxResults: 10, nextToken: first.nextToken }));
    expect(second.items.map((i) => i.id)).toEqual(items(20).slice(10).map((i) => i.id));
  });

  test('Offset skips items when there is no NextToken, and is ignored when there is one', () => {
    const all = items(30);
    expect(paginate(view(all), query({ offset: 25 })).items.map((i) => i.id)).toEqual(all.slice(25).map((i) => i.id));
    const first = paginate(view(all), query({ maxResults: 10 }));
    const second = paginate(view(all), query({ maxResults: 10, offset: 25, nextToken: first.nextToken }));
    expect(second.items[0]?.id).toBe('id-010');
  });

  test('an Offset past the end gives an empty, complete page with the true total', () => {
    expect(paginate(view(items(3)), query({ offset: 50 }))).toMatchObject({ items: [], totalCounts: 3, isTruncated: false });
  });

  test('a negative Offset is InvalidParameter.ParamError', () => {
    expect(codeOf(() => paginate(view(items(3)), query({ offset: -1 })))).toBe('InvalidParameter.ParamError');
  });

  test('a MaxResults outside 1-100 is InvalidParameter.ParamError', () => {
    expect(codeOf(() => paginate(view(items(3)), query({ maxResults: 0 })))).toBe('InvalidParameter.ParamError');
    expect(codeOf(() => paginate(view(items(3)), query({ maxResults: 101 })))).toBe('InvalidParameter.ParamError');
  });

  test('an empty NextToken counts as none', () => {
    expect(paginate(view(items(3)), query({ nextToken: '' })).items).toHaveLength(3);
  });
});

describe('NextToken', () => {
  const token = encodeNextToken({ time: at(5), id: 'id-005' }, FP);

  test('is URL-safe base64 and round-trips to the cursor it names', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(decodeNextToken(token, FP)).toEqual({ time: at(5), id: 'id-005' });
  });

  test('a token from another query is InvalidParameter.NextTokenInvalid', () => {
    const other = queryFingerprint({ list: 'test', filter: 'x' });
    expect(codeOf(() => decodeNextToken(token, other))).toBe('InvalidParameter.NextTokenInvalid');
  });

  test('a garbled token is InvalidParameter.NextTokenInvalid', () => {
    for (const garbled of ['abc', 'not a token', `${token}x`, token.slice(0, -2), `${token}.extra`, '.', '...']) {
      expect(codeOf(() => decodeNextToken(garbled, FP))).toBe('InvalidParameter.NextTokenInvalid');
    }
  });

  test('a forged token (a well-formed payload without the right MAC) is InvalidParameter.NextTokenInvalid', () => {
    const [, signature] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ v: 1, t: at(0), i: 'id-000', q: FP })).toString('base64url');
    expect(codeOf(() => decodeNextToken(`${payload}.${signature}`, FP))).toBe('InvalidParameter.NextTokenInvalid');
    expect(codeOf(() => decodeNextToken(payload, FP))).toBe('InvalidParameter.NextTokenInvalid');
  });

  test('tokens are deterministic: the same cursor and query give the same token', () => {
    expect(encodeNextToken({ time: at(5), id: 'id-005' }, FP)).toBe(token);
  });
});

describe('queryFingerprint', () => {
  test('does not depend on member order, and tells different values apart', () => {
    expect(queryFingerprint({ a: 1, b: 'x' })).toBe(queryFingerprint({ b: 'x', a: 1 }));
    expect(queryFingerprint({ a: 1 })).not.toBe(queryFingerprint({ a: 2 }));
  });

  test('treats an absent member like an undefined one', () => {
    expect(queryFingerprint({ a: 1, b: undefined })).toBe(queryFingerprint({ a: 1, b: null }));
  });
});

describe('sortDirection', () => {
  test('defaults to ascending CreateTime', () => {
    expect(sortDirection(undefined, undefined)).toBe('Asc');
    expect(sortDirection('CreateTime', undefined)).toBe('Asc');
    expect(sortDirection(undefined, 'Desc')).toBe('Desc');
  });

  test('any SortField but CreateTime, or SortType but Asc/Desc, is InvalidParameter.ParamError', () => {
    expect(codeOf(() => sortDirection('UserName', 'Asc'))).toBe('InvalidParameter.ParamError');
    expect(codeOf(() => sortDirection('CreateTime', 'Up'))).toBe('InvalidParameter.ParamError');
  });
});
