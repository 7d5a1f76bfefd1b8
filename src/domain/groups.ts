import { ApiError } from '../errors/api-error.js';
import type { Group, State, Zone } from '../store/state.js';
import type { DomainContext } from './context.js';
import { containsFolded, paginate, queryFingerprint, sortDirection, type Page, type PageRequest } from './listing.js';
import { isLockedForOrigin, isUserType, removeWhere, type Origin } from './users.js';

/** `g-` + 12 lowercase letters/digits, as in the reference examples (`g-8sh7baix****`). */
export const GROUP_ID_LENGTH = 12;
/** Groups per zone: the GroupQuota the GetZoneStatistics reference example reports. */
export const GROUP_QUOTA_PER_ZONE = 500;
export const GROUP_NAME_MAX_LENGTH = 128;
export const GROUP_DESCRIPTION_MAX_LENGTH = 1024;

/** "English letters, digits, and special characters (-)", at most 128 characters. */
const GROUP_NAME = /^[A-Za-z0-9-]+$/;

export function isValidGroupName(name: string): boolean {
  return name.length >= 1 && name.length <= GROUP_NAME_MAX_LENGTH && GROUP_NAME.test(name);
}

export interface NewGroup {
  groupName: string;
  description?: string | undefined;
  /** Manual (default) or Synchronized; ignored for origin `scim` (always Synchronized). */
  groupType?: string | undefined;
  scim?: Group['scim'];
}

export interface GroupFields {
  groupName: string;
  description: string;
  /** Replaces the SCIM-only attributes as a whole. */
  scim: NonNullable<Group['scim']>;
}

export function findGroup(state: Readonly<State>, zoneId: string, groupId: string): Group | undefined {
  return state.groups.find((g) => g.zoneId === zoneId && g.groupId === groupId);
}

export function requireGroup(state: Readonly<State>, zoneId: string, groupId: string): Group {
  const group = findGroup(state, zoneId, groupId);
  if (!group) throw new ApiError('groupNotFound', { zoneId, groupId });
  return group;
}

export function groupsOfZone(state: Readonly<State>, zoneId: string): Group[] {
  return state.groups.filter((g) => g.zoneId === zoneId);
}

/** Case-insensitive, as uniqueness is. */
export function findGroupByName(state: Readonly<State>, zoneId: string, groupName: string): Group | undefined {
  const folded = groupName.toLowerCase();
  return state.groups.find((g) => g.zoneId === zoneId && g.groupName.toLowerCase() === folded);
}

/** Members per group of a zone, counted in one pass. */
export function memberCounts(state: Readonly<State>, zoneId: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of state.memberships) if (m.zoneId === zoneId) counts.set(m.groupId, (counts.get(m.groupId) ?? 0) + 1);
  return counts;
}

/**
 * What an identity provider may call a group: its own names ("Sales Team") are
 * pushed as they are, so only length and control characters are checked.
 */
export function isValidSyncedGroupName(name: string): boolean {
  return name.trim().length >= 1 && name.length <= GROUP_NAME_MAX_LENGTH && !/[\u0000-\u001f\u007f]/.test(name);
}

function assertNameFree(state: Readonly<State>, zoneId: string, groupName: string, origin: Origin, self?: Group): void {
  const valid = origin === 'scim' ? isValidSyncedGroupName(groupName) : isValidGroupName(groupName);
  if (!valid) throw new ApiError('groupNameFormat', { groupName });
  const holder = findGroupByName(state, zoneId, groupName);
  if (holder && holder !== self) throw new ApiError('groupNameTaken', { groupName, zoneId });
}

function checkDescription(description: string | undefined): void {
  if (description !== undefined && description.length > GROUP_DESCRIPTION_MAX_LENGTH) {
    throw new ApiError('fieldTooLong', { name: 'Description', max: GROUP_DESCRIPTION_MAX_LENGTH, length: description.length });
  }
}

export function createGroup(state: State, zone: Zone, input: NewGroup, ctx: DomainContext, origin: Origin): Group {
  assertNameFree(state, zone.zoneId, input.groupName, origin);
  checkDescription(input.description);
  // As for CreateUser's UserType: a documented request member with no error of its own, so recorded as asked.
  const requestedType = input.groupType ?? 'Manual';
  if (!isUserType(requestedType)) throw new ApiError('groupTypeInvalid', { type: requestedType });
  if (groupsOfZone(state, zone.zoneId).length >= GROUP_QUOTA_PER_ZONE) {
    throw new ApiError('groupQuotaReached', { zoneId: zone.zoneId, limit: GROUP_QUOTA_PER_ZONE });
  }
  const now = ctx.now.toISOString();
  const group: Group = {
    zoneId: zone.zoneId,
    groupId: newGroupId(state, ctx),
    groupName: input.groupName,
    description: input.description ?? '',
    groupType: origin === 'scim' ? 'Synchronized' : requestedType,
    createTime: now,
    updateTime: now,
    version: 1,
  };
  if (input.scim !== undefined) group.scim = input.scim;
  state.groups.push(group);
  return group;
}

function newGroupId(state: Readonly<State>, ctx: DomainContext): string {
  for (;;) {
    const id = ctx.ids.resourceId('g-', GROUP_ID_LENGTH);
    if (!state.groups.some((g) => g.groupId === id)) return id;
  }
}

