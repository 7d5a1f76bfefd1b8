/**
 * /_emulator: health, unknown paths, reset, state (GET/POST) and snapshots,
 * all through HTTP.
 */
import { readFile, stat } from 'node:fs/promises';
import { DEMO_ACCOUNT, DEMO_ZONE_ID, OTHER_ACCOUNT, errorCode, ok, testEmulator, testFixtures, type TestEmulator } from '../helpers/api.js';
import { controlClient, controlError, controlOk, type ControlClient } from '../helpers/control.js';
import { makeTempDir, type TempDir } from '../helpers/live-emulator.js';
import { createScimKey, enableScimSync, scimClient, settle, userBody, type Json } from '../helpers/scim.js';
import { IDENTITY_CENTER_STATE } from '../../src/domain/schema.js';
import { hashSecret } from '../../src/domain/scim-credentials.js';
import { loadFixtures } from '../../src/store/open-store.js';

/** The SAML collections, empty in every state these tests load. */
const NO_SAML = { samlIdentityProviders: 0, samlCertificates: 0, samlLoginRequests: 0, samlSeenAssertions: 0, samlSignIns: 0 };

let emu: TestEmulator;
let ctl: ControlClient;
beforeEach(async () => {
  emu = await testEmulator();
  ctl = controlClient(emu.server);
});
afterEach(() => emu.close());

type State = Record<string, Json[]> & { schemaVersion: number };
const getState = async (): Promise<State> => controlOk<State>(await ctl.get('/state'));
const ZoneId = DEMO_ZONE_ID;

/** A zone with SCIM on, a SCIM key that has been used, a synchronized and a manual user, a group with a member. */
async function populate(): Promise<{ token: string; credentialId: string }> {
  await enableScimSync(emu);
  const key = await createScimKey(emu);
  const res = await scimClient(emu.server, key.token)('POST', '/Users', userBody('alice@example.com'));
  expect(res.status).toBe(201);
  await settle();
  const userId = ok(await emu.call('CreateUser', { ZoneId, UserName: 'bob' })).UserInfo as Json;
  const group = ok(await emu.call('CreateGroup', { ZoneId, GroupName: 'devs' })).GroupInfo as Json;
  ok(await emu.call('AddUserToGroup', { ZoneId, GroupId: group.GroupId, UserId: userId.UserId }));
  return key;
}

