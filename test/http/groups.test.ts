import { createGroup, deleteGroup, findGroup } from '../../src/domain/groups.js';
import { addMember, membersOf, setMembers } from '../../src/domain/memberships.js';
import { createUser } from '../../src/domain/users.js';
import type { GroupInfo, GroupMembers, JoinedGroups, UserInfo } from '../../src/generated/organization-2021-03-31.js';
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

let counter = 0;
async function newGroup(params: Record<string, unknown> = {}, groupName = `group-${(counter += 1)}`) {
  return ok(await emu.call('CreateGroup', { ZoneId, GroupName: groupName, ...params })).GroupInfo as GroupInfo;
}
async function newUser(userName = `user${(counter += 1)}`, params: Record<string, unknown> = {}) {
  return ok(await emu.call('CreateUser', { ZoneId, UserName: userName, ...params })).UserInfo as UserInfo;
}
const add = async (group: GroupInfo, user: UserInfo) =>
  ok(await emu.call('AddUserToGroup', { ZoneId, GroupId: group.GroupId, UserId: user.UserId }));
const getGroup = async (groupId: string) => ok(await emu.call('GetGroup', { ZoneId, GroupId: groupId })).GroupInfo as GroupInfo;

const zoneIn = (s: DbView): Zone => s.zones.get(ZoneId)!;
const dctx = () => domainCtx(emu);
const scimUser = (userName: string) => emu.store.transact((s) => createUser(s, zoneIn(s), { userName }, dctx(), 'scim'));
const scimGroup = (groupName: string) => emu.store.transact((s) => createGroup(s, zoneIn(s), { groupName }, dctx(), 'scim'));
const setSync = async (status: 'Enabled' | 'Disabled') =>
  ok(await emu.call('UpdateSCIMSynchronizationStatus', { ZoneId, SCIMSynchronizationStatus: status }));

describe('CreateGroup', () => {
  test('creates a Manual group with an ID of g- and 12 lowercase letters/digits and no members', async () => {
    const res = await emu.call('CreateGroup', { ZoneId, GroupName: 'testGroup', Description: 'this is group' });
    conforms('CreateGroup', res);
    const info = ok(res).GroupInfo as GroupInfo;
    expect(info).toEqual({
      GroupName: 'testGroup',
      Description: 'this is group',
      CreateTime: '2026-03-01 08:00:00',
      GroupType: 'Manual',
      UpdateTime: '2026-03-01 08:00:00',
      GroupId: expect.stringMatching(/^g-[a-z0-9]{12}$/),
      MemberCount: 0,
    });
  });

  test.each([['a'], ['a'.repeat(128)], ['Team-01'], ['-']])('accepts the group name %j', async (name) => {
    expect((await newGroup({}, name)).GroupName).toBe(name);
  });

  test.each([[''], ['a'.repeat(129)], ['with space'], ['under_score'], ['dot.name'], ['at@sign'], ['组']])(
    'rejects the group name %j with InvalidParameter.GroupNameFormatError',
    async (name) => {
      expect(errorCode(await emu.call('CreateGroup', { ZoneId, GroupName: name }))).toBe('InvalidParameter.GroupNameFormatError');
    },
  );

  test('group names are unique within the zone, compared case-insensitively', async () => {
    await newGroup({}, 'Admins');
    expect(errorCode(await emu.call('CreateGroup', { ZoneId, GroupName: 'admins' }))).toBe('InvalidParameter.GroupNameAlreadyExists');
  });

  test('a description over 1024 characters is InvalidParameterValue', async () => {
    const res = await emu.call('CreateGroup', { ZoneId, GroupName: 'long', Description: 'd'.repeat(1025) });
    expect(errorCode(res)).toBe('InvalidParameterValue');
  });

  test('GroupType Synchronized is recorded as asked; an unknown GroupType is InvalidParameterValue', async () => {
    expect((await newGroup({ GroupType: 'Synchronized' })).GroupType).toBe('Synchronized');
    expect(errorCode(await emu.call('CreateGroup', { ZoneId, GroupName: 'bad-type', GroupType: 'Other' }))).toBe(
      'InvalidParameterValue',
    );
  });

  test('a zone at its group quota refuses another group with FailedOperation.GroupOverUpperLimit', async () => {
    await emu.store.transact((s) => {
      for (let i = 0; i < DEFAULT_QUOTAS.groupsPerZone; i += 1) createGroup(s, zoneIn(s), { groupName: `bulk-${i}` }, dctx(), 'api');
    });
    expect(errorCode(await emu.call('CreateGroup', { ZoneId, GroupName: 'one-more' }))).toBe('FailedOperation.GroupOverUpperLimit');
  });

  test('a ZoneId that is not the caller’s is FailedOperation.ZoneIdNotExist', async () => {
    expect(errorCode(await emu.call('CreateGroup', { ZoneId: 'z-nosuchzone00', GroupName: 'x' }))).toBe('FailedOperation.ZoneIdNotExist');
  });
});

