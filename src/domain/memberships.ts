import { ApiError } from '../errors/api-error.js';
import type { Group, Membership, State, User, Zone } from '../store/state.js';
import type { DomainContext } from './context.js';
import { requireGroup, touchGroup } from './groups.js';
import { paginate, queryFingerprint, type Page, type PageRequest } from './listing.js';
import { isLockedForOrigin, isUserType, removeWhere, requireUser, type Origin } from './users.js';

export interface GroupMember {
  user: User;
  joinTime: string;
}

export interface JoinedGroup {
  group: Group;
  joinTime: string;
}

function membershipOf(state: Readonly<State>, zoneId: string, groupId: string, userId: string): Membership | undefined {
  return state.memberships.find((m) => m.zoneId === zoneId && m.groupId === groupId && m.userId === userId);
}

/** The group's members, in the order they joined. */
export function membersOf(state: Readonly<State>, zoneId: string, groupId: string): GroupMember[] {
  const users = new Map(state.users.filter((u) => u.zoneId === zoneId).map((u) => [u.userId, u]));
  const members: GroupMember[] = [];
  for (const m of state.memberships) {
    if (m.zoneId !== zoneId || m.groupId !== groupId) continue;
    const user = users.get(m.userId);
    if (user) members.push({ user, joinTime: m.joinTime });
  }
  return members;
}

/** The groups the user belongs to, in the order it joined them. */
export function groupsOf(state: Readonly<State>, zoneId: string, userId: string): JoinedGroup[] {
  const groups = new Map(state.groups.filter((g) => g.zoneId === zoneId).map((g) => [g.groupId, g]));
  const joined: JoinedGroup[] = [];
  for (const m of state.memberships) {
    if (m.zoneId !== zoneId || m.userId !== userId) continue;
    const group = groups.get(m.groupId);
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

export function addMember(
  state: State,
  zone: Zone,
  groupId: string,
  userId: string,
  ctx: DomainContext,
  origin: Origin,
): Membership {
  const group = requireGroup(state, zone.zoneId, groupId);
  const user = requireUser(state, zone.zoneId, userId);
  if (isLockedForOrigin(zone, group.groupType, origin)) throw new ApiError('synchronizedGroupNotAddUser', { groupId });
  if (membershipOf(state, zone.zoneId, groupId, userId)) throw new ApiError('groupUserAlreadyExists', { groupId, userId });
  assertTypesMatch(group, user, origin);
  const membership: Membership = { zoneId: zone.zoneId, groupId, userId, joinTime: ctx.now.toISOString() };
  state.memberships.push(membership);
  touchGroup(group, ctx);
  return membership;
}

/** A user that does not exist is not a member either: InvalidParameter.GroupUserNotExist. */
export function removeMember(
  state: State,
  zone: Zone,
  groupId: string,
  userId: string,
  ctx: DomainContext,
  origin: Origin,
): void {
  const group = requireGroup(state, zone.zoneId, groupId);
  if (isLockedForOrigin(zone, group.groupType, origin)) throw new ApiError('synchronizedGroupNotRemoveUser', { groupId });
  const membership = membershipOf(state, zone.zoneId, groupId, userId);
  if (!membership) throw new ApiError('groupUserNotExist', { groupId, userId });
  removeWhere(state.memberships, (m) => m === membership);
  touchGroup(group, ctx);
}

/**
 * Makes the group's members exactly `userIds` (SCIM PUT / replace). Members that
 * stay keep their JoinTime; duplicates in `userIds` count once; an unknown user
 * fails the whole call before anything changes. Bumps the group only if the
 * member set changed.
 */
export function setMembers(
  state: State,
  zone: Zone,
  groupId: string,
  userIds: readonly string[],
  ctx: DomainContext,
  origin: Origin,
): void {
  const group = requireGroup(state, zone.zoneId, groupId);
  const wanted = new Set(userIds);
  const users = [...wanted].map((userId) => requireUser(state, zone.zoneId, userId));
  const current = new Set(membersOf(state, zone.zoneId, groupId).map((m) => m.user.userId));
  const added = users.filter((u) => !current.has(u.userId));
  const removed = [...current].filter((userId) => !wanted.has(userId));
  if (added.length === 0 && removed.length === 0) return;
  if (isLockedForOrigin(zone, group.groupType, origin)) {
    throw new ApiError(added.length > 0 ? 'synchronizedGroupNotAddUser' : 'synchronizedGroupNotRemoveUser', { groupId });
  }
  for (const user of added) assertTypesMatch(group, user, origin);

  const joinTime = ctx.now.toISOString();
  const doomed = new Set(removed);
  removeWhere(state.memberships, (m) => m.zoneId === zone.zoneId && m.groupId === groupId && doomed.has(m.userId));
  for (const user of added) state.memberships.push({ zoneId: zone.zoneId, groupId, userId: user.userId, joinTime });
  touchGroup(group, ctx);
}

export interface GroupMemberListQuery {
  userType?: string | undefined;
  page: PageRequest;
}

/** Oldest membership first (JoinTime, then UserId). */
export function listGroupMembers(
  state: Readonly<State>,
  zone: Zone,
  groupId: string,
  query: GroupMemberListQuery,
): Page<GroupMember> {
  requireGroup(state, zone.zoneId, groupId);
  const { userType } = query;
  if (userType !== undefined && !isUserType(userType)) throw new ApiError('userTypeInvalid', { type: userType });
  const members = membersOf(state, zone.zoneId, groupId).filter((m) => userType === undefined || m.user.userType === userType);
  return paginate(members, {
    fingerprint: queryFingerprint({ list: 'group-members', zone: zone.zoneId, groupId, userType }),
    direction: 'Asc',
    key: (m) => ({ time: m.joinTime, id: m.user.userId }),
    page: query.page,
  });
}

/** Oldest membership first (JoinTime, then GroupId). */
export function listJoinedGroups(
  state: Readonly<State>,
  zone: Zone,
  userId: string,
  page: PageRequest,
): Page<JoinedGroup> {
  requireUser(state, zone.zoneId, userId);
  return paginate(groupsOf(state, zone.zoneId, userId), {
    fingerprint: queryFingerprint({ list: 'joined-groups', zone: zone.zoneId, userId }),
    direction: 'Asc',
    key: (j) => ({ time: j.joinTime, id: j.group.groupId }),
    page,
  });
}
