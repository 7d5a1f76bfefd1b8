/**
 * recordScimRequest: what one authenticated SCIM request leaves in the state
 * (the key's last use, a request-log entry), on an in-memory store.
 */
import { IDENTITY_CENTER_STATE, snapshotOf } from '../../src/domain/schema.js';
import { recordScimRequest, SCIM_REQUEST_LOG_LIMIT } from '../../src/domain/scim-credentials.js';
import type { ScimCredential } from '../../src/domain/entities.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';

const KEY: ScimCredential = {
  credentialId: 'scimcred-000000000001',
  zoneId: 'z-emulatordemo',
  type: 'BearerToken',
  status: 'Enabled',
  secretHash: 'ab'.repeat(32),
  createTime: '2026-01-01T00:00:00.000Z',
  expireTime: '2027-01-01T00:00:00.000Z',
  lastUsedTime: null,
};

let store: Store<typeof IDENTITY_CENTER_STATE.schema>;
beforeEach(async () => {
  ({ store } = await openStore({ definition: IDENTITY_CENTER_STATE, dataFile: null, fixtures: snapshotOf({ scimCredentials: [KEY] }), now: new Date() }));
});
afterEach(() => store.close());

const use = (at: string, path = '/scim/v2/Users') =>
  store.transactLazily((db) => recordScimRequest(db, KEY.credentialId, { method: 'GET', path, status: 200 }, new Date(at)));
const key = () => store.view.scimCredentials.get(KEY.credentialId)!;
const log = () => [...store.view.scimRequestLog.iterate('Asc')];

test('lastUsedTime is the request time to the second; the log keeps the exact time', () => {
  use('2026-03-01T10:00:00.250Z');
  expect(key().lastUsedTime).toBe('2026-03-01T10:00:00.000Z');
  expect(log().map((r) => r.time)).toEqual(['2026-03-01T10:00:00.250Z']);
});

test('within the same second the key is not stored again; the next second moves lastUsedTime on', () => {
  use('2026-03-01T10:00:00.100Z');
  const first = key();
  use('2026-03-01T10:00:00.900Z');
  expect(key()).toBe(first); // the same stored record, not a copy
  use('2026-03-01T10:00:01.000Z');
  expect(key().lastUsedTime).toBe('2026-03-01T10:00:01.000Z');
  use('2026-03-01T10:00:00.500Z'); // a clock set back: still recorded as that second
  expect(key().lastUsedTime).toBe('2026-03-01T10:00:00.000Z');
  expect(log().map((r) => r.seq)).toEqual([1, 2, 3, 4]);
});

test(`the log keeps the newest ${SCIM_REQUEST_LOG_LIMIT} entries, numbered on from the newest`, () => {
  for (let i = 0; i < SCIM_REQUEST_LOG_LIMIT + 5; i++) use(new Date(Date.UTC(2026, 2, 1) + i * 10).toISOString(), `/scim/v2/Users/${i}`);
  const entries = log();
  expect(entries).toHaveLength(SCIM_REQUEST_LOG_LIMIT);
  expect(entries[0]).toMatchObject({ seq: 6, path: '/scim/v2/Users/5', credentialId: KEY.credentialId, zoneId: KEY.zoneId, method: 'GET', status: 200 });
  expect(entries.at(-1)).toMatchObject({ seq: SCIM_REQUEST_LOG_LIMIT + 5, path: `/scim/v2/Users/${SCIM_REQUEST_LOG_LIMIT + 4}` });
});