describe('GetGroup', () => {
  test('returns the group with its MemberCount', async () => {
    const group = await newGroup();
    await add(group, await newUser());
    await add(group, await newUser());
    const res = await emu.call('GetGroup', { ZoneId, GroupId: group.GroupId });
    conforms('GetGroup', res);
    expect(ok(res).GroupInfo).toMatchObject({ GroupId: group.GroupId, MemberCount: 2 });
  });

  test('an unknown group is InvalidParameter.GroupNotExist', async () => {
    expect(errorCode(await emu.call('GetGroup', { ZoneId, GroupId: 'g-nosuchgroup0' }))).toBe('InvalidParameter.GroupNotExist');
  });
});

describe('UpdateGroup', () => {
  test('renames and re-describes a group and moves UpdateTime', async () => {
    const group = await newGroup({ Description: 'old' }, 'before');
    emu.clock.advance(90);
    const res = await emu.call('UpdateGroup', { ZoneId, GroupId: group.GroupId, NewGroupName: 'after', NewDescription: 'new' });
    conforms('UpdateGroup', res);
    expect(ok(res).GroupInfo).toMatchObject({
      GroupName: 'after',
      Description: 'new',
      CreateTime: '2026-03-01 08:00:00',
      UpdateTime: '2026-03-01 08:01:30',
    });
  });

  test('a name another group has is InvalidParameter.GroupNameAlreadyExists; a new case of its own name is fine', async () => {
    await newGroup({}, 'taken');
    const group = await newGroup({}, 'mine');
    expect(errorCode(await emu.call('UpdateGroup', { ZoneId, GroupId: group.GroupId, NewGroupName: 'TAKEN' }))).toBe(
      'InvalidParameter.GroupNameAlreadyExists',
    );
    ok(await emu.call('UpdateGroup', { ZoneId, GroupId: group.GroupId, NewGroupName: 'MINE' }));
  });

  test('an invalid new name is InvalidParameter.GroupNameFormatError', async () => {
    const group = await newGroup();
    expect(errorCode(await emu.call('UpdateGroup', { ZoneId, GroupId: group.GroupId, NewGroupName: 'has space' }))).toBe(
      'InvalidParameter.GroupNameFormatError',
    );
  });

  test('an unknown group is InvalidParameter.GroupNotExist', async () => {
    expect(errorCode(await emu.call('UpdateGroup', { ZoneId, GroupId: 'g-nosuchgroup0', NewDescription: 'x' }))).toBe(
      'InvalidParameter.GroupNotExist',
    );
  });
});

describe('DeleteGroup', () => {
  test('deletes an empty group', async () => {
    const group = await newGroup();
    const res = await emu.call('DeleteGroup', { ZoneId, GroupId: group.GroupId });
    conforms('DeleteGroup', res);
    expect(errorCode(await emu.call('GetGroup', { ZoneId, GroupId: group.GroupId }))).toBe('InvalidParameter.GroupNotExist');
  });

  test('a group that still has members is FailedOperation.DeleteGroupNotAllowExistUser', async () => {
    const group = await newGroup();
    const user = await newUser();
    await add(group, user);
    expect(errorCode(await emu.call('DeleteGroup', { ZoneId, GroupId: group.GroupId }))).toBe(
      'FailedOperation.DeleteGroupNotAllowExistUser',
    );
    ok(await emu.call('RemoveUserFromGroup', { ZoneId, GroupId: group.GroupId, UserId: user.UserId }));
    ok(await emu.call('DeleteGroup', { ZoneId, GroupId: group.GroupId }));
  });

  test('the domain deletes a group with members for SCIM, dropping its memberships', async () => {
    const group = await newGroup();
    const user = await newUser();
    await add(group, user);
    await emu.store.transact((s) => deleteGroup(s, zoneIn(s), group.GroupId, 'scim'));
    expect(emu.store.dump().memberships).toEqual([]);
    const joined = ok(await emu.call('ListJoinedGroupsForUser', { ZoneId, UserId: user.UserId }));
    expect(joined).toMatchObject({ JoinedGroups: [], TotalCounts: 0 });
    // The API may ask for the same with removeMembers.
    const other = await newGroup();
    await add(other, user);
    await emu.store.transact((s) => deleteGroup(s, zoneIn(s), other.GroupId, 'api', { removeMembers: true }));
    expect(emu.store.dump().memberships).toEqual([]);
  });

  test('an unknown group is InvalidParameter.GroupNotExist', async () => {
    expect(errorCode(await emu.call('DeleteGroup', { ZoneId, GroupId: 'g-nosuchgroup0' }))).toBe('InvalidParameter.GroupNotExist');
  });
});

