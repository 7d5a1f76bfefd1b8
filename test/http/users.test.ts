import { addMember } from '../../src/domain/memberships.js';
import { createGroup } from '../../src/domain/groups.js';
import { createUser, deleteUser, findUser, updateUser } from '../../src/domain/users.js';
import type { UserInfo } from '../../src/generated/organization-2021-03-31.js';
import type { Zone } from '../../src/domain/entities.js';
import type { DbView } from '../../src/domain/schema.js';
import { DEMO_ZONE_ID, asOther, conforms, errorCode, ok, testEmulator, domainCtx, type TestEmulator } from '../helpers/api.js';
import { DEFAULT_QUOTAS } from '../../src/config.js';

// One emulator for the file (building one compiles every action schema); each test starts from the fixtures.
let emu: TestEmulator;
beforeAll(async () => {
  emu = await testEmulator();
});
beforeEach(async () => {
  await emu.reset();
  emu.clock.set('2026-03-01T00:00:00Z');
});
afterAll(() => emu.close());

const ZoneId = DEMO_ZONE_ID;

async function newUser(params: Record<string, unknown> = {}, userName = `user${Math.random().toString(36).slice(2, 10)}`) {
  const res = await emu.call('CreateUser', { ZoneId, UserName: userName, ...params });
  return ok(res).UserInfo as UserInfo;
}

const zoneIn = (s: DbView): Zone => s.zones.get(ZoneId)!;
const dctx = () => domainCtx(emu);
const scimUser = (userName: string) => emu.store.transact((s) => createUser(s, zoneIn(s), { userName }, dctx(), 'scim'));
const setSync = async (status: 'Enabled' | 'Disabled') =>
  ok(await emu.call('UpdateSCIMSynchronizationStatus', { ZoneId, SCIMSynchronizationStatus: status }));