describe('GET /_emulator/health', () => {
  test('reports version, uptime, where the state lives, counts per resource, auth mode and the clock', async () => {
    await populate();
    const health = controlOk<Json>(await ctl.get('/health'));
    expect(health).toMatchObject({
      status: 'ok',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      store: 'in memory',
      auth: 'permissive',
      counts: { accounts: 2, zones: 1, scimCredentials: 1, users: 2, groups: 1, memberships: 1, scimRequestLog: 1, ...NO_SAML },
      clock: { now: '2026-03-01T00:00:00.000Z', frozen: true },
      seed: null,
      rateLimits: false,
      controlToken: false,
    });
    expect(health.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });
});

describe('unknown control paths', () => {
  test.each([
    ['GET', '/nope'],
    ['GET', '/'],
    ['POST', '/faults/fault-1/extra'],
    ['GET', '/scim-credentials/x'],
  ])('%s /_emulator%s is a 404 with a JSON error, never the API envelope', async (method, path) => {
    const res = method === 'GET' ? await ctl.get(path) : await ctl.post(path, {});
    expect(controlError(res, 404)).toContain('/_emulator');
    expect(res.body).not.toHaveProperty('Response');
  });

  test('a known path with the wrong method is a 405 naming the methods', async () => {
    const res = await ctl.get('/reset');
    expect(controlError(res, 405)).toContain('POST');
    expect(res.headers.allow).toBe('POST');
  });

  test('a body that is not JSON is a 400', async () => {
    expect(controlError(await ctl.post('/reset', '{"empty":'), 400)).toMatch(/not valid JSON/);
    expect(controlError(await ctl.post('/reset', '[1]'), 400)).toMatch(/JSON object/);
  });
});

describe('POST /_emulator/reset', () => {
  test('{} goes back to the fixtures without a restart', async () => {
    await populate();
    const body = controlOk<Json>(await ctl.post('/reset', {}));
    expect(body.state).toBe('fixtures');
    expect(body.counts).toEqual({ accounts: 2, zones: 1, scimCredentials: 0, users: 0, groups: 0, memberships: 0, scimRequestLog: 0, ...NO_SAML });
    const state = await getState();
    expect(state.zones).toEqual([expect.objectContaining({ zoneId: ZoneId, scimSyncStatus: 'Disabled' })]);
    expect(ok(await emu.call('ListUsers', { ZoneId })).Users).toEqual([]);
  });

  test('an empty request body means {} too (curl -X POST)', async () => {
    await populate();
    expect(controlOk<Json>(await ctl.post('/reset')).state).toBe('fixtures');
    expect((await getState()).users).toEqual([]);
  });

  test('{"empty": true} leaves no accounts and no data at all', async () => {
    await populate();
    const body = controlOk<Json>(await ctl.post('/reset', { empty: true }));
    expect(body).toMatchObject({ state: 'empty', counts: { accounts: 0, zones: 0, scimCredentials: 0, users: 0, groups: 0, memberships: 0, scimRequestLog: 0 } });
    const state = await getState();
    for (const [name, records] of Object.entries(state)) if (name !== 'schemaVersion') expect([name, records]).toEqual([name, []]);
    // Nothing is open any more: the first caller starts from scratch.
    const described = ok(await emu.call('DescribeIdentityCenter', {}));
    expect(described.ZoneId).toBe('');
  });

  test('{"empty": true, "keepAccounts": true} keeps the accounts and their keys, nothing else', async () => {
    await populate();
    controlOk(await ctl.post('/reset', { empty: true, keepAccounts: true }));
    expect(emu.store.dump().accounts).toEqual([DEMO_ACCOUNT, OTHER_ACCOUNT]);
    expect(emu.store.dump().zones).toEqual([]);
  });

  test('also clears the request journal and fault rules, and puts the clock back where it started', async () => {
    await populate();
    controlOk(await ctl.post('/faults', { action: 'ListUsers', code: 'InternalError' }), 201);
    controlOk(await ctl.post('/clock', { advanceSeconds: 3600 }));
    expect(controlOk<{ requests: unknown[] }>(await ctl.get('/requests')).requests.length).toBeGreaterThan(0);

    controlOk(await ctl.post('/reset', {}));
    expect(controlOk<{ requests: unknown[] }>(await ctl.get('/requests')).requests).toEqual([]);
    expect(controlOk<{ faults: unknown[] }>(await ctl.get('/faults')).faults).toEqual([]);
    expect(controlOk<Json>(await ctl.get('/clock'))).toEqual({ now: '2026-03-01T00:00:00.000Z', frozen: true });
    ok(await emu.call('ListUsers', { ZoneId }));
  });

  test.each([[{ empty: 'yes' }], [{ keepAccounts: true }], [{ wipe: true }]])('refuses %j with a 400 and changes nothing', async (body) => {
    await populate();
    controlError(await ctl.post('/reset', body), 400);
    expect((await getState()).users).toHaveLength(2);
  });
});

describe('GET /_emulator/state', () => {
  test('is the whole state, with no secret in it', async () => {
    const { token } = await populate();
    const res = await ctl.get('/state');
    const state = controlOk<State>(res);
    expect(state.schemaVersion).toBe(3);
    expect(Object.keys(state).sort()).toEqual([
      'accounts',
      'groups',
      'memberships',
      'samlCertificates',
      'samlIdentityProviders',
      'samlLoginRequests',
      'samlSeenAssertions',
      'samlSignIns',
      'schemaVersion',
      'scimCredentials',
      'scimRequestLog',
      'users',
      'zones',
    ]);
    expect(state.users.map((u) => [u.userName, u.userType])).toEqual([
      ['alice@example.com', 'Synchronized'],
      ['bob', 'Manual'],
    ]);
    expect(state.accounts[0]).toEqual({ uin: DEMO_ACCOUNT.uin, appId: DEMO_ACCOUNT.appId, name: 'demo', secretId: DEMO_ACCOUNT.secretId });
    expect(state.scimCredentials[0]).not.toHaveProperty('secretHash');
    for (const secret of [DEMO_ACCOUNT.secretKey, OTHER_ACCOUNT.secretKey, token, hashSecret(token)]) expect(res.text).not.toContain(secret);
  });
});

describe('POST /_emulator/state', () => {
  test('loads a document from GET /_emulator/state back: the state is as it was, secrets kept', async () => {
    const { token } = await populate();
    const saved = await getState();
    ok(await emu.call('CreateUser', { ZoneId, UserName: 'carol' }));
    ok(await emu.call('UpdateZone', { ZoneId, NewZoneName: 'renamed-zone' }));

    const loaded = controlOk<Json>(await ctl.post('/state', saved));
    expect(loaded.loaded).toMatchObject({ accounts: 2, zones: 1, users: 2 });
    expect(await getState()).toEqual(saved);
    // The secrets the document could not carry are the emulator's own, unchanged.
    expect(emu.store.view.accounts.get(DEMO_ACCOUNT.uin)?.secretKey).toBe(DEMO_ACCOUNT.secretKey);
    expect((await scimClient(emu.server, token)('GET', '/Users')).status).toBe(200);
  });

  test('a document with its secrets can be loaded into a fresh emulator', async () => {
    const doc = testFixtures({
      users: [
        {
          zoneId: ZoneId,
          userId: 'u-loaded000001',
          userName: 'loaded',
          firstName: '',
          lastName: '',
          displayName: 'Loaded',
          description: '',
          email: '',
          userStatus: 'Enabled',
          userType: 'Manual',
          needResetPassword: false,
          createTime: '2026-02-01T00:00:00.000Z',
          updateTime: '2026-02-01T00:00:00.000Z',
          version: 1,
        },
      ],
    });
    controlOk(await ctl.post('/state', { schemaVersion: 2, ...doc }));
    const user = ok(await emu.call('GetUser', { ZoneId, UserId: 'u-loaded000001' })).UserInfo as Json;
    expect(user.DisplayName).toBe('Loaded');
  });

  const bad: [string, (s: State) => unknown, RegExp][] = [
    ['not JSON', () => '{"accounts": [', /not valid JSON/],
    ['not an object', () => [], /not a JSON object/],
    ['an unknown collection', (s) => ({ ...s, widgets: [] }), /unknown collection "widgets"/],
    ['a record of the wrong shape', (s) => ({ ...s, users: [{ ...s.users[0], userName: 42 }] }), /users\[0\].*userName must be string/],
    ['a zone whose owner is no account', (s) => ({ ...s, zones: [{ ...s.zones[0], ownerUin: '999' }] }), /zones\[0\]: ownerUin "999" is no account/],
    ['a user id twice', (s) => ({ ...s, users: [s.users[0], s.users[0]] }), /appears twice/],
    ['a newer schema version', (s) => ({ ...s, schemaVersion: 99 }), /newer/],
    ['an account without secretKey the emulator does not hold', (s) => ({ ...s, accounts: [...s.accounts, { uin: '1', appId: 1, name: 'n', secretId: 'AKIDNEW' }] }), /accounts\[2\].*no secretKey/],
    ['a SCIM key without secretHash the emulator does not hold', (s) => ({ ...s, scimCredentials: [{ ...s.scimCredentials[0], credentialId: 'scimcred-unknown0000' }] }), /scimCredentials\[0\].*no secretHash/],
  ];
  test.each(bad)('refuses %s with a 400 naming the problem, and changes nothing', async (_what, make, message) => {
    await populate();
    const before = await getState();
    const beforeFull = emu.store.dump();
    const res = await ctl.post('/state', make(before));
    expect(controlError(res, 400)).toMatch(message);
    expect(await getState()).toEqual(before);
    expect(emu.store.dump()).toEqual(beforeFull);
  });

  test('an empty body is refused', async () => {
    controlError(await ctl.post('/state'), 400);
  });
});

describe('snapshots, in memory', () => {
  test('save, change, restore: the state comes back exactly, secrets included', async () => {
    const { token, credentialId } = await populate();
    emu.clock.advance(60);
    const saved = controlOk<Json>(await ctl.post('/snapshots/before-change'), 201);
    expect(saved).toMatchObject({ name: 'before-change', savedAt: '2026-03-01T00:01:00.000Z' });
    const before = emu.store.dump();

    ok(await emu.call('UpdateSCIMSynchronizationStatus', { ZoneId, SCIMSynchronizationStatus: 'Disabled' }));
    ok(await emu.call('UpdateSCIMCredentialStatus', { ZoneId, CredentialId: credentialId, NewStatus: 'Disabled' }));
    ok(await emu.call('DeleteSCIMCredential', { ZoneId, CredentialId: credentialId }));
    ok(await emu.call('CreateUser', { ZoneId, UserName: 'carol' }));

    const restored = controlOk<Json>(await ctl.post('/snapshots/before-change/restore'));
    expect(restored).toMatchObject({ restored: 'before-change', counts: { users: 2, scimCredentials: 1 } });
    expect(emu.store.dump()).toEqual(before);
    // The deleted key is back with its secret: a snapshot keeps what GET /state leaves out.
    expect((await scimClient(emu.server, token)('GET', '/Users')).status).toBe(200);
  });

  test('list, delete, and 404 for names that are not there', async () => {
    controlOk(await ctl.post('/snapshots/b'), 201);
    controlOk(await ctl.post('/snapshots/a'), 201);
    const listed = controlOk<{ snapshots: Json[] }>(await ctl.get('/snapshots')).snapshots;
    expect(listed.map((s) => s.name)).toEqual(['a', 'b']);
    expect(listed[0]).toEqual({ name: 'a', savedAt: '2026-03-01T00:00:00.000Z', bytes: expect.any(Number) });

    expect(controlOk<Json>(await ctl.del('/snapshots/a'))).toEqual({ deleted: 'a' });
    expect(controlOk<{ snapshots: Json[] }>(await ctl.get('/snapshots')).snapshots.map((s) => s.name)).toEqual(['b']);
    controlError(await ctl.del('/snapshots/a'), 404);
    controlError(await ctl.post('/snapshots/a/restore'), 404);
  });

  test('saving under an existing name replaces it', async () => {
    controlOk(await ctl.post('/snapshots/s'), 201);
    ok(await emu.call('CreateUser', { ZoneId, UserName: 'carol' }));
    controlOk(await ctl.post('/snapshots/s'), 201);
    controlOk(await ctl.post('/reset', {}));
    controlOk(await ctl.post('/snapshots/s/restore'));
    expect((await getState()).users.map((u) => u.userName)).toEqual(['carol']);
  });

  test.each(['..', '.hidden', 'a b', 'x'.repeat(65), 'name.tmp', 'é', '..%2F..%2Fetc'])('refuses the name %j with a 400', async (name) => {
    controlError(await ctl.post(`/snapshots/${encodeURIComponent(name)}`), 400);
  });
});

describe('snapshots, beside the data file', () => {
  let dir: TempDir;
  let fileEmu: TestEmulator;
  let fileCtl: ControlClient;
  beforeEach(async () => {
    dir = await makeTempDir('tce-snapshots-');
    fileEmu = await testEmulator({ dataFile: dir.file() });
    fileCtl = controlClient(fileEmu.server);
  });
  afterEach(async () => {
    await fileEmu.close();
    await dir.remove();
  });

  test('are files <data>.snapshots/<name>.json, usable as fixtures, listed with the emulator time they were saved at', async () => {
    ok(await fileEmu.call('CreateUser', { ZoneId, UserName: 'saved-user' }));
    fileEmu.clock.set('2026-06-01T12:00:00Z');
    controlOk(await fileCtl.post('/snapshots/nightly'), 201);
    const path = `${dir.file()}.snapshots/nightly.json`;
    expect((await stat(path)).isFile()).toBe(true);
    const fixtures = await loadFixtures(path, IDENTITY_CENTER_STATE, new Date('2026-01-01T00:00:00Z'));
    expect(fixtures.collections.find(([name]) => name === 'users')?.[1]).toEqual([expect.objectContaining({ userName: 'saved-user' })]);
    expect(JSON.parse(await readFile(path, 'utf8')).accounts[0].secretKey).toBe(DEMO_ACCOUNT.secretKey);

    const listed = controlOk<{ snapshots: Json[] }>(await fileCtl.get('/snapshots')).snapshots;
    expect(listed).toEqual([{ name: 'nightly', savedAt: '2026-06-01T12:00:00.000Z', bytes: (await stat(path)).size }]);

    controlOk(await fileCtl.post('/reset', {}));
    controlOk(await fileCtl.post('/snapshots/nightly/restore'));
    expect(errorCode(await fileEmu.call('CreateUser', { ZoneId, UserName: 'saved-user' }))).toBe('InvalidParameter.UsernameAlreadyExists');

    controlOk(await fileCtl.del('/snapshots/nightly'));
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  test('a name with a path in it never reaches the file system', async () => {
    controlError(await fileCtl.post(`/snapshots/${encodeURIComponent('../escaped')}`), 400);
    await expect(stat(`${dir.dir}/escaped.json`)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(controlOk<{ snapshots: Json[] }>(await fileCtl.get('/snapshots')).snapshots).toEqual([]);
  });
});