describe('AddUserToGroup / RemoveUserFromGroup', () => {
  test('adding a user counts it in MemberCount; removing it uncounts it', async () => {
    const group = await newGroup();
    const user = await newUser();
    const res = await emu.call('AddUserToGroup', { ZoneId, GroupId: group.GroupId, UserId: user.UserId });
    conforms('AddUserToGroup', res);
    expect((await getGroup(group.GroupId)).MemberCount).toBe(1);
    const removed = await emu.call('RemoveUserFromGroup', { ZoneId, GroupId: group.GroupId, UserId: user.UserId });
    conforms('RemoveUserFromGroup', removed);
    expect((await getGroup(group.GroupId)).MemberCount).toBe(0);
  });

  test('adding a member bumps the group’s version and UpdateTime', async () => {
    const group = await newGroup();
    emu.clock.advance(30);
    await add(group, await newUser());
    expect(emu.store.read((s) => findGroup(s, ZoneId, group.GroupId)!.version)).toBe(2);
    expect((await getGroup(group.GroupId)).UpdateTime).toBe('2026-03-01 08:00:30');
  });

  test('adding a user twice is InvalidParameter.GroupUserAlreadyExists', async () => {
    const group = await newGroup();
    const user = await newUser();
    await add(group, user);
    expect(errorCode(await emu.call('AddUserToGroup', { ZoneId, GroupId: group.GroupId, UserId: user.UserId }))).toBe(
      'InvalidParameter.GroupUserAlreadyExists',
    );
  });

  test('removing a user that is not a member (or does not exist) is InvalidParameter.GroupUserNotExist', async () => {
    const group = await newGroup();
    const user = await newUser();
    expect(errorCode(await emu.call('RemoveUserFromGroup', { ZoneId, GroupId: group.GroupId, UserId: user.UserId }))).toBe(
      'InvalidParameter.GroupUserNotExist',
    );
    expect(errorCode(await emu.call('RemoveUserFromGroup', { ZoneId, GroupId: group.GroupId, UserId: 'u-nosuchuser00' }))).toBe(
      'InvalidParameter.GroupUserNotExist',
    );
  });

  test('an unknown group is InvalidParameter.GroupNotExist; an unknown user is ResourceNotFound.UserNotExist', async () => {
    const group = await newGroup();
    const user = await newUser();
    expect(errorCode(await emu.call('AddUserToGroup', { ZoneId, GroupId: 'g-nosuchgroup0', UserId: user.UserId }))).toBe(
      'InvalidParameter.GroupNotExist',
    );
    expect(errorCode(await emu.call('AddUserToGroup', { ZoneId, GroupId: group.GroupId, UserId: 'u-nosuchuser00' }))).toBe(
      'ResourceNotFound.UserNotExist',
    );
    expect(errorCode(await emu.call('RemoveUserFromGroup', { ZoneId, GroupId: 'g-nosuchgroup0', UserId: user.UserId }))).toBe(
      'InvalidParameter.GroupNotExist',
    );
  });

  test('a Manual user cannot join a Synchronized group (FailedOperation.GroupTypeUserTypeNotMatch); a Synchronized user may join a Manual group', async () => {
    const synced = await scimGroup('idp-group');
    const manualUser = await newUser();
    const res = await emu.call('AddUserToGroup', { ZoneId, GroupId: synced.groupId, UserId: manualUser.UserId });
    expect(errorCode(res)).toBe('FailedOperation.GroupTypeUserTypeNotMatch');
    const syncedUser = await scimUser('idp-user');
    ok(await emu.call('AddUserToGroup', { ZoneId, GroupId: synced.groupId, UserId: syncedUser.userId }));
    const manualGroup = await newGroup();
    ok(await emu.call('AddUserToGroup', { ZoneId, GroupId: manualGroup.GroupId, UserId: syncedUser.userId }));
  });
});

