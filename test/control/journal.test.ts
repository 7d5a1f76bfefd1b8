/**
 * The request journal (/_emulator/requests) and SCIM key usage
 * (/_emulator/scim-credentials/<id>/usage): what happened, from outside.
 */
import { DEMO_ACCOUNT, DEMO_ZONE_ID, asOther, errorCode, ok, testEmulator, type TestEmulator } from '../helpers/api.js';
import { controlClient, controlError, controlOk, type ControlClient } from '../helpers/control.js';
import { createScimKey, enableScimSync, expectScimError, scimClient, settle, userBody, type Json } from '../helpers/scim.js';
import { randomUUID } from 'node:crypto';
import { JOURNAL_CAPACITY, RequestJournal, type JournalEntry, type JournalFields } from '../../src/control/journal.js';

let emu: TestEmulator;
let ctl: ControlClient;
beforeEach(async () => {
  emu = await testEmulator();
  ctl = controlClient(emu.server);
});
afterEach(() => emu.close());

const ZoneId = DEMO_ZONE_ID;
const journal = async (query = ''): Promise<JournalEntry[]> => {
  await settle(); // SCIM entries are written when the response finishes
  return controlOk<{ requests: JournalEntry[] }>(await ctl.get(`/requests${query}`)).requests;
};

describe('GET /_emulator/requests', () => {
  test('lists API and SCIM requests newest first, with what a person needs to find them', async () => {
    await enableScimSync(emu);
    const key = await createScimKey(emu);
    emu.clock.advance(60);
    const failed = await emu.call('GetUser', { ZoneId, UserId: 'u-nosuchuser00' });
    const scimRes = await scimClient(emu.server, key.token)('POST', '/Users', userBody('alice@example.com'));
    expect(scimRes.status).toBe(201);
    await scimClient(emu.server, 'wrong-token')('GET', '/Users');

    const entries = await journal();
    expect(entries.map((e) => (e.surface === 'api' ? e.action : `${e.method} ${e.path}`))).toEqual([
      'GET /scim/v2/Users',
      'POST /scim/v2/Users',
      'GetUser',
      'CreateSCIMCredential',
      'UpdateSCIMSynchronizationStatus',
    ]);
    expect(entries[0]).toMatchObject({ surface: 'scim', status: 401, credentialId: null, account: null, code: null, requestId: null });
    expect(entries[1]).toMatchObject({
      time: '2026-03-01T00:01:00.000Z',
      surface: 'scim',
      action: null,
      method: 'POST',
      path: '/scim/v2/Users',
      account: DEMO_ACCOUNT.uin,
      credentialId: key.credentialId,
      code: null,
      status: 201,
      requestId: null,
    });
    expect(entries[2]).toEqual({
      time: '2026-03-01T00:01:00.000Z',
      surface: 'api',
      action: 'GetUser',
      method: 'POST',
      path: null,
      account: DEMO_ACCOUNT.uin,
      credentialId: null,
      code: 'ResourceNotFound.UserNotExist',
      status: 200,
      latencyMs: expect.any(Number),
      requestId: (failed.body as { Response: { RequestId: string } }).Response.RequestId,
      params: { ZoneId, UserId: 'u-nosuchuser00' },
    });
    expect(entries[2]!.latencyMs).toBeGreaterThanOrEqual(0);
  });

  test('filters by action, code (API code, or SCIM status), surface and limit', async () => {
    await enableScimSync(emu);
    const key = await createScimKey(emu);
    ok(await emu.call('ListUsers', { ZoneId }));
    errorCode(await emu.call('ListUsers', { ZoneId: 'z-nosuchzone00' }));
    ok(await emu.call('ListGroups', { ZoneId }));
    await scimClient(emu.server, key.token)('GET', '/Users');
    await scimClient(emu.server, null)('GET', '/Users');

    expect((await journal('?action=ListUsers')).map((e) => e.code)).toEqual(['FailedOperation.ZoneIdNotExist', 'Success']);
    expect((await journal('?code=Success&action=ListUsers')).map((e) => e.action)).toEqual(['ListUsers']);
    expect((await journal('?code=401')).map((e) => [e.surface, e.status])).toEqual([['scim', 401]]);
    expect((await journal('?surface=scim')).map((e) => e.status)).toEqual([401, 200]);
    expect((await journal(`?credentialId=${key.credentialId}`)).map((e) => e.status)).toEqual([200]);
    expect((await journal('?limit=2')).map((e) => e.surface)).toEqual(['scim', 'scim']);
    // Empty values, as a form sends them, filter nothing.
    expect(await journal('?action=&code=&limit=')).toHaveLength(7);
  });

  test.each([['?limit=0'], ['?limit=1001'], ['?limit=ten'], ['?surface=ftp'], ['?actoin=ListUsers'], ['?action=a&action=b']])('refuses %s with a 400', async (query) => {
    controlError(await ctl.get(`/requests${query}`), 400);
  });

  test('shows parameters with secrets and tokens redacted, identifiers kept', async () => {
    await enableScimSync(emu);
    const key = await createScimKey(emu);
    // Unknown parameters are refused by validation, but the journal shows what was sent.
    await emu.call('UpdateUser', {
      ZoneId,
      UserId: 'u-x',
      Password: 'hunter2',
      CredentialSecret: 'should-not-show',
      Nested: [{ SecretKey: 'sk', SecretId: 'AKIDVISIBLE', Token: 'tok' }],
      NextToken: 'page-2',
      CredentialId: 'scimcred-visible',
    });
    await scimClient(emu.server, key.token)('POST', '/Users', userBody('bob@example.com', { password: 'p@ssw0rd-scim' }));

    const [scimEntry, apiEntry] = await journal('?limit=2');
    expect(apiEntry!.params).toEqual({
      ZoneId,
      UserId: 'u-x',
      Password: '[redacted]',
      CredentialSecret: '[redacted]',
      Nested: [{ SecretKey: '[redacted]', SecretId: 'AKIDVISIBLE', Token: '[redacted]' }],
      NextToken: 'page-2',
      CredentialId: 'scimcred-visible',
    });
    expect(scimEntry!.params).toMatchObject({ userName: 'bob@example.com', password: '[redacted]' });
    const text = (await ctl.get('/requests')).text;
    for (const secret of ['hunter2', 'should-not-show', 'p@ssw0rd-scim', key.token]) expect(text).not.toContain(secret);
  });
});

