import { ApiError } from '../errors/api-error.js';
import type { DomainContext } from './context.js';
import type { Group, Membership, User, Zone } from './entities.js';
import { memberCount, requireGroup, touchGroup } from './groups.js';
import { paginate, queryFingerprint, type Page, type PageRequest } from './listing.js';
import { membershipKey, type Db, type DbView } from './schema.js';
import { isLockedForOrigin, isUserType, requireUser, type Origin } from './users.js';

export interface GroupMember {
  user: User;
  joinTime: string;
}

export interface JoinedGroup {
  group: Group;
  joinTime: string;
}

/** The group's members, in the order they joined. */
export function membersOf(db: DbView, groupId: string): GroupMember[] {
  const members: GroupMember[] = [];
  for (const m of db.memberships.ordered('group', groupId).iterate('Asc')) {
    const user = db.users.get(m.userId);
    if (user) members.push({ user, joinTime: m.joinTime });
  }
  return members;
}

/** The groups the user belongs to, in the order it joined them. */
export function groupsOf(db: DbView, userId: string): JoinedGroup[] {
  const joined: JoinedGroup[] = [];
  for (const m of db.memberships.ordered('user', userId).iterate('Asc')) {
    const group = db.groups.get(m.groupId);
    if (group) joined.push({ group, joinTime: m.joinTime });
  }
  return joined;
}

/**
 * A Synchronized group mirrors a group of the identity provider, which can only
 * hold users the IdP provisioned: the API may not put a Manual user in it
 * (FailedOperation.GroupTypeUserTypeNotMatch). A Manual group takes anyone.
 * The SCIM surface is not held to this: the IdP decides its own groups' members.
 */
function assertTypesMatch(group: Group, user: User, origin: Origin): void {
  if (origin === 'api' && group.groupType === 'Synchronized' && user.userType !== 'Synchronized') {
    throw new ApiError('groupTypeUserTypeMismatch', {
      userId: user.userId,
      userType: user.userType,
      groupId: group.groupId,
      groupType: group.groupType,
    });
  }
}

function assertRoomFor(db: DbView, group: Group, adding: number, ctx: DomainContext): void {
  const limit = ctx.quotas.membersPerGroup;
  if (memberCount(db, group.groupId) + adding > limit) throw new ApiError('groupMemberQuotaReached', { groupId: group.groupId, limit });
}

export function addMember(db: Db, zone: Zone, groupId: string, userId: string, ctx: DomainContext, origin: Origin): Membership {
  const group = requireGroup(db, zone.zoneId, groupId);
  const user = requireUser(db, zone.zoneId, userId);
  if (isLockedForOrigin(zone, group.groupType, origin)) throw new ApiError('synchronizedGroupNotAddUser', { groupId });
  if (db.memberships.has(membershipKey(groupId, userId))) throw new ApiError('groupUserAlreadyExists', { groupId, userId });
  assertTypesMatch(group, user, origin);
  assertRoomFor(db, group, 1, ctx);
  const membership = db.memberships.put({ zoneId: zone.zoneId, groupId, userId, joinTime: ctx.now.toISOString() });
  touchGroup(db, group, ctx);
  return membership;
}

/** A user that does not exist is not a member either: InvalidParameter.GroupUserNotExist. */
export function removeMember(db: Db, zone: Zone, groupId: string, userId: string, ctx: DomainContext, origin: Origin): void {
  const group = requireGroup(db, zone.zoneId, groupId);
  if (isLockedForOrigin(zone, group.groupType, origin)) throw new ApiError('synchronizedGroupNotRemoveUser', { groupId });
  if (!db.memberships.delete(membershipKey(groupId, userId))) throw new ApiError('groupUserNotExist', { groupId, userId });
  touchGroup(db, group, ctx);
}

/**
 * Makes the group's members exactly `userIds` (SCIM PUT / replace). Members that
 * stay keep their JoinTime; duplicates in `userIds` count once; an unknown user
 * fails the whole call before anything changes. Bumps the group only if the
 * member set changed.
 */
export function setMembers(db: Db, zone: Zone, groupId: string, userIds: readonly string[], ctx: DomainContext, origin: Origin): void {
  const group = requireGroup(db, zone.zoneId, groupId);
  const wanted = new Set(userIds);
  const users = [...wanted].map((userId) => requireUser(db, zone.zoneId, userId));
  const current = new Set(membersOf(db, groupId).map((m) => m.user.userId));
  const added = users.filter((u) => !current.has(u.userId));
  const removed = [...current].filter((userId) => !wanted.has(userId));
  if (added.length === 0 && removed.length === 0) return;
  if (isLockedForOrigin(zone, group.groupType, origin)) {
    throw new ApiError(added.length > 0 ? 'synchronizedGroupNotAddUser' : 'synchronizedGroupNotRemoveUser', { groupId });
  }
  for (const user of added) assertTypesMatch(group, user, origin);
  assertRoomFor(db, group, added.length - removed.length, ctx);

  const joinTime = ctx.now.toISOString();
  for (const userId of removed) db.memberships.delete(membershipKey(groupId, userId));
  for (const user of added) db.memberships.put({ zoneId: zone.zoneId, groupId, userId: user.userId, joinTime });
  touchGroup(db, group, ctx);
}

export interface GroupMemberListQuery {
  userType?: string | undefined;
  page: PageRequest;
}

/** Oldest membership first (JoinTime, then UserId). */
export function listGroupMembers(db: DbView, zone: Zone, groupId: string, query: GroupMemberListQuery): Page<GroupMember> {
  requireGroup(db, zone.zoneId, groupId);
  const { userType } = query;
  if (userType !== undefined && !isUserType(userType)) throw new ApiError('userTypeInvalid', { type: userType });
  const page = paginate(db.memberships.ordered('group', groupId), {
    fingerprint: queryFingerprint({ list: 'group-members', zone: zone.zoneId, groupId, userType }),
    direction: 'Asc',
    key: (m) => ({ time: m.joinTime, id: m.userId }),
    page: query.page,
    filter: userType === undefined ? undefined : (m) => db.users.get(m.userId)?.userType === userType,
  });
  return { ...page, items: page.items.map((m) => ({ user: db.users.get(m.userId)!, joinTime: m.joinTime })) };
}

/** Oldest membership first (JoinTime, then GroupId). */
export function listJoinedGroups(db: DbView, zone: Zone, userId: string, page: PageRequest): Page<JoinedGroup> {
  requireUser(db, zone.zoneId, userId);
  const listed = paginate(db.memberships.ordered('user', userId), {
    fingerprint: queryFingerprint({ list: 'joined-groups', zone: zone.zoneId, userId }),
    direction: 'Asc',
    key: (m) => ({ time: m.joinTime, id: m.groupId }),
    page,
  });
  return { ...listed, items: listed.items.map((m) => ({ group: db.groups.get(m.groupId)!, joinTime: m.joinTime })) };
}