describe('CreateUser', () => {
  test('creates a Manual, Enabled user with an ID of u- and 12 lowercase letters/digits, and an initial password', async () => {
    const res = await emu.call('CreateUser', {
      ZoneId,
      UserName: 'Alice',
      FirstName: 'Alice',
      LastName: 'Liddell',
      DisplayName: 'Alice L.',
      Description: 'first user',
      Email: 'alice@example.com',
    });
    conforms('CreateUser', res);
    const info = ok(res).UserInfo as UserInfo;
    expect(info).toMatchObject({
      UserName: 'Alice',
      FirstName: 'Alice',
      LastName: 'Liddell',
      DisplayName: 'Alice L.',
      Description: 'first user',
      Email: 'alice@example.com',
      UserStatus: 'Enabled',
      UserType: 'Manual',
      NeedResetPassword: false,
      CreateTime: '2026-03-01 08:00:00',
      UpdateTime: '2026-03-01 08:00:00',
    });
    expect(info.UserId).toMatch(/^u-[a-z0-9]{12}$/);
    expect(info.Password).toMatch(/^\S{8,}$/);
    expect(info.IsSelected).toBeUndefined();
  });

  test('omitted optional members are empty strings; UserStatus and NeedResetPassword are stored as given', async () => {
    const info = await newUser({ UserStatus: 'Disabled', NeedResetPassword: true }, 'bare');
    expect(info).toMatchObject({ FirstName: '', LastName: '', DisplayName: '', Description: '', Email: '' });
    expect(info).toMatchObject({ UserStatus: 'Disabled', NeedResetPassword: true });
  });

  test('the initial password is returned by CreateUser only', async () => {
    const info = await newUser({}, 'pw');
    const got = ok(await emu.call('GetUser', { ZoneId, UserId: info.UserId })).UserInfo as UserInfo;
    expect(got.Password).toBeUndefined();
  });

  test.each([['a'], ['a'.repeat(64)], ['a+b=c,d.e@f-g_h'], ['user@example.com'], ['0']])('accepts the user name %j', async (name) => {
    expect((await newUser({}, name)).UserName).toBe(name);
  });

  test.each([[''], ['a'.repeat(65)], ['with space'], ['hash#'], ['slash/'], ['名字'], ['semi;colon']])(
    'rejects the user name %j with InvalidParameter.UsernameFormatError',
    async (name) => {
      expect(errorCode(await emu.call('CreateUser', { ZoneId, UserName: name }))).toBe('InvalidParameter.UsernameFormatError');
    },
  );

  test('user names are unique within the zone, compared case-insensitively', async () => {
    await newUser({}, 'Bob');
    expect(errorCode(await emu.call('CreateUser', { ZoneId, UserName: 'bob' }))).toBe('InvalidParameter.UsernameAlreadyExists');
    expect(errorCode(await emu.call('CreateUser', { ZoneId, UserName: 'Bob' }))).toBe('InvalidParameter.UsernameAlreadyExists');
  });

  test('the same user name may exist in another zone', async () => {
    await newUser({}, 'carol');
    const opened = ok(await emu.call('OpenIdentityCenter', { ZoneName: 'other-zone' }, asOther()));
    const res = await emu.call('CreateUser', { ZoneId: opened.ZoneId, UserName: 'carol' }, asOther());
    expect((ok(res).UserInfo as UserInfo).UserName).toBe('carol');
  });

  test('e-mail addresses are unique within the zone, compared case-insensitively; empty e-mails never clash', async () => {
    await newUser({ Email: 'Dup@Example.com' });
    expect(errorCode(await emu.call('CreateUser', { ZoneId, UserName: 'x1', Email: 'dup@example.COM' }))).toBe(
      'InvalidParameter.EmailAlreadyExists',
    );
    await newUser({ Email: '' }, 'noemail1');
    await newUser({}, 'noemail2');
  });

  test('UserType Synchronized passed through the API is recorded as asked', async () => {
    expect((await newUser({ UserType: 'Synchronized' })).UserType).toBe('Synchronized');
  });

  test('an unknown UserType is InvalidParameter.UserTypeError', async () => {
    expect(errorCode(await emu.call('CreateUser', { ZoneId, UserName: 'x', UserType: 'Imported' }))).toBe(
      'InvalidParameter.UserTypeError',
    );
  });

  test('an unknown UserStatus is InvalidParameterValue', async () => {
    expect(errorCode(await emu.call('CreateUser', { ZoneId, UserName: 'x', UserStatus: 'enabled' }))).toBe('InvalidParameterValue');
  });

  test('a zone at its user quota refuses another user with FailedOperation.UserOverUpperLimit', async () => {
    await emu.store.transact((s) => {
      for (let i = 0; i < DEFAULT_QUOTAS.usersPerZone; i += 1) createUser(s, zoneIn(s), { userName: `bulk${i}` }, dctx(), 'api');
    });
    expect(errorCode(await emu.call('CreateUser', { ZoneId, UserName: 'one-more' }))).toBe('FailedOperation.UserOverUpperLimit');
  });

  test('a failed create changes nothing', async () => {
    await newUser({ Email: 'taken@example.com' }, 'first');
    const before = JSON.stringify(emu.store.dump());
    await emu.call('CreateUser', { ZoneId, UserName: 'second', Email: 'TAKEN@example.com' });
    expect(JSON.stringify(emu.store.dump())).toBe(before);
  });

  test('a ZoneId that is not the caller’s is FailedOperation.ZoneIdNotExist; no zone at all is IdentityCenterNotOpen', async () => {
    expect(errorCode(await emu.call('CreateUser', { ZoneId: 'z-nosuchzone00', UserName: 'x' }))).toBe('FailedOperation.ZoneIdNotExist');
    expect(errorCode(await emu.call('CreateUser', { ZoneId, UserName: 'x' }, asOther()))).toBe('FailedOperation.IdentityCenterNotOpen');
  });
});

describe('GetUser', () => {
  test('returns the user as CreateUser did, without the password', async () => {
    const created = await newUser({ Email: 'g@example.com' }, 'getme');
    const res = await emu.call('GetUser', { ZoneId, UserId: created.UserId });
    conforms('GetUser', res);
    const { Password: _password, ...rest } = created;
    expect(ok(res).UserInfo).toEqual(rest);
  });

  test('an unknown user is ResourceNotFound.UserNotExist', async () => {
    expect(errorCode(await emu.call('GetUser', { ZoneId, UserId: 'u-nosuchuser00' }))).toBe('ResourceNotFound.UserNotExist');
  });
});