describe('the journal is bounded', () => {
  test(`keeps the newest ${JOURNAL_CAPACITY} entries (a ring; the oldest go first)`, () => {
    const ring = new RequestJournal(3);
    const fields = (n: number): JournalFields => ({
      surface: 'api',
      action: `A${n}`,
      method: 'POST',
      path: null,
      account: null,
      credentialId: null,
      code: 'Success',
      status: 200,
      latencyMs: 0,
      requestId: null,
    });
    for (let n = 1; n <= 5; n += 1) ring.record(fields(n), new Date(n), null);
    expect(ring.list({ limit: 10 }).map((e) => e.action)).toEqual(['A5', 'A4', 'A3']);
    expect(ring.list({ limit: 10, action: 'A2' })).toEqual([]);
    expect(new RequestJournal().capacity).toBe(1000);
  });
});

describe('entries are formatted when listed', () => {
  const fields = {
    surface: 'api' as const,
    action: 'CreateSCIMCredential',
    method: 'POST',
    path: null,
    account: '100000000001',
    credentialId: null,
    code: 'Success',
    status: 200,
    latencyMs: 1.5,
    requestId: 'r-1',
  };

  test('a small flat parameter set is kept as sent and redacted when listed, with the time in ISO-8601', () => {
    const ring = new RequestJournal(2);
    ring.record(fields, new Date('2026-03-01T00:00:00.000Z'), { ZoneId: 'z-1', CredentialSecret: 'hunter2', MaxResults: 10, Flag: true, None: null });
    expect(ring.list({ limit: 1 })).toEqual([
      {
        time: '2026-03-01T00:00:00.000Z',
        ...fields,
        params: { ZoneId: 'z-1', CredentialSecret: '[redacted]', MaxResults: 10, Flag: true, None: null },
      },
    ]);
    expect(Object.keys(ring.list({ limit: 1 })[0]!)).toEqual(['time', ...Object.keys(fields), 'params']);
  });

  test('anything nested or large is redacted and shortened at once, so an entry never holds more than that', () => {
    const ring = new RequestJournal(2);
    const nested = { Filters: [{ Name: 'x', Password: 'p' }], Long: 'y'.repeat(300) };
    ring.record(fields, new Date(0), nested);
    nested.Filters[0]!.Password = 'changed later';
    const [entry] = ring.list({ limit: 1 });
    expect(entry!.params).toEqual({ Filters: [{ Name: 'x', Password: '[redacted]' }], Long: `${'y'.repeat(256)}… (44 more characters)` });
    ring.record(fields, new Date(0), null);
    expect(ring.list({ limit: 1 })[0]!.params).toBeNull();
  });

  test('a RequestId comes back exactly as recorded, UUID or not, also after its slot is reused', () => {
    const ring = new RequestJournal(2);
    const ids = [randomUUID(), '00000000-0000-4000-8000-00000000000c', 'r-1', 'ABCDEF01-2345-4678-89AB-CDEF01234567', randomUUID(), null];
    const seen: (string | null)[] = [];
    for (const requestId of ids) {
      ring.record({ ...fields, requestId }, new Date(0), null);
      seen.push(ring.list({ limit: 1 })[0]!.requestId);
    }
    expect(seen).toEqual(ids);
    // The ring of two still holds the last two, each as recorded.
    expect(ring.list({ limit: 5 }).map((e) => e.requestId)).toEqual([null, ids[4]]);
  });

  test('clear empties the ring', () => {
    const ring = new RequestJournal(2);
    ring.record(fields, new Date(0), { ZoneId: 'z-1' });
    ring.clear();
    expect(ring.list({ limit: 5 })).toEqual([]);
    ring.record({ ...fields, action: 'ListUsers' }, new Date(0), null);
    expect(ring.list({ limit: 5 }).map((e) => e.action)).toEqual(['ListUsers']);
  });

  test('filters look at the fields without formatting the rest', () => {
    const ring = new RequestJournal(3);
    ring.record(fields, new Date(0), null);
    ring.record({ ...fields, surface: 'scim', action: null, code: null, status: 404, path: '/scim/v2/Users/x' }, new Date(0), null);
    expect(ring.list({ limit: 5, code: '404' }).map((e) => e.path)).toEqual(['/scim/v2/Users/x']);
    expect(ring.list({ limit: 5, action: 'CreateSCIMCredential' })).toHaveLength(1);
  });
});