describe('Synchronized groups and SCIM synchronisation', () => {
  test('while sync is enabled the API cannot update, delete, add to or remove from a Synchronized group', async () => {
    const group = await scimGroup('synced-group');
    const member = await scimUser('synced-member');
    const other = await scimUser('synced-other');
    await emu.store.transact((s) => addMember(s, zoneIn(s), group.groupId, member.userId, dctx(), 'scim'));
    await setSync('Enabled');
    const GroupId = group.groupId;
    expect(errorCode(await emu.call('UpdateGroup', { ZoneId, GroupId, NewDescription: 'x' }))).toBe(
      'FailedOperation.SynchronizedGroupNotUpdate',
    );
    expect(errorCode(await emu.call('DeleteGroup', { ZoneId, GroupId }))).toBe('FailedOperation.SynchronizedGroupNotDelete');
    expect(errorCode(await emu.call('AddUserToGroup', { ZoneId, GroupId, UserId: other.userId }))).toBe(
      'FailedOperation.SynchronizedGroupNotAddUser',
    );
    expect(errorCode(await emu.call('RemoveUserFromGroup', { ZoneId, GroupId, UserId: member.userId }))).toBe(
      'FailedOperation.SynchronizedGroupNotRemoveUser',
    );
    expect((await getGroup(GroupId)).MemberCount).toBe(1);
  });

  test('while sync is enabled Manual groups can still be changed through the API', async () => {
    const group = await newGroup();
    await setSync('Enabled');
    ok(await emu.call('UpdateGroup', { ZoneId, GroupId: group.GroupId, NewDescription: 'x' }));
    const user = await newUser();
    await add(group, user);
    ok(await emu.call('RemoveUserFromGroup', { ZoneId, GroupId: group.GroupId, UserId: user.UserId }));
    ok(await emu.call('DeleteGroup', { ZoneId, GroupId: group.GroupId }));
  });

  test('once sync is disabled the API can change Synchronized groups', async () => {
    const group = await scimGroup('was-synced');
    const user = await scimUser('was-synced-user');
    await setSync('Enabled');
    await setSync('Disabled');
    const GroupId = group.groupId;
    ok(await emu.call('UpdateGroup', { ZoneId, GroupId, NewDescription: 'x' }));
    ok(await emu.call('AddUserToGroup', { ZoneId, GroupId, UserId: user.userId }));
    ok(await emu.call('RemoveUserFromGroup', { ZoneId, GroupId, UserId: user.userId }));
    ok(await emu.call('DeleteGroup', { ZoneId, GroupId }));
  });

  test('the SCIM origin may change Synchronized groups while sync is enabled', async () => {
    const group = await scimGroup('idp-managed');
    const user = await scimUser('idp-managed-user');
    await setSync('Enabled');
    await emu.store.transact((s) => addMember(s, zoneIn(s), group.groupId, user.userId, dctx(), 'scim'));
    await emu.store.transact((s) => deleteGroup(s, zoneIn(s), group.groupId, 'scim'));
    expect(emu.store.dump().groups).toEqual([]);
  });
});

