/**
 * recordKeyUsage: what one authenticated SCIM request leaves in the state (the
 * key's last use, a request-log entry), on an in-memory store fed by the
 * request buffer as the emulator wires it.
 */
import { DEFAULT_QUOTAS } from '../../src/config.js';
import { IDENTITY_CENTER_STATE, snapshotOf } from '../../src/domain/schema.js';
import { SCIM_REQUEST_LOG_LIMIT, ScimRequestBuffer } from '../../src/domain/scim-request-buffer.js';
import type { ScimCredential } from '../../src/domain/entities.js';
import { createLogger } from '../../src/runtime/logger.js';
import { sequentialIdGenerator } from '../../src/runtime/ids.js';
import { recordKeyUsage } from '../../src/scim/request-steps.js';
import type { ScimDeps } from '../../src/scim/context.js';
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
const OTHER: ScimCredential = { ...KEY, credentialId: 'scimcred-000000000002', zoneId: 'z-other', secretHash: 'cd'.repeat(32) };

let store: Store<typeof IDENTITY_CENTER_STATE.schema>;
let requests: ScimRequestBuffer;
let clock: Date;
let deps: ScimDeps;
beforeEach(async () => {
  ({ store } = await openStore({
    definition: IDENTITY_CENTER_STATE,
    dataFile: null,
    fixtures: snapshotOf({ scimCredentials: [KEY, OTHER] }),
    now: new Date(),
  }));
  requests = new ScimRequestBuffer();
  store.feedLog('scimRequestLog', requests);
  clock = new Date('2026-03-01T00:00:00Z');
  deps = { store, requests, now: () => clock, ids: sequentialIdGenerator(), logger: createLogger('silent'), quotas: DEFAULT_QUOTAS };
});
afterEach(() => store.close());

const use = (at: string, path = '/scim/v2/Users', key = KEY) => {
  clock = new Date(at);
  recordKeyUsage(deps, key.credentialId, { method: 'GET', path, status: 200 });
};
const key = (k = KEY) => store.view.scimCredentials.get(k.credentialId)!;
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
  use('1969-12-31T23:59:59.250Z'); // before the epoch: still the second it falls in
  expect(key().lastUsedTime).toBe('1969-12-31T23:59:59.000Z');
  expect(log().map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
});

test(`the log keeps the newest ${SCIM_REQUEST_LOG_LIMIT} entries, numbered on from the newest`, () => {
  for (let i = 0; i < SCIM_REQUEST_LOG_LIMIT + 5; i++) use(new Date(Date.UTC(2026, 2, 1) + i * 10).toISOString(), `/scim/v2/Users/${i}`);
  const entries = log();
  expect(entries).toHaveLength(SCIM_REQUEST_LOG_LIMIT);
  expect(entries[0]).toMatchObject({ seq: 6, path: '/scim/v2/Users/5', credentialId: KEY.credentialId, zoneId: KEY.zoneId, method: 'GET', status: 200 });
  expect(entries.at(-1)).toMatchObject({ seq: SCIM_REQUEST_LOG_LIMIT + 5, path: `/scim/v2/Users/${SCIM_REQUEST_LOG_LIMIT + 4}` });
});

test('requests wait in the buffer until the log is read, and are numbered as if each had been appended when answered', () => {
  use('2026-03-01T10:00:00.000Z', '/scim/v2/Users');
  expect(log().map((r) => r.seq)).toEqual([1]);
  // 2.5 times the limit without a read: the buffer keeps the newest, the numbers count them all.
  const count = Math.floor(SCIM_REQUEST_LOG_LIMIT * 2.5);
  for (let i = 0; i < count; i++) use(new Date(Date.UTC(2026, 2, 1, 11) + i).toISOString(), `/scim/v2/Groups/${i}`, i % 2 ? OTHER : KEY);
  expect(requests.pending).toBe(true);
  const entries = log();
  expect(requests.pending).toBe(false);
  expect(entries).toHaveLength(SCIM_REQUEST_LOG_LIMIT);
  expect(entries.map((r) => r.seq)).toEqual(Array.from({ length: SCIM_REQUEST_LOG_LIMIT }, (_, i) => count + 1 - SCIM_REQUEST_LOG_LIMIT + i + 1));
  const newest = entries.at(-1)!;
  expect(newest).toEqual({
    seq: count + 1,
    time: new Date(Date.UTC(2026, 2, 1, 11) + count - 1).toISOString(),
    zoneId: OTHER.zoneId,
    credentialId: OTHER.credentialId,
    method: 'GET',
    path: `/scim/v2/Groups/${count - 1}`,
    status: 200,
  });
  expect(entries.at(-2)).toMatchObject({ credentialId: KEY.credentialId, zoneId: KEY.zoneId });
  expect(Object.isFrozen(newest)).toBe(true);
});

test('a request whose key was deleted while it ran leaves nothing; one key’s deletion leaves the entries already recorded', async () => {
  use('2026-03-01T10:00:00.000Z', '/scim/v2/Users', OTHER);
  await store.transact((db) => db.scimCredentials.delete(OTHER.credentialId));
  use('2026-03-01T10:00:01.000Z', '/scim/v2/Users/after', OTHER);
  expect(log().map((r) => [r.credentialId, r.path])).toEqual([[OTHER.credentialId, '/scim/v2/Users']]);
});

test('a reset of the state drops the requests still waiting with the rest of the log', async () => {
  use('2026-03-01T10:00:00.000Z');
  await store.replace(snapshotOf({ scimCredentials: [KEY] }));
  expect(log()).toEqual([]);
  use('2026-03-01T10:00:01.000Z');
  expect(log().map((r) => r.seq)).toEqual([1]);
});
