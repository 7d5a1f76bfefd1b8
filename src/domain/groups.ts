import { ApiError } from '../errors/api-error.js';
import { unusedId, type DomainContext } from './context.js';
import type { Group, Zone } from './entities.js';
import { containsFolded, paginate, queryFingerprint, sortDirection, type Page, type PageRequest } from './listing.js';
import { membershipKey, zoneKey, type Db, type DbView } from './schema.js';
import { isLockedForOrigin, isUserType, type Mutable, type Origin } from './users.js';

/** `g-` + 12 lowercase letters/digits, as in the reference examples (`g-8sh7baix****`). */
export const GROUP_ID_LENGTH = 12;
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

export function findGroup(db: DbView, zoneId: string, groupId: string): Group | undefined {
  const group = db.groups.get(groupId);
  return group && group.zoneId === zoneId ? group : undefined;
}

export function requireGroup(db: DbView, zoneId: string, groupId: string): Group {
  const group = findGroup(db, zoneId, groupId);
  if (!group) throw new ApiError('groupNotFound', { zoneId, groupId });
  return group;
}

export function groupCount(db: DbView, zoneId: string): number {
  return db.groups.ordered('zone', zoneId).size;
}

/** Case-insensitive, as uniqueness is. */
export function findGroupByName(db: DbView, zoneId: string, groupName: string): Group | undefined {
  return db.groups.findOne('groupName', zoneKey(zoneId, groupName));
}

export function memberCount(db: DbView, groupId: string): number {
  return db.memberships.ordered('group', groupId).size;
}

/**
 * What an identity provider may call a group: its own names ("Sales Team") are
 * pushed as they are, so only length and control characters are checked.
 */
export function isValidSyncedGroupName(name: string): boolean {
  return name.trim().length >= 1 && name.length <= GROUP_NAME_MAX_LENGTH && !/[\u0000-\u001f\u007f]/.test(name);
}

function assertNameFree(db: DbView, zoneId: string, groupName: string, origin: Origin, self?: Group): void {
  const valid = origin === 'scim' ? isValidSyncedGroupName(groupName) : isValidGroupName(groupName);
  if (!valid) throw new ApiError('groupNameFormat', { groupName });
  const holder = findGroupByName(db, zoneId, groupName);
  if (holder && holder.groupId !== self?.groupId) throw new ApiError('groupNameTaken', { groupName, zoneId });
}

function checkDescription(description: string | undefined): void {
  if (description !== undefined && description.length > GROUP_DESCRIPTION_MAX_LENGTH) {
    throw new ApiError('fieldTooLong', { name: 'Description', max: GROUP_DESCRIPTION_MAX_LENGTH, length: description.length });
  }
}

export function createGroup(db: Db, zone: Zone, input: NewGroup, ctx: DomainContext, origin: Origin): Group {
  assertNameFree(db, zone.zoneId, input.groupName, origin);
  checkDescription(input.description);
  // As for CreateUser's UserType: a documented request member with no error of its own, so recorded as asked.
  const requestedType = input.groupType ?? 'Manual';
  if (!isUserType(requestedType)) throw new ApiError('groupTypeInvalid', { type: requestedType });
  if (groupCount(db, zone.zoneId) >= ctx.quotas.groupsPerZone) {
    throw new ApiError('groupQuotaReached', { zoneId: zone.zoneId, limit: ctx.quotas.groupsPerZone });
  }
  const now = ctx.now.toISOString();
  const group: Group = {
    zoneId: zone.zoneId,
    groupId: newGroupId(db, ctx),
    groupName: input.groupName,
    description: input.description ?? '',
    groupType: origin === 'scim' ? 'Synchronized' : requestedType,
    createTime: now,
    updateTime: now,
    version: 1,
    ...(input.scim !== undefined ? { scim: input.scim } : {}),
  };
  return db.groups.put(group);
}

function newGroupId(db: DbView, ctx: DomainContext): string {
  return unusedId(ctx, 'g-', GROUP_ID_LENGTH, db.groups);
}