describe('setMembers (SCIM replace of a group’s members)', () => {
  test('makes the members exactly the given users, keeping the JoinTime of those who stay', async () => {
    const [a, b, c] = [await scimUser('sa'), await scimUser('sb'), await scimUser('sc')];
    const group = await scimGroup('replace-me');
    await emu.store.transact((s) => setMembers(s, zoneIn(s), group.groupId, [a.userId, b.userId], dctx(), 'scim'));
    emu.clock.advance(60);
    await emu.store.transact((s) => setMembers(s, zoneIn(s), group.groupId, [b.userId, c.userId, c.userId], dctx(), 'scim'));
    const members = emu.store.read((s) => membersOf(s, group.groupId)).map((m) => [m.user.userName, m.joinTime]);
    expect(members).toEqual([
      ['sb', '2026-03-01T00:00:00.000Z'],
      ['sc', '2026-03-01T00:01:00.000Z'],
    ]);
  });

  test('an unknown user fails the whole replace and changes nothing', async () => {
    const a = await scimUser('keep');
    const group = await scimGroup('atomic');
    await emu.store.transact((s) => setMembers(s, zoneIn(s), group.groupId, [a.userId], dctx(), 'scim'));
    const before = JSON.stringify(emu.store.dump());
    await expect(
      emu.store.transact((s) => setMembers(s, zoneIn(s), group.groupId, ['u-nosuchuser00'], dctx(), 'scim')),
    ).rejects.toMatchObject({ code: 'ResourceNotFound.UserNotExist' });
    expect(JSON.stringify(emu.store.dump())).toBe(before);
  });

  test('the same member set does not bump the group; a different one does', async () => {
    const a = await scimUser('same');
    const group = await scimGroup('versioned');
    const version = () => emu.store.read((s) => findGroup(s, ZoneId, group.groupId)!.version);
    await emu.store.transact((s) => setMembers(s, zoneIn(s), group.groupId, [a.userId], dctx(), 'scim'));
    expect(version()).toBe(2);
    await emu.store.transact((s) => setMembers(s, zoneIn(s), group.groupId, [a.userId], dctx(), 'scim'));
    expect(version()).toBe(2);
    await emu.store.transact((s) => setMembers(s, zoneIn(s), group.groupId, [], dctx(), 'scim'));
    expect(version()).toBe(3);
  });
});

describe('ListGroupMembers', () => {
  test('lists the members with their JoinTime, oldest first, paged by NextToken', async () => {
    const group = await newGroup();
    const users: UserInfo[] = [];
    for (let i = 0; i < 3; i += 1) {
      const user = await newUser(`member${i}`, { Email: `m${i}@example.com`, Description: `d${i}` });
      emu.clock.advance(1);
      await add(group, user);
      users.push(user);
    }
    const first = await emu.call('ListGroupMembers', { ZoneId, GroupId: group.GroupId, MaxResults: 2 });
    conforms('ListGroupMembers', first);
    const page1 = ok(first);
    expect(page1).toMatchObject({ TotalCounts: 3, MaxResults: 2, IsTruncated: true });
    expect(page1.GroupMembers as GroupMembers[]).toEqual([
      {
        UserName: 'member0',
        DisplayName: '',
        Description: 'd0',
        Email: 'm0@example.com',
        UserStatus: 'Enabled',
        UserType: 'Manual',
        UserId: users[0]!.UserId,
        JoinTime: '2026-03-01 08:00:01',
      },
      expect.objectContaining({ UserName: 'member1', JoinTime: '2026-03-01 08:00:02' }),
    ]);
    const page2 = ok(await emu.call('ListGroupMembers', { ZoneId, GroupId: group.GroupId, MaxResults: 2, NextToken: page1.NextToken }));
    expect(page2).toMatchObject({ IsTruncated: false, NextToken: '' });
    expect((page2.GroupMembers as GroupMembers[]).map((m) => m.UserName)).toEqual(['member2']);
  });

  test('UserType filters the members; an unknown UserType is InvalidParameter.UserTypeError', async () => {
    const group = await newGroup();
    await add(group, await newUser('manual-one'));
    const synced = await scimUser('synced-one');
    await add(group, { UserId: synced.userId } as UserInfo);
    const names = async (UserType: string) =>
      ((ok(await emu.call('ListGroupMembers', { ZoneId, GroupId: group.GroupId, UserType })).GroupMembers as GroupMembers[]).map(
        (m) => m.UserName,
      ));
    expect(await names('Synchronized')).toEqual(['synced-one']);
    expect(await names('Manual')).toEqual(['manual-one']);
    expect(errorCode(await emu.call('ListGroupMembers', { ZoneId, GroupId: group.GroupId, UserType: 'x' }))).toBe(
      'InvalidParameter.UserTypeError',
    );
  });

  test('an empty group lists []; an unknown group is InvalidParameter.GroupNotExist', async () => {
    const group = await newGroup();
    expect(ok(await emu.call('ListGroupMembers', { ZoneId, GroupId: group.GroupId }))).toMatchObject({
      GroupMembers: [],
      TotalCounts: 0,
      IsTruncated: false,
      NextToken: '',
    });
    expect(errorCode(await emu.call('ListGroupMembers', { ZoneId, GroupId: 'g-nosuchgroup0' }))).toBe('InvalidParameter.GroupNotExist');
  });

  test('a NextToken of another group’s member list is InvalidParameter.NextTokenInvalid', async () => {
    const [g1, g2] = [await newGroup(), await newGroup()];
    for (let i = 0; i < 2; i += 1) await add(g1, await newUser());
    const page = ok(await emu.call('ListGroupMembers', { ZoneId, GroupId: g1.GroupId, MaxResults: 1 }));
    const res = await emu.call('ListGroupMembers', { ZoneId, GroupId: g2.GroupId, NextToken: page.NextToken });
    expect(errorCode(res)).toBe('InvalidParameter.NextTokenInvalid');
  });
});