describe('UpdateUser', () => {
  test('changes the given members only and moves UpdateTime', async () => {
    const created = await newUser({ FirstName: 'Old', Description: 'keep me' }, 'upd');
    emu.clock.advance(60);
    const res = await emu.call('UpdateUser', { ZoneId, UserId: created.UserId, NewFirstName: 'New', NewEmail: 'new@example.com' });
    conforms('UpdateUser', res);
    expect(ok(res).UserInfo).toMatchObject({
      FirstName: 'New',
      Email: 'new@example.com',
      Description: 'keep me',
      UserName: 'upd',
      CreateTime: '2026-03-01 08:00:00',
      UpdateTime: '2026-03-01 08:01:00',
    });
  });

  test('an empty string clears a member; NeedResetPassword can be switched', async () => {
    const created = await newUser({ Description: 'something' });
    const res = await emu.call('UpdateUser', { ZoneId, UserId: created.UserId, NewDescription: '', NeedResetPassword: true });
    expect(ok(res).UserInfo).toMatchObject({ Description: '', NeedResetPassword: true });
  });

  test('an e-mail another user has is InvalidParameter.EmailAlreadyExists; the user’s own (in other case) is fine', async () => {
    await newUser({ Email: 'one@example.com' });
    const two = await newUser({ Email: 'two@example.com' });
    expect(errorCode(await emu.call('UpdateUser', { ZoneId, UserId: two.UserId, NewEmail: 'ONE@example.com' }))).toBe(
      'InvalidParameter.EmailAlreadyExists',
    );
    ok(await emu.call('UpdateUser', { ZoneId, UserId: two.UserId, NewEmail: 'Two@Example.com' }));
  });

  test('a member longer than CreateUser allows is InvalidParameterValue', async () => {
    const created = await newUser();
    const res = await emu.call('UpdateUser', { ZoneId, UserId: created.UserId, NewDisplayName: 'd'.repeat(257) });
    expect(errorCode(res)).toBe('InvalidParameterValue');
  });

  test('an unknown user is ResourceNotFound.UserNotExist', async () => {
    expect(errorCode(await emu.call('UpdateUser', { ZoneId, UserId: 'u-nosuchuser00', NewFirstName: 'x' }))).toBe(
      'ResourceNotFound.UserNotExist',
    );
  });

  test('every change bumps the version; an update that changes nothing does not', async () => {
    const created = await newUser({ FirstName: 'Same' });
    const version = () => emu.store.read((s) => findUser(s, ZoneId, created.UserId)!.version);
    expect(version()).toBe(1);
    ok(await emu.call('UpdateUser', { ZoneId, UserId: created.UserId, NewFirstName: 'Same' }));
    expect(version()).toBe(1);
    ok(await emu.call('UpdateUser', { ZoneId, UserId: created.UserId, NewFirstName: 'Other' }));
    expect(version()).toBe(2);
    ok(await emu.call('UpdateUserStatus', { ZoneId, UserId: created.UserId, NewUserStatus: 'Disabled' }));
    expect(version()).toBe(3);
  });
});

describe('UpdateUserStatus', () => {
  test('disables and enables a user', async () => {
    const created = await newUser();
    const res = await emu.call('UpdateUserStatus', { ZoneId, UserId: created.UserId, NewUserStatus: 'Disabled' });
    conforms('UpdateUserStatus', res);
    expect((ok(await emu.call('GetUser', { ZoneId, UserId: created.UserId })).UserInfo as UserInfo).UserStatus).toBe('Disabled');
    ok(await emu.call('UpdateUserStatus', { ZoneId, UserId: created.UserId, NewUserStatus: 'Enabled' }));
    expect((ok(await emu.call('GetUser', { ZoneId, UserId: created.UserId })).UserInfo as UserInfo).UserStatus).toBe('Enabled');
  });

  test('a status other than Enabled/Disabled is InvalidParameterValue', async () => {
    const created = await newUser();
    const res = await emu.call('UpdateUserStatus', { ZoneId, UserId: created.UserId, NewUserStatus: 'Locked' });
    expect(errorCode(res)).toBe('InvalidParameterValue');
  });

  test('an unknown user is ResourceNotFound.UserNotExist', async () => {
    const res = await emu.call('UpdateUserStatus', { ZoneId, UserId: 'u-nosuchuser00', NewUserStatus: 'Disabled' });
    expect(errorCode(res)).toBe('ResourceNotFound.UserNotExist');
  });
});