/** Only a real difference bumps `version` and `updateTime`. */
export function updateGroup(
  db: Db,
  zone: Zone,
  groupId: string,
  changes: Partial<GroupFields>,
  ctx: DomainContext,
  origin: Origin,
): Group {
  const group = requireGroup(db, zone.zoneId, groupId);
  if (isLockedForOrigin(zone, group.groupType, origin)) throw new ApiError('synchronizedGroupNotUpdate', { groupId });
  if (changes.groupName !== undefined) assertNameFree(db, zone.zoneId, changes.groupName, origin, group);
  checkDescription(changes.description);

  const next: Mutable<Group> = { ...group };
  if (changes.groupName !== undefined) next.groupName = changes.groupName;
  if (changes.description !== undefined) next.description = changes.description;
  if (changes.scim !== undefined) next.scim = changes.scim;
  if (JSON.stringify(next) === JSON.stringify(group)) return group;
  return touchGroup(db, next, ctx);
}

/** A change to a group, its members included: new ETag, new modification time. Puts and returns the new version. */
export function touchGroup(db: Db, group: Group, ctx: DomainContext): Group {
  return db.groups.put({ ...group, version: group.version + 1, updateTime: ctx.now.toISOString() });
}

export interface DeleteGroupOptions {
  /**
   * Drop the memberships instead of refusing. Defaults to true for origin
   * `scim` (an IdP's DELETE must succeed) and false for `api`, where the
   * reference answers FailedOperation.DeleteGroupNotAllowExistUser.
   */
  removeMembers?: boolean;
}

export function deleteGroup(db: Db, zone: Zone, groupId: string, origin: Origin, options: DeleteGroupOptions = {}): void {
  const group = requireGroup(db, zone.zoneId, groupId);
  if (isLockedForOrigin(zone, group.groupType, origin)) throw new ApiError('synchronizedGroupNotDelete', { groupId });
  const members = [...db.memberships.ordered('group', groupId).iterate('Asc')];
  if (members.length > 0 && !(options.removeMembers ?? origin === 'scim')) {
    throw new ApiError('groupHasMembers', { groupId, count: members.length });
  }
  for (const m of members) db.memberships.delete(membershipKey(groupId, m.userId));
  db.groups.delete(groupId);
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
  if (!expression) return containsFolded(filter);
  const operator = expression[1]!.toLowerCase();
  const value = expression[2]!.replace(/^"(.*)"$/, '$1').toLowerCase();
  return operator === 'eq' ? (name) => name.toLowerCase() === value : (name) => name.toLowerCase().startsWith(value);
}

export function listGroups(db: DbView, zone: Zone, query: GroupListQuery): Page<ListedGroup> {
  const { groupType } = query;
  if (groupType !== undefined && !isUserType(groupType)) {
    throw new ApiError('listParamInvalid', { name: 'GroupType', allowed: 'Manual | Synchronized' });
  }
  const direction = sortDirection(query.sortField, query.sortType);
  const filter = query.filter ?? '';
  const nameMatches = filter === '' ? () => true : groupNameMatcher(filter);
  const page = paginate(db.groups.ordered('zone', zone.zoneId), {
    fingerprint: queryFingerprint({ list: 'groups', zone: zone.zoneId, groupType, filter, direction }),
    direction,
    key: (g) => ({ time: g.createTime, id: g.groupId }),
    page: query.page,
    filter: groupType !== undefined || filter !== '' ? (g) => (groupType === undefined || g.groupType === groupType) && nameMatches(g.groupName) : undefined,
  });
  const selectedUsers = query.filterUsers;
  return {
    ...page,
    items: page.items.map((group) => {
      const listed: ListedGroup = { group, memberCount: memberCount(db, group.groupId) };
      if (selectedUsers !== undefined) {
        listed.isSelected = selectedUsers.some((userId) => db.memberships.has(membershipKey(group.groupId, userId)));
      }
      return listed;
    }),
  };
}