describe('ListJoinedGroupsForUser', () => {
  test('lists the groups a user joined with their JoinTime', async () => {
    const user = await newUser();
    const [g1, g2] = [await newGroup({ Description: 'first' }, 'joined-1'), await newGroup({}, 'joined-2')];
    await newGroup({}, 'not-joined');
    await add(g1, user);
    emu.clock.advance(5);
    await add(g2, user);
    const res = await emu.call('ListJoinedGroupsForUser', { ZoneId, UserId: user.UserId });
    conforms('ListJoinedGroupsForUser', res);
    const body = ok(res);
    expect(body).toMatchObject({ TotalCounts: 2, MaxResults: 10, IsTruncated: false, NextToken: '' });
    expect(body.JoinedGroups as JoinedGroups[]).toEqual([
      { GroupName: 'joined-1', Description: 'first', GroupId: g1.GroupId, GroupType: 'Manual', JoinTime: '2026-03-01 08:00:00' },
      { GroupName: 'joined-2', Description: '', GroupId: g2.GroupId, GroupType: 'Manual', JoinTime: '2026-03-01 08:00:05' },
    ]);
  });

  test('a user in no group lists []; an unknown user is ResourceNotFound.UserNotExist', async () => {
    const user = await newUser();
    expect(ok(await emu.call('ListJoinedGroupsForUser', { ZoneId, UserId: user.UserId }))).toMatchObject({
      JoinedGroups: [],
      TotalCounts: 0,
    });
    expect(errorCode(await emu.call('ListJoinedGroupsForUser', { ZoneId, UserId: 'u-nosuchuser00' }))).toBe(
      'ResourceNotFound.UserNotExist',
    );
  });
});