describe('DeleteUser', () => {
  test('deletes the user', async () => {
    const created = await newUser();
    const res = await emu.call('DeleteUser', { ZoneId, UserId: created.UserId });
    conforms('DeleteUser', res);
    expect(errorCode(await emu.call('GetUser', { ZoneId, UserId: created.UserId }))).toBe('ResourceNotFound.UserNotExist');
  });

  test('the name and e-mail of a deleted user are free again', async () => {
    const created = await newUser({ Email: 'reuse@example.com' }, 'reuse');
    ok(await emu.call('DeleteUser', { ZoneId, UserId: created.UserId }));
    await newUser({ Email: 'reuse@example.com' }, 'reuse');
  });

  test('a user still in a group is InvalidParameter.UserAlreadyExistsGroup; once removed it can be deleted', async () => {
    const user = await newUser();
    const group = ok(await emu.call('CreateGroup', { ZoneId, GroupName: 'team' })).GroupInfo as { GroupId: string };
    ok(await emu.call('AddUserToGroup', { ZoneId, GroupId: group.GroupId, UserId: user.UserId }));
    expect(errorCode(await emu.call('DeleteUser', { ZoneId, UserId: user.UserId }))).toBe('InvalidParameter.UserAlreadyExistsGroup');
    ok(await emu.call('RemoveUserFromGroup', { ZoneId, GroupId: group.GroupId, UserId: user.UserId }));
    ok(await emu.call('DeleteUser', { ZoneId, UserId: user.UserId }));
  });

  test('an unknown user is ResourceNotFound.UserNotExist', async () => {
    expect(errorCode(await emu.call('DeleteUser', { ZoneId, UserId: 'u-nosuchuser00' }))).toBe('ResourceNotFound.UserNotExist');
  });
});

describe('deleting a user through the domain for SCIM', () => {
  test('removes its memberships and bumps the groups it left', async () => {
    const { userId, groupId } = await emu.store.transact((s) => {
      const zone = zoneIn(s);
      const user = createUser(s, zone, { userName: 'leaver' }, dctx(), 'scim');
      const group = createGroup(s, zone, { groupName: 'left-behind' }, dctx(), 'scim');
      addMember(s, zone, group.groupId, user.userId, dctx(), 'scim');
      return { userId: user.userId, groupId: group.groupId };
    });
    const groupVersion = () => emu.store.dump().groups.find((g) => g.groupId === groupId)!.version;
    const before = groupVersion();
    emu.clock.advance(5);
    await emu.store.transact((s) => deleteUser(s, zoneIn(s), userId, 'scim', { ctx: dctx() }));
    expect(emu.store.dump().memberships.filter((m) => m.userId === userId)).toEqual([]);
    expect(groupVersion()).toBe(before + 1);
    const group = ok(await emu.call('GetGroup', { ZoneId, GroupId: groupId })).GroupInfo as Record<string, unknown>;
    expect(group).toMatchObject({ MemberCount: 0, UpdateTime: '2026-03-01 08:00:05' });
  });
});