/** Only a real difference bumps `version` and `updateTime`. */
export function updateGroup(
  state: State,
  zone: Zone,
  groupId: string,
  changes: Partial<GroupFields>,
  ctx: DomainContext,
  origin: Origin,
): Group {
  const group = requireGroup(state, zone.zoneId, groupId);
  if (isLockedForOrigin(zone, group.groupType, origin)) throw new ApiError('synchronizedGroupNotUpdate', { groupId });
  if (changes.groupName !== undefined) assertNameFree(state, zone.zoneId, changes.groupName, origin, group);
  checkDescription(changes.description);

  const next: Group = { ...group };
  if (changes.groupName !== undefined) next.groupName = changes.groupName;
  if (changes.description !== undefined) next.description = changes.description;
  if (changes.scim !== undefined) next.scim = changes.scim;
  if (JSON.stringify(next) !== JSON.stringify(group)) {
    Object.assign(group, next);
    touchGroup(group, ctx);
  }
  return group;
}

/** A change to a group, its members included: new ETag, new modification time. */
export function touchGroup(group: Group, ctx: DomainContext): void {
  group.version += 1;
  group.updateTime = ctx.now.toISOString();
}

export interface DeleteGroupOptions {
  /**
   * Drop the memberships instead of refusing. Defaults to true for origin
   * `scim` (an IdP's DELETE must succeed) and false for `api`, where the
   * reference answers FailedOperation.DeleteGroupNotAllowExistUser.
   */
  removeMembers?: boolean;
}

export function deleteGroup(state: State, zone: Zone, groupId: string, origin: Origin, options: DeleteGroupOptions = {}): void {
  const group = requireGroup(state, zone.zoneId, groupId);
  if (isLockedForOrigin(zone, group.groupType, origin)) throw new ApiError('synchronizedGroupNotDelete', { groupId });
  const count = memberCounts(state, zone.zoneId).get(groupId) ?? 0;
  if (count > 0 && !(options.removeMembers ?? origin === 'scim')) {
    throw new ApiError('groupHasMembers', { groupId, count });
  }
  removeWhere(state.memberships, (m) => m.zoneId === zone.zoneId && m.groupId === groupId);
  removeWhere(state.groups, (g) => g === group);
}

export interface GroupListQuery {
  /**
   * `GroupName eq <name>` / `GroupName sw <prefix>` (the English reference's
   * syntax, case-insensitive), or any other text: a case-insensitive substring
   * of the group name (the Chinese reference just says "group name").
   */
  filter?: string | undefined;
  groupType?: string | undefined;
  /** Sets `isSelected` on every listed group: true when it contains one of these users. Does not filter. */
  filterUsers?: string[] | undefined;
  sortField?: string | undefined;
  sortType?: string | undefined;
  page: PageRequest;
}

export interface ListedGroup {
  group: Group;
  memberCount: number;
  /** Present only when the query had filterUsers. */
  isSelected?: boolean;
}

const FILTER_EXPRESSION = /^\s*GroupName\s+(eq|sw)\s+(.*?)\s*$/i;

export function groupNameMatcher(filter: string): (name: string) => boolean {
  const expression = FILTER_EXPRESSION.exec(filter);
  if (!expression) return (name) => containsFolded(name, filter);
  const operator = expression[1]!.toLowerCase();
  const value = expression[2]!.replace(/^"(.*)"$/, '$1').toLowerCase();
  return operator === 'eq' ? (name) => name.toLowerCase() === value : (name) => name.toLowerCase().startsWith(value);
}

export function listGroups(state: Readonly<State>, zone: Zone, query: GroupListQuery): Page<ListedGroup> {
  const { groupType } = query;
  if (groupType !== undefined && !isUserType(groupType)) {
    throw new ApiError('listParamInvalid', { name: 'GroupType', rule: 'must be Manual or Synchronized' });
  }
  const direction = sortDirection(query.sortField, query.sortType);
  const filter = query.filter ?? '';
  const nameMatches = filter === '' ? () => true : groupNameMatcher(filter);
  const matching = groupsOfZone(state, zone.zoneId).filter(
    (g) => (groupType === undefined || g.groupType === groupType) && nameMatches(g.groupName),
  );
  const page = paginate(matching, {
    fingerprint: queryFingerprint({ list: 'groups', zone: zone.zoneId, groupType, filter, direction }),
    direction,
    key: (g) => ({ time: g.createTime, id: g.groupId }),
    page: query.page,
  });
  const counts = memberCounts(state, zone.zoneId);
  const selectedUsers = query.filterUsers === undefined ? undefined : new Set(query.filterUsers);
  const selectedGroups = new Set(
    state.memberships.filter((m) => m.zoneId === zone.zoneId && selectedUsers?.has(m.userId)).map((m) => m.groupId),
  );
  return {
    ...page,
    items: page.items.map((group) => {
      const listed: ListedGroup = { group, memberCount: counts.get(group.groupId) ?? 0 };
      if (selectedUsers !== undefined) listed.isSelected = selectedGroups.has(group.groupId);
      return listed;
    }),
  };
}