describe('ListGroups', () => {
  const list = (params: Record<string, unknown> = {}) => emu.call('ListGroups', { ZoneId, ...params });
  const names = async (params: Record<string, unknown> = {}) =>
    ((ok(await list(params)).Groups as GroupInfo[]).map((g) => g.GroupName));

  test('an empty zone lists [] with TotalCounts 0', async () => {
    const res = await list();
    conforms('ListGroups', res);
    expect(ok(res)).toMatchObject({ Groups: [], TotalCounts: 0, MaxResults: 10, IsTruncated: false, NextToken: '' });
  });

  test('lists groups oldest first with their MemberCount; SortType Desc reverses', async () => {
    const a = await newGroup({}, 'alpha');
    emu.clock.advance(1);
    await newGroup({}, 'beta');
    await add(a, await newUser());
    const res = await list();
    conforms('ListGroups', res);
    expect((ok(res).Groups as GroupInfo[]).map((g) => [g.GroupName, g.MemberCount])).toEqual([
      ['alpha', 1],
      ['beta', 0],
    ]);
    expect(await names({ SortField: 'CreateTime', SortType: 'Desc' })).toEqual(['beta', 'alpha']);
  });

  test('Filter "GroupName eq|sw <value>" matches exactly or by prefix, case-insensitively; other text is a substring', async () => {
    for (const name of ['test', 'testgroup', 'Tester', 'my-test']) {
      await newGroup({}, name);
      emu.clock.advance(1);
    }
    expect(await names({ Filter: 'GroupName eq testgroup' })).toEqual(['testgroup']);
    expect(await names({ Filter: 'groupname EQ TEST' })).toEqual(['test']);
    expect(await names({ Filter: 'GroupName sw test' })).toEqual(['test', 'testgroup', 'Tester']);
    expect(await names({ Filter: 'TEST' })).toEqual(['test', 'testgroup', 'Tester', 'my-test']);
    expect(await names({ Filter: 'group' })).toEqual(['testgroup']);
  });

  test('GroupType filters the list; an unknown GroupType is InvalidParameter.ParamError', async () => {
    await newGroup({}, 'manual');
    await scimGroup('synced');
    expect(await names({ GroupType: 'Synchronized' })).toEqual(['synced']);
    expect(await names({ GroupType: 'Manual' })).toEqual(['manual']);
    expect(errorCode(await list({ GroupType: 'Other' }))).toBe('InvalidParameter.ParamError');
  });

  test('FilterUsers sets IsSelected on every group (true when it contains one of the users) without filtering', async () => {
    const user = await newUser();
    const withUser = await newGroup({}, 'with-user');
    emu.clock.advance(1);
    await newGroup({}, 'without-user');
    await add(withUser, user);
    const res = await list({ FilterUsers: [user.UserId] });
    conforms('ListGroups', res);
    expect((ok(res).Groups as GroupInfo[]).map((g) => [g.GroupName, g.IsSelected])).toEqual([
      ['with-user', true],
      ['without-user', false],
    ]);
    expect((ok(await list()).Groups as GroupInfo[]).every((g) => !('IsSelected' in g))).toBe(true);
  });

  test('NextToken walks all groups; Offset skips without one', async () => {
    for (let i = 0; i < 7; i += 1) {
      await newGroup({}, `paged-${i}`);
      emu.clock.advance(1);
    }
    const seen: string[] = [];
    let token = '';
    do {
      const body = ok(await list({ MaxResults: 3, ...(token ? { NextToken: token } : {}) }));
      seen.push(...(body.Groups as GroupInfo[]).map((g) => g.GroupName));
      token = body.NextToken as string;
      expect(body.TotalCounts).toBe(7);
    } while (token);
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => `paged-${i}`));
    expect(await names({ Offset: 5 })).toEqual(['paged-5', 'paged-6']);
  });

  test('a NextToken from ListUsers, or a forged one, is InvalidParameter.NextTokenInvalid', async () => {
    for (let i = 0; i < 2; i += 1) await newUser();
    const users = ok(await emu.call('ListUsers', { ZoneId, MaxResults: 1 }));
    expect(errorCode(await list({ NextToken: users.NextToken }))).toBe('InvalidParameter.NextTokenInvalid');
    expect(errorCode(await list({ NextToken: 'OTM0YzE4MzY2ZjdhMWM0MYZD******' }))).toBe('InvalidParameter.NextTokenInvalid');
  });
});

describe('GetZoneStatistics', () => {
  test('counts the zone’s users and groups and reports the quotas', async () => {
    await newUser();
    await newUser();
    await scimUser('synced-stat');
    await newGroup();
    const res = await emu.call('GetZoneStatistics', { ZoneId });
    conforms('GetZoneStatistics', res);
    expect(ok(res).ZoneStatistics).toEqual({
      UserQuota: DEFAULT_QUOTAS.usersPerZone,
      GroupQuota: DEFAULT_QUOTAS.groupsPerZone,
      RoleConfigurationQuota: 1000,
      SystemPolicyPerRoleConfigurationQuota: 20,
      UserCount: 3,
      GroupCount: 1,
      RoleConfigurationCount: 0,
      UserProvisioningCount: 0,
      RoleConfigurationSyncCount: 0,
    });
  });

  test('does not count other zones; a foreign ZoneId is FailedOperation.ZoneIdNotExist', async () => {
    const opened = ok(await emu.call('OpenIdentityCenter', { ZoneName: 'other-zone' }, asOther()));
    ok(await emu.call('CreateUser', { ZoneId: opened.ZoneId, UserName: 'theirs' }, asOther()));
    expect(ok(await emu.call('GetZoneStatistics', { ZoneId })).ZoneStatistics).toMatchObject({ UserCount: 0, GroupCount: 0 });
    expect(errorCode(await emu.call('GetZoneStatistics', { ZoneId: opened.ZoneId }))).toBe('FailedOperation.ZoneIdNotExist');
  });
});