describe('Synchronized users and SCIM synchronisation', () => {
  test('while sync is enabled the API cannot update, disable or delete a Synchronized user', async () => {
    const user = await scimUser('synced');
    expect(user.userType).toBe('Synchronized');
    await setSync('Enabled');
    expect(errorCode(await emu.call('UpdateUser', { ZoneId, UserId: user.userId, NewFirstName: 'x' }))).toBe(
      'FailedOperation.SynchronizedUserNotUpdate',
    );
    expect(errorCode(await emu.call('UpdateUserStatus', { ZoneId, UserId: user.userId, NewUserStatus: 'Disabled' }))).toBe(
      'FailedOperation.SynchronizedUserNotUpdate',
    );
    expect(errorCode(await emu.call('DeleteUser', { ZoneId, UserId: user.userId }))).toBe('FailedOperation.SynchronizedUserNotDelete');
    // Reading is still allowed.
    expect((ok(await emu.call('GetUser', { ZoneId, UserId: user.userId })).UserInfo as UserInfo).UserType).toBe('Synchronized');
  });

  test('while sync is enabled Manual users can still be changed through the API', async () => {
    const manual = await newUser();
    await setSync('Enabled');
    ok(await emu.call('UpdateUser', { ZoneId, UserId: manual.UserId, NewFirstName: 'x' }));
    ok(await emu.call('DeleteUser', { ZoneId, UserId: manual.UserId }));
  });

  test('once sync is disabled the API can change and delete Synchronized users', async () => {
    const user = await scimUser('was-synced');
    await setSync('Enabled');
    await setSync('Disabled');
    ok(await emu.call('UpdateUser', { ZoneId, UserId: user.userId, NewFirstName: 'x' }));
    ok(await emu.call('UpdateUserStatus', { ZoneId, UserId: user.userId, NewUserStatus: 'Disabled' }));
    ok(await emu.call('DeleteUser', { ZoneId, UserId: user.userId }));
  });

  test('the SCIM origin may change Synchronized users while sync is enabled', async () => {
    const user = await scimUser('idp-owned');
    await setSync('Enabled');
    const updated = await emu.store.transact((s) => updateUser(s, zoneIn(s), user.userId, { userName: 'idp-renamed' }, dctx(), 'scim'));
    expect(updated).toMatchObject({ userName: 'idp-renamed', version: 2 });
  });
});

