/**
 * SCIM resources are Identity Center users and groups: what an identity
 * provider writes is what the Tencent Cloud API reads, and the other way round.
 * Also: which SCIM key authenticated which request, so a key rotation can be verified.
 */
import { DEMO_ZONE_ID, errorCode, ok } from '../helpers/api.js';
import {
  createGroup,
  createScimKey,
  createUser,
  expectListResponse,
  expectPatched,
  expectScimError,
  getResource,
  patchOp,
  q,
  scimClient,
  scimEmulator,
  settle,
  userBody,
  type Json,
  type ScimEmulator,
} from '../helpers/scim.js';

let t: ScimEmulator;
beforeEach(async () => {
  t = await scimEmulator();
});
afterEach(() => t.close());

const ZoneId = DEMO_ZONE_ID;

async function apiUser(userId: string): Promise<Json> {
  return ok(await t.emu.call('GetUser', { ZoneId, UserId: userId })).UserInfo as Json;
}

async function apiUsers(): Promise<Json[]> {
  return ok(await t.emu.call('ListUsers', { ZoneId, MaxResults: 100 })).Users as Json[];
}

function fullUser(extra: Json = {}): Json {
  return userBody('jane.doe@example.com', {
    name: { givenName: 'Jane', familyName: 'Doe' },
    displayName: 'Jane Doe',
    emails: [
      { value: 'jane.home@example.org', type: 'home' },
      { value: 'jane.doe@example.com', type: 'work', primary: true },
    ],
    active: true,
    ...extra,
  });
}