describe('GET /_emulator/scim-credentials/<CredentialId>/usage', () => {
  test('verifies a key rotation: new key, IdP moved to it, old one disabled and seen unused, then deleted', async () => {
    await enableScimSync(emu);
    const oldKey = await createScimKey(emu);
    const usage = async (id: string) => {
      await settle();
      return controlOk<{ credentialId: string; lastUsedTime: string | null; requests: Json[] }>(await ctl.get(`/scim-credentials/${id}/usage`));
    };
    expect(await usage(oldKey.credentialId)).toEqual({ credentialId: oldKey.credentialId, lastUsedTime: null, requests: [] });

    // The IdP syncs with the old key.
    emu.clock.advance(60);
    await scimClient(emu.server, oldKey.token)('GET', '/Users');
    emu.clock.advance(60);
    await scimClient(emu.server, oldKey.token)('POST', '/Users', userBody('carol@example.com'));

    // Rotation: a second key, the IdP moves over.
    const newKey = await createScimKey(emu);
    emu.clock.advance(60);
    await scimClient(emu.server, newKey.token)('GET', '/Groups');

    const old = await usage(oldKey.credentialId);
    expect(old).toEqual({
      credentialId: oldKey.credentialId,
      lastUsedTime: '2026-03-01T00:02:00.000Z',
      requests: [
        { time: '2026-03-01T00:02:00.000Z', method: 'POST', path: '/scim/v2/Users', status: 201 },
        { time: '2026-03-01T00:01:00.000Z', method: 'GET', path: '/scim/v2/Users', status: 200 },
      ],
    });
    expect(await usage(newKey.credentialId)).toEqual({
      credentialId: newKey.credentialId,
      lastUsedTime: '2026-03-01T00:03:00.000Z',
      requests: [{ time: '2026-03-01T00:03:00.000Z', method: 'GET', path: '/scim/v2/Groups', status: 200 }],
    });

    // Disable the old key: a straggler using it is refused, and that is no use of it.
    ok(await emu.call('UpdateSCIMCredentialStatus', { ZoneId, CredentialId: oldKey.credentialId, NewStatus: 'Disabled' }));
    emu.clock.advance(3600);
    expectScimError(await scimClient(emu.server, oldKey.token)('GET', '/Users'), 401);
    expect(await usage(oldKey.credentialId)).toEqual(old);

    ok(await emu.call('DeleteSCIMCredential', { ZoneId, CredentialId: oldKey.credentialId }));
    controlError(await ctl.get(`/scim-credentials/${oldKey.credentialId}/usage`), 404);
  });

  test('an unknown key is a 404', async () => {
    expect(controlError(await ctl.get('/scim-credentials/scimcred-nosuchkey00/usage'), 404)).toContain('scimcred-nosuchkey00');
  });

  test('the API requests of another account leave a key alone', async () => {
    await enableScimSync(emu);
    const key = await createScimKey(emu);
    await emu.call('ListSCIMCredentials', { ZoneId }, asOther());
    expect(controlOk<Json>(await ctl.get(`/scim-credentials/${key.credentialId}/usage`)).requests).toEqual([]);
  });
});

describe('journal entries stay small', () => {
  test('long strings and large parameter sets are shortened, saying so', async () => {
    await emu.call('ListUsers', { ZoneId, Filter: 'x'.repeat(5000), FilterUsers: Array.from({ length: 2000 }, (_, i) => `u-${i}`) });
    const [entry] = await journal('?limit=1');
    const params = entry!.params as { Filter: string; FilterUsers: string[] };
    expect(params.Filter).toBe(`${'x'.repeat(256)}… (4744 more characters)`);
    expect(params.FilterUsers.length).toBeLessThan(600);
    expect(params.FilterUsers.at(-1)).toMatch(/^… \(\d+ more items\)$/);
    expect(JSON.stringify(entry).length).toBeLessThan(20_000);
  });
});