describe('ListUsers', () => {
  const list = (params: Record<string, unknown> = {}) => emu.call('ListUsers', { ZoneId, ...params });

  test('an empty zone lists [] with TotalCounts 0, not truncated, NextToken ""', async () => {
    const res = await list();
    conforms('ListUsers', res);
    expect(ok(res)).toMatchObject({ Users: [], TotalCounts: 0, MaxResults: 10, IsTruncated: false, NextToken: '' });
  });

  test('lists oldest first by default, 10 per page', async () => {
    const names: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      names.push((await newUser({}, `order${i}`)).UserName);
      emu.clock.advance(1);
    }
    const res = await list();
    conforms('ListUsers', res);
    const body = ok(res);
    expect((body.Users as UserInfo[]).map((u) => u.UserName)).toEqual(names.slice(0, 10));
    expect(body).toMatchObject({ TotalCounts: 12, MaxResults: 10, IsTruncated: true });
    const desc = ok(await list({ SortField: 'CreateTime', SortType: 'Desc', MaxResults: 3 }));
    expect((desc.Users as UserInfo[]).map((u) => u.UserName)).toEqual(['order11', 'order10', 'order9']);
  });

  test('paging through 25 users while others are created and deleted returns every survivor exactly once', async () => {
    const created: string[] = [];
    for (let i = 0; i < 25; i += 1) {
      created.push((await newUser({}, `page${String(i).padStart(2, '0')}`)).UserId);
      if (i % 2 === 1) emu.clock.advance(1); // pairs share a CreateTime: ties are broken by UserId
    }
    const seen: string[] = [];
    const deleted = new Set<string>();
    const added: string[] = [];
    let token: string | undefined;
    for (let pageNo = 0; pageNo < 10; pageNo += 1) {
      const body = ok(await list({ MaxResults: 10, ...(token ? { NextToken: token } : {}) }));
      const ids = (body.Users as UserInfo[]).map((u) => u.UserId);
      seen.push(...ids);
      if (!body.IsTruncated) {
        expect(body.NextToken).toBe('');
        break;
      }
      token = body.NextToken as string;
      // Between pages: delete the last user returned (the token's cursor), one already seen,
      // and one not yet seen; create two new users.
      const unseen = created.find((id) => !seen.includes(id) && !deleted.has(id))!;
      for (const id of [ids[ids.length - 1]!, ids[0]!, unseen]) {
        if (deleted.has(id)) continue;
        ok(await emu.call('DeleteUser', { ZoneId, UserId: id }));
        deleted.add(id);
      }
      emu.clock.advance(10);
      for (let k = 0; k < 2; k += 1) added.push((await newUser()).UserId);
    }
    expect(new Set(seen).size).toBe(seen.length); // no repeats
    const survivors = created.filter((id) => !deleted.has(id));
    for (const id of survivors) expect(seen).toContain(id); // no gaps
    const deletedUnseen = [...deleted].filter((id) => !seen.includes(id));
    expect(deletedUnseen.length).toBeGreaterThan(0);
    for (const id of added.filter((a) => !deleted.has(a))) expect(seen).toContain(id); // later users sort after the cursor
  });

  test('Filter matches the user name, e-mail, user ID or description, case-insensitively', async () => {
    const byName = await newUser({}, 'FilterByName');
    const byEmail = await newUser({ Email: 'SomeMail@Example.com' }, 'e1');
    const byDesc = await newUser({ Description: 'Contractor from ACME' }, 'd1');
    await newUser({ FirstName: 'acme', DisplayName: 'acme' }, 'nomatch'); // first/display names are not searched
    const names = async (filter: string) =>
      ((ok(await list({ Filter: filter })).Users as UserInfo[]).map((u) => u.UserName)).sort();
    expect(await names('filterby')).toEqual([byName.UserName]);
    expect(await names('SOMEMAIL@')).toEqual([byEmail.UserName]);
    expect(await names('acme')).toEqual([byDesc.UserName]);
    expect(await names(byEmail.UserId.toUpperCase())).toEqual([byEmail.UserName]);
    expect(ok(await list({ Filter: 'nothing-like-this' }))).toMatchObject({ Users: [], TotalCounts: 0 });
  });

  test('UserStatus and UserType filter the list', async () => {
    await newUser({ UserStatus: 'Disabled' }, 'disabled1');
    await newUser({}, 'enabled1');
    await scimUser('synced1');
    const names = async (params: Record<string, unknown>) =>
      ((ok(await list(params)).Users as UserInfo[]).map((u) => u.UserName)).sort();
    expect(await names({ UserStatus: 'Disabled' })).toEqual(['disabled1']);
    expect(await names({ UserType: 'Synchronized' })).toEqual(['synced1']);
    expect(await names({ UserType: 'Manual', UserStatus: 'Enabled' })).toEqual(['enabled1']);
  });

  test.each([
    [{ UserStatus: 'Locked' }],
    [{ UserType: 'Imported' }],
    [{ SortField: 'UserName' }],
    [{ SortType: 'Sideways' }],
    [{ Offset: -1 }],
  ])('the invalid list parameter %j is InvalidParameter.ParamError', async (params) => {
    expect(errorCode(await list(params))).toBe('InvalidParameter.ParamError');
  });

  test('a MaxResults outside 1-100 is refused', async () => {
    expect(errorCode(await list({ MaxResults: 0 }))).toMatch(/^InvalidParameter/);
    expect(errorCode(await list({ MaxResults: 101 }))).toMatch(/^InvalidParameter/);
  });

  test('FilterGroups sets IsSelected on every user (true for members of those groups) without filtering', async () => {
    const member = await newUser({}, 'member');
    emu.clock.advance(1);
    const outsider = await newUser({}, 'outsider');
    const group = ok(await emu.call('CreateGroup', { ZoneId, GroupName: 'selected' })).GroupInfo as { GroupId: string };
    ok(await emu.call('AddUserToGroup', { ZoneId, GroupId: group.GroupId, UserId: member.UserId }));
    const res = await list({ FilterGroups: [group.GroupId, 'g-nosuchgroup0'] });
    conforms('ListUsers', res);
    const users = ok(res).Users as UserInfo[];
    expect(users.map((u) => [u.UserId, u.IsSelected])).toEqual([
      [member.UserId, true],
      [outsider.UserId, false],
    ]);
    const plain = ok(await list()).Users as UserInfo[];
    expect(plain.every((u) => !('IsSelected' in u))).toBe(true);
  });

  test('Offset skips users when no NextToken is given', async () => {
    for (let i = 0; i < 5; i += 1) {
      await newUser({}, `off${i}`);
      emu.clock.advance(1);
    }
    const body = ok(await list({ Offset: 3 }));
    expect((body.Users as UserInfo[]).map((u) => u.UserName)).toEqual(['off3', 'off4']);
    expect(body).toMatchObject({ TotalCounts: 5, IsTruncated: false });
  });

  test('a forged or garbled NextToken is InvalidParameter.NextTokenInvalid', async () => {
    const forged = Buffer.from(JSON.stringify({ v: 1, t: '2026-03-01T00:00:00.000Z', i: 'u-x', q: 'x' })).toString('base64url');
    expect(errorCode(await list({ NextToken: `${forged}.AAAAAAAAAAAAAAAAAAAAAA` }))).toBe('InvalidParameter.NextTokenInvalid');
    expect(errorCode(await list({ NextToken: 'OTM0YzE4MzY2ZjdhMWM0MYZDhnYaxsiYTLI=' }))).toBe('InvalidParameter.NextTokenInvalid');
  });

  test('a NextToken used with different filters is InvalidParameter.NextTokenInvalid', async () => {
    for (let i = 0; i < 3; i += 1) await newUser({}, `tok${i}`);
    const first = ok(await list({ MaxResults: 1, Filter: 'tok' }));
    expect(first.IsTruncated).toBe(true);
    expect(errorCode(await list({ MaxResults: 1, Filter: 'other', NextToken: first.NextToken }))).toBe(
      'InvalidParameter.NextTokenInvalid',
    );
    expect(errorCode(await list({ MaxResults: 1, Filter: 'tok', SortType: 'Desc', NextToken: first.NextToken }))).toBe(
      'InvalidParameter.NextTokenInvalid',
    );
    // MaxResults may change between pages.
    ok(await list({ MaxResults: 5, Filter: 'tok', NextToken: first.NextToken }));
  });

  test('users of other zones are never listed', async () => {
    await newUser({}, 'mine');
    const opened = ok(await emu.call('OpenIdentityCenter', { ZoneName: 'other-zone' }, asOther()));
    ok(await emu.call('CreateUser', { ZoneId: opened.ZoneId, UserName: 'theirs' }, asOther()));
    const names = (ok(await list()).Users as UserInfo[]).map((u) => u.UserName);
    expect(names).toEqual(['mine']);
  });

  // Users in a page are remembered per record (frozen, with their JSON text): a change must show at once.
  test('a page shows every change at once: UpdateUser, UpdateUserStatus, DeleteUser', async () => {
    const alice = await newUser({ Description: 'before' }, 'memo-alice');
    emu.clock.advance(1);
    const bob = await newUser({}, 'memo-bob');
    const page = async () => (ok(await list({ MaxResults: 100 })).Users as UserInfo[]).filter((u) => u.UserName.startsWith('memo-'));
    expect((await page()).map((u) => u.Description)).toEqual(['before', '']);
    expect(ok(await emu.call('GetUser', { ZoneId, UserId: alice.UserId })).UserInfo).toEqual((await page())[0]);

    emu.clock.advance(3600);
    ok(await emu.call('UpdateUser', { ZoneId, UserId: alice.UserId, NewDescription: 'after' }));
    const [updated] = await page();
    expect(updated).toMatchObject({ Description: 'after', UpdateTime: '2026-03-01 09:00:01', CreateTime: '2026-03-01 08:00:00' });
    expect(ok(await emu.call('GetUser', { ZoneId, UserId: alice.UserId })).UserInfo).toEqual(updated);

    ok(await emu.call('UpdateUserStatus', { ZoneId, UserId: bob.UserId, NewUserStatus: 'Disabled' }));
    expect((await page()).map((u) => u.UserStatus)).toEqual(['Enabled', 'Disabled']);

    ok(await emu.call('DeleteUser', { ZoneId, UserId: bob.UserId }));
    expect((await page()).map((u) => u.UserName)).toEqual(['memo-alice']);
  });

  test('the page is the same JSON a fresh rendering gives (the remembered texts are exact)', async () => {
    await newUser({ FirstName: 'Ünï', LastName: 'cøde "quoted"', Email: 'u@example.com' }, 'memo-exact');
    const first = await list({ MaxResults: 100 });
    const again = await list({ MaxResults: 100 });
    const strip = (text: string) => text.replace(/"RequestId":"[^"]*"/, '');
    expect(strip(again.text)).toBe(strip(first.text));
    expect(strip(first.text)).toBe(strip(JSON.stringify(JSON.parse(first.text))));
  });

});