describe('users: SCIM -> Identity Center', () => {
  test('a SCIM-created user is a Synchronized Identity Center user with the mapped fields', async () => {
    const user = await createUser(t.scim, fullUser());
    const listed = (await apiUsers()).find((u) => u.UserId === user.id);
    expect(listed).toMatchObject({
      UserId: user.id,
      UserType: 'Synchronized',
      UserName: 'jane.doe@example.com',
      FirstName: 'Jane',
      LastName: 'Doe',
      DisplayName: 'Jane Doe',
      Email: 'jane.doe@example.com',
      UserStatus: 'Enabled',
    });
  });

  test('the SCIM id is the UserId: GetUser with it finds the user', async () => {
    const user = await createUser(t.scim, fullUser());
    expect(user.id).toMatch(/^u-[a-z0-9]+$/);
    expect(await apiUser(user.id as string)).toMatchObject({ UserId: user.id, UserName: 'jane.doe@example.com' });
  });

  test('Email is the primary e-mail, not the first one', async () => {
    const user = await createUser(t.scim, fullUser());
    expect((await apiUser(user.id as string)).Email).toBe('jane.doe@example.com');
  });

  test('a user created with active false is Disabled', async () => {
    const user = await createUser(t.scim, fullUser({ active: false }));
    expect((await apiUser(user.id as string)).UserStatus).toBe('Disabled');
  });

  test('UserStatus follows active through PATCH and PUT', async () => {
    const user = await createUser(t.scim, fullUser());
    const path = `/Users/${user.id as string}`;
    expectPatched(await t.scim('PATCH', path, patchOp({ op: 'replace', path: 'active', value: false })));
    expect((await apiUser(user.id as string)).UserStatus).toBe('Disabled');
    expectPatched(await t.scim('PATCH', path, patchOp({ op: 'Replace', path: 'active', value: 'True' })));
    expect((await apiUser(user.id as string)).UserStatus).toBe('Enabled');
    expect((await t.scim('PUT', path, fullUser({ active: false }))).status).toBe(200);
    expect((await apiUser(user.id as string)).UserStatus).toBe('Disabled');
  });

  test('name, displayName, userName and e-mail changes reach the Identity Center user', async () => {
    const user = await createUser(t.scim, fullUser());
    expectPatched(
      await t.scim(
        'PATCH',
        `/Users/${user.id as string}`,
        patchOp(
          { op: 'replace', path: 'name.givenName', value: 'Janet' },
          { op: 'replace', path: 'name.familyName', value: 'Dough' },
          { op: 'replace', path: 'displayName', value: 'Janet Dough' },
          { op: 'replace', path: 'userName', value: 'janet.dough@example.com' },
          { op: 'replace', path: 'emails[type eq "work"].value', value: 'janet.dough@example.com' },
        ),
      ),
    );
    expect(await apiUser(user.id as string)).toMatchObject({
      UserName: 'janet.dough@example.com',
      FirstName: 'Janet',
      LastName: 'Dough',
      DisplayName: 'Janet Dough',
      Email: 'janet.dough@example.com',
    });
  });

  test('clearing attributes with PUT clears the Identity Center fields', async () => {
    const user = await createUser(t.scim, fullUser());
    expect((await t.scim('PUT', `/Users/${user.id as string}`, userBody('jane.doe@example.com'))).status).toBe(200);
    expect(await apiUser(user.id as string)).toMatchObject({ FirstName: '', LastName: '', DisplayName: '', Email: '' });
  });

  test('a SCIM DELETE removes the Identity Center user', async () => {
    const user = await createUser(t.scim, fullUser());
    expect((await t.scim('DELETE', `/Users/${user.id as string}`)).status).toBe(204);
    expect(errorCode(await t.emu.call('GetUser', { ZoneId, UserId: user.id }))).toBe('ResourceNotFound.UserNotExist');
  });

  test('while SCIM sync is enabled the API may not change a Synchronized user', async () => {
    const user = await createUser(t.scim, fullUser());
    const res = await t.emu.call('UpdateUser', { ZoneId, UserId: user.id, NewFirstName: 'Changed' });
    expect(errorCode(res)).toBe('FailedOperation.SynchronizedUserNotUpdate');
  });

  test('while SCIM sync is enabled the API may not delete a Synchronized user', async () => {
    const user = await createUser(t.scim, fullUser());
    expect(errorCode(await t.emu.call('DeleteUser', { ZoneId, UserId: user.id }))).toBe('FailedOperation.SynchronizedUserNotDelete');
    await getResource(t.scim, `/Users/${user.id as string}`);
  });

  test('with SCIM sync disabled the API may change a Synchronized user, and SCIM then shows the change', async () => {
    const user = await createUser(t.scim, fullUser());
    ok(await t.emu.call('UpdateSCIMSynchronizationStatus', { ZoneId, SCIMSynchronizationStatus: 'Disabled' }));
    ok(await t.emu.call('UpdateUser', { ZoneId, UserId: user.id, NewFirstName: 'Janine', NewEmail: 'janine@example.com' }));
    ok(await t.emu.call('UpdateSCIMSynchronizationStatus', { ZoneId, SCIMSynchronizationStatus: 'Enabled' }));
    const read = await getResource(t.scim, `/Users/${user.id as string}`);
    expect(read.name).toMatchObject({ givenName: 'Janine', familyName: 'Doe' });
    expect(read.emails).toEqual([expect.objectContaining({ value: 'janine@example.com', primary: true })]);
    expect(read.meta.version).not.toBe(user.meta.version);
  });

  test('an e-mail already used by another user is 409 uniqueness (Identity Center e-mails are unique per zone)', async () => {
    await createUser(t.scim, fullUser());
    const res = await t.scim('POST', '/Users', userBody('someone.else@example.com', { emails: [{ value: 'JANE.DOE@example.com', type: 'work', primary: true }] }));
    expectScimError(res, 409, 'uniqueness');
  });
});

describe('users: Identity Center -> SCIM', () => {
  test('a user created with CreateUser is visible at GET /Users/<UserId> and through a userName filter', async () => {
    const created = ok(
      await t.emu.call('CreateUser', {
        ZoneId,
        UserName: 'manual.user@example.com',
        FirstName: 'Manual',
        LastName: 'User',
        DisplayName: 'Manual User',
        Email: 'manual.user@example.com',
      }),
    ).UserInfo as Json;
    const user = await getResource(t.scim, `/Users/${created.UserId as string}`);
    expect(user).toMatchObject({
      id: created.UserId,
      userName: 'manual.user@example.com',
      name: { givenName: 'Manual', familyName: 'User' },
      displayName: 'Manual User',
      active: true,
      emails: [expect.objectContaining({ value: 'manual.user@example.com', primary: true })],
      meta: { resourceType: 'User' },
    });
    const found = expectListResponse(await t.scim('GET', `/Users${q({ filter: 'userName eq "manual.user@example.com"' })}`));
    expect(found.Resources.map((r) => r.id)).toEqual([created.UserId]);
  });

  test('a user disabled through the API shows active false', async () => {
    const created = ok(await t.emu.call('CreateUser', { ZoneId, UserName: 'api.disabled@example.com' })).UserInfo as Json;
    ok(await t.emu.call('UpdateUserStatus', { ZoneId, UserId: created.UserId, NewUserStatus: 'Disabled' }));
    expect((await getResource(t.scim, `/Users/${created.UserId as string}`)).active).toBe(false);
  });

  test('an IdP trying to create a user whose userName the API already took gets 409 uniqueness', async () => {
    ok(await t.emu.call('CreateUser', { ZoneId, UserName: 'taken@example.com' }));
    expectScimError(await t.scim('POST', '/Users', userBody('Taken@Example.com')), 409, 'uniqueness');
  });
});

describe('groups: SCIM -> Identity Center', () => {
  test('a SCIM group is a Synchronized Identity Center group; ListGroupMembers shows its SCIM members', async () => {
    const jane = await createUser(t.scim, fullUser());
    const max = await createUser(t.scim, userBody('max@example.com'));
    const group = await createGroup(t.scim, { displayName: 'engineering', members: [{ value: jane.id }] });
    expectPatched(await t.scim('PATCH', `/Groups/${group.id as string}`, patchOp({ op: 'add', path: 'members', value: [{ value: max.id }] })));

    const groups = ok(await t.emu.call('ListGroups', { ZoneId })).Groups as Json[];
    expect(groups.find((g) => g.GroupId === group.id)).toMatchObject({
      GroupId: group.id,
      GroupName: 'engineering',
      GroupType: 'Synchronized',
      MemberCount: 2,
    });
    const members = ok(await t.emu.call('ListGroupMembers', { ZoneId, GroupId: group.id })).GroupMembers as Json[];
    expect(members.map((m) => m.UserId).sort()).toEqual([jane.id, max.id].sort());
    expect(members.find((m) => m.UserId === jane.id)).toMatchObject({ UserName: 'jane.doe@example.com', UserType: 'Synchronized' });
  });

  test('the SCIM group id is the GroupId and a rename reaches GroupName', async () => {
    const group = await createGroup(t.scim, { displayName: 'engineering' });
    expect(group.id).toMatch(/^g-[a-z0-9]+$/);
    expectPatched(await t.scim('PATCH', `/Groups/${group.id as string}`, patchOp({ op: 'replace', path: 'displayName', value: 'platform' })));
    const info = ok(await t.emu.call('GetGroup', { ZoneId, GroupId: group.id })).GroupInfo as Json;
    expect(info).toMatchObject({ GroupId: group.id, GroupName: 'platform', GroupType: 'Synchronized' });
  });

  test('a SCIM DELETE of a group with members removes it from ListGroups', async () => {
    const jane = await createUser(t.scim, fullUser());
    const group = await createGroup(t.scim, { displayName: 'engineering', members: [{ value: jane.id }] });
    expect((await t.scim('DELETE', `/Groups/${group.id as string}`)).status).toBe(204);
    const groups = ok(await t.emu.call('ListGroups', { ZoneId })).Groups as Json[];
    expect(groups.map((g) => g.GroupId)).not.toContain(group.id);
  });

  test('a group created with CreateGroup is visible at GET /Groups/<GroupId>', async () => {
    const info = ok(await t.emu.call('CreateGroup', { ZoneId, GroupName: 'api-made' })).GroupInfo as Json;
    const group = await getResource(t.scim, `/Groups/${info.GroupId as string}`);
    expect(group).toMatchObject({ id: info.GroupId, displayName: 'api-made', meta: { resourceType: 'Group' } });
  });
});

describe('SCIM key usage and rotation', () => {
  const credentials = () => t.emu.store.dump().scimCredentials.map((c) => ({ ...c }));
  const log = () => t.emu.store.dump().scimRequestLog.map(({ seq: _seq, ...r }) => r);

  test('a key has no lastUsedTime until it authenticates a request; then it is the request time', async () => {
    expect(credentials().find((c) => c.credentialId === t.credentialId)!.lastUsedTime).toBeNull();
    t.emu.clock.advance(120);
    expectListResponse(await t.scim('GET', '/Users'));
    await settle();
    expect(credentials().find((c) => c.credentialId === t.credentialId)!.lastUsedTime).toBe('2026-03-01T00:02:00.000Z');
  });

  test('every authenticated request is logged with time, zone, key, method, path (no query) and status', async () => {
    t.emu.clock.advance(5);
    await createUser(t.scim, userBody('logged@example.com'));
    await t.scim('GET', `/Users${q({ filter: 'userName eq "logged@example.com"' })}`);
    await t.scim('GET', '/Users/u-doesnotexist1');
    await settle();
    expect(log()).toEqual([
      { time: '2026-03-01T00:00:05.000Z', zoneId: ZoneId, credentialId: t.credentialId, method: 'POST', path: '/scim/v2/Users', status: 201 },
      { time: '2026-03-01T00:00:05.000Z', zoneId: ZoneId, credentialId: t.credentialId, method: 'GET', path: '/scim/v2/Users', status: 200 },
      { time: '2026-03-01T00:00:05.000Z', zoneId: ZoneId, credentialId: t.credentialId, method: 'GET', path: '/scim/v2/Users/u-doesnotexist1', status: 404 },
    ]);
  });

  test('rejected (401) and discovery requests are not logged against any key', async () => {
    await t.as('bogus')('GET', '/Users');
    await t.as(null)('GET', '/ServiceProviderConfig');
    await settle();
    expect(log()).toEqual([]);
    expect(credentials().every((c) => c.lastUsedTime === null)).toBe(true);
  });

  test('rotation: switch the IdP to a second key, disable the old one, check the log, delete the old one', async () => {
    const oldKey = { token: t.token, credentialId: t.credentialId };
    const oldScim = t.scim;

    // The IdP has been using the old key.
    await createUser(oldScim, userBody('before.rotation@example.com'));
    await settle();
    const oldUsedAt = credentials().find((c) => c.credentialId === oldKey.credentialId)!.lastUsedTime;
    expect(oldUsedAt).toBe('2026-03-01T00:00:00.000Z');

    // 1. A second key; the IdP is reconfigured with it and keeps working.
    t.emu.clock.advance(3600);
    const newKey = await createScimKey(t.emu);
    const newScim = scimClient(t.emu.server, newKey.token);
    await createUser(newScim, userBody('after.rotation@example.com'));
    expectListResponse(await newScim('GET', '/Users'));
    const switchedAt = t.emu.clock.now().toISOString();

    // 2. Disable the old key: it is refused, the new one is not.
    ok(await t.emu.call('UpdateSCIMCredentialStatus', { ZoneId, CredentialId: oldKey.credentialId, NewStatus: 'Disabled' }));
    expectScimError(await oldScim('GET', '/Users'), 401);
    t.emu.clock.advance(60);
    expectListResponse(await newScim('GET', '/Users'));
    await settle();

    // 3. The log shows nothing authenticated with the old key since the switch, and the new key in use.
    const entries = log();
    expect(entries.filter((e) => e.credentialId === oldKey.credentialId && e.time >= switchedAt)).toEqual([]);
    expect(entries.filter((e) => e.credentialId === newKey.credentialId).map((e) => [e.method, e.path, e.status])).toEqual([
      ['POST', '/scim/v2/Users', 201],
      ['GET', '/scim/v2/Users', 200],
      ['GET', '/scim/v2/Users', 200],
    ]);
    expect(credentials().find((c) => c.credentialId === oldKey.credentialId)!.lastUsedTime).toBe(oldUsedAt);
    expect(credentials().find((c) => c.credentialId === newKey.credentialId)!.lastUsedTime).toBe('2026-03-01T01:01:00.000Z');

    // 4. Delete the old key: gone from ListSCIMCredentials, still refused, the new key still works.
    ok(await t.emu.call('DeleteSCIMCredential', { ZoneId, CredentialId: oldKey.credentialId }));
    const listed = ok(await t.emu.call('ListSCIMCredentials', { ZoneId })).SCIMCredentials as Json[];
    expect(listed.map((c) => c.CredentialId)).toEqual([newKey.credentialId]);
    expectScimError(await oldScim('GET', '/Users'), 401);
    expect(expectListResponse(await newScim('GET', '/Users')).totalResults).toBe(2);
  });

  test('a zone holds at most two keys, so rotation needs the old key deleted before a third', async () => {
    await createScimKey(t.emu);
    const res = await t.emu.call('CreateSCIMCredential', { ZoneId });
    expect(errorCode(res)).toBe('LimitExceeded.ScimCredentialLimitExceeded');
  });

  test('both keys of a zone see the same users', async () => {
    const second = scimClient(t.emu.server, (await createScimKey(t.emu)).token);
    const user = await createUser(t.scim, userBody('shared@example.com'));
    expect((await getResource(second, `/Users/${user.id as string}`)).userName).toBe('shared@example.com');
  });
});
