import { ApiError } from '../errors/api-error.js';
import { isEnabledStatus, unusedId, type DomainContext } from './context.js';
import type { EnabledStatus, User, UserScimExtras, UserType, Zone } from './entities.js';
import { containsFolded, paginate, queryFingerprint, sortDirection, type Page, type PageRequest } from './listing.js';
import { membershipKey, zoneKey, type Db, type DbView } from './schema.js';

/**
 * Which surface asks for a change. `scim` is the zone's identity provider: what
 * it creates is Synchronized, and it may change Synchronized records that the
 * Tencent Cloud API may not touch while SCIM synchronisation is enabled.
 */
export type Origin = 'api' | 'scim';

/** `u-` + 12 lowercase letters/digits (the reference examples mask the tail; zones and groups use 12). */
export const USER_ID_LENGTH = 12;
export const USER_NAME_MAX_LENGTH = 64;
/** Maximum lengths stated in the CreateUser reference; applied to updates (and SCIM) too. */
export const USER_FIELD_MAX_LENGTH = {
  firstName: 64,
  lastName: 64,
  displayName: 256,
  description: 1024,
  email: 128,
} as const;

const USER_NAME = /^[A-Za-z0-9+=,.@_-]+$/;

export function isValidUserName(name: string): boolean {
  return name.length >= 1 && name.length <= USER_NAME_MAX_LENGTH && USER_NAME.test(name);
}

export function isUserType(value: unknown): value is UserType {
  return value === 'Manual' || value === 'Synchronized';
}

/**
 * While the zone's SCIM synchronisation is enabled, the identity provider owns
 * the Synchronized records: the API may read them but not change them. With it
 * disabled, the API may change them (e.g. to clean up after an IdP is retired).
 */
export function isLockedForOrigin(zone: Zone, type: UserType, origin: Origin): boolean {
  return origin === 'api' && type === 'Synchronized' && zone.scimSyncStatus === 'Enabled';
}

export interface NewUser {
  userName: string;
  firstName?: string | undefined;
  lastName?: string | undefined;
  displayName?: string | undefined;
  description?: string | undefined;
  email?: string | undefined;
  /** Enabled (default) or Disabled. */
  userStatus?: string | undefined;
  /** Manual (default) or Synchronized; ignored for origin `scim` (always Synchronized). */
  userType?: string | undefined;
  needResetPassword?: boolean | undefined;
  scim?: UserScimExtras | undefined;
}

/** What a change may set; an absent or undefined member is left as it is. */
export interface UserFields {
  /** The API never renames (the reference says the name cannot be modified); SCIM may. */
  userName: string;
  firstName: string;
  lastName: string;
  displayName: string;
  description: string;
  email: string;
  userStatus: string;
  needResetPassword: boolean;
  /** Replaces the SCIM-only attributes as a whole. */
  scim: UserScimExtras;
}

export function findUser(db: DbView, zoneId: string, userId: string): User | undefined {
  const user = db.users.get(userId);
  return user && user.zoneId === zoneId ? user : undefined;
}

export function requireUser(db: DbView, zoneId: string, userId: string): User {
  const user = findUser(db, zoneId, userId);
  if (!user) throw new ApiError('userNotFound', { zoneId, userId });
  return user;
}

export function userCount(db: DbView, zoneId: string): number {
  return db.users.ordered('zone', zoneId).size;
}

/** Case-insensitive, as uniqueness is. */
export function findUserByName(db: DbView, zoneId: string, userName: string): User | undefined {
  return db.users.findOne('userName', zoneKey(zoneId, userName));
}

function checkLengths(fields: Partial<Record<keyof typeof USER_FIELD_MAX_LENGTH, string | undefined>>): void {
  for (const name of Object.keys(USER_FIELD_MAX_LENGTH) as (keyof typeof USER_FIELD_MAX_LENGTH)[]) {
    const value = fields[name];
    const max = USER_FIELD_MAX_LENGTH[name];
    if (value !== undefined && value.length > max) {
      throw new ApiError('fieldTooLong', { name: API_NAMES[name], max, length: value.length });
    }
  }
}

const API_NAMES: Record<keyof typeof USER_FIELD_MAX_LENGTH, string> = {
  firstName: 'FirstName',
  lastName: 'LastName',
  displayName: 'DisplayName',
  description: 'Description',
  email: 'Email',
};

function checkStatus(status: string): EnabledStatus {
  if (!isEnabledStatus(status)) throw new ApiError('userStatusInvalid', { status });
  return status;
}

function assertNameFree(db: DbView, zoneId: string, userName: string, self?: User): void {
  if (!isValidUserName(userName)) throw new ApiError('usernameFormat', { userName });
  const holder = findUserByName(db, zoneId, userName);
  if (holder && holder.userId !== self?.userId) throw new ApiError('usernameTaken', { userName, zoneId });
}

/** An empty e-mail means "none" and is never a conflict. */
function assertEmailFree(db: DbView, zoneId: string, email: string, self?: User): void {
  if (email === '') return;
  const holder = db.users.find('email', zoneKey(zoneId, email)).some((u) => u.userId !== self?.userId);
  if (holder) throw new ApiError('emailTaken', { email, zoneId });
}

export function createUser(db: Db, zone: Zone, input: NewUser, ctx: DomainContext, origin: Origin): User {
  // Every check before the first write: a throw leaves the state untouched.
  assertNameFree(db, zone.zoneId, input.userName);
  checkLengths(input);
  const userStatus = checkStatus(input.userStatus ?? 'Enabled');
  // An API caller may pass UserType: the reference documents it as a request member
  // (Synchronized = "imported from external sources") and lists no error for it on
  // CreateUser, so the emulator records what is asked, e.g. for a migration import.
  // Such a user is then protected like any SCIM-made one while sync is enabled.
  const requestedType = input.userType ?? 'Manual';
  if (!isUserType(requestedType)) throw new ApiError('userTypeInvalid', { type: requestedType });
  const userType: UserType = origin === 'scim' ? 'Synchronized' : requestedType;
  const email = input.email ?? '';
  assertEmailFree(db, zone.zoneId, email);
  if (userCount(db, zone.zoneId) >= ctx.quotas.usersPerZone) {
    throw new ApiError('userQuotaReached', { zoneId: zone.zoneId, limit: ctx.quotas.usersPerZone });
  }
  const now = ctx.now.toISOString();
  const user: User = {
    zoneId: zone.zoneId,
    userId: newUserId(db, ctx),
    userName: input.userName,
    firstName: input.firstName ?? '',
    lastName: input.lastName ?? '',
    displayName: input.displayName ?? '',
    description: input.description ?? '',
    email,
    userStatus,
    userType,
    needResetPassword: input.needResetPassword ?? false,
    createTime: now,
    updateTime: now,
    version: 1,
    ...(input.scim !== undefined ? { scim: input.scim } : {}),
  };
  return db.users.put(user);
}

function newUserId(db: DbView, ctx: DomainContext): string {
  return unusedId(ctx, 'u-', USER_ID_LENGTH, db.users);
}

/**
 * Applies the given fields. Only a real difference counts as a change: it bumps
 * `version` (the SCIM ETag) and `updateTime`; setting the same values does not.
 */
export function updateUser(
  db: Db,
  zone: Zone,
  userId: string,
  changes: Partial<UserFields>,
  ctx: DomainContext,
  origin: Origin,
): User {
  const user = requireUser(db, zone.zoneId, userId);
  if (isLockedForOrigin(zone, user.userType, origin)) throw new ApiError('synchronizedUserNotUpdate', { userId });
  if (changes.userName !== undefined) assertNameFree(db, zone.zoneId, changes.userName, user);
  checkLengths(changes);
  const userStatus = changes.userStatus === undefined ? undefined : checkStatus(changes.userStatus);
  if (changes.email !== undefined) assertEmailFree(db, zone.zoneId, changes.email, user);

  const next: Mutable<User> = { ...user };
  if (changes.userName !== undefined) next.userName = changes.userName;
  if (changes.firstName !== undefined) next.firstName = changes.firstName;
  if (changes.lastName !== undefined) next.lastName = changes.lastName;
  if (changes.displayName !== undefined) next.displayName = changes.displayName;
  if (changes.description !== undefined) next.description = changes.description;
  if (changes.email !== undefined) next.email = changes.email;
  if (userStatus !== undefined) next.userStatus = userStatus;
  if (changes.needResetPassword !== undefined) next.needResetPassword = changes.needResetPassword;
  if (changes.scim !== undefined) next.scim = changes.scim;
  if (JSON.stringify(next) === JSON.stringify(user)) return user;
  next.version = user.version + 1;
  next.updateTime = ctx.now.toISOString();
  return db.users.put(next);
}

export interface DeleteUserOptions {
  /**
   * Take the user out of its groups instead of refusing. Defaults to true for
   * origin `scim` (an IdP's DELETE must succeed) and false for `api`, where the
   * reference answers InvalidParameter.UserAlreadyExistsGroup.
   */
  removeMemberships?: boolean;
  /** When given, the groups the user leaves get this as their updateTime (their version is bumped regardless). */
  ctx?: DomainContext;
}

export function deleteUser(db: Db, zone: Zone, userId: string, origin: Origin, options: DeleteUserOptions = {}): void {
  const user = requireUser(db, zone.zoneId, userId);
  if (isLockedForOrigin(zone, user.userType, origin)) throw new ApiError('synchronizedUserNotDelete', { userId });
  const memberships = [...db.memberships.ordered('user', userId).iterate('Asc')];
  const removeMemberships = options.removeMemberships ?? origin === 'scim';
  if (memberships.length > 0 && !removeMemberships) {
    throw new ApiError('userStillInGroups', { userId, count: memberships.length });
  }
  for (const membership of memberships) {
    db.memberships.delete(membershipKey(membership.groupId, userId));
    const group = db.groups.get(membership.groupId);
    if (!group) continue;
    db.groups.put({
      ...group,
      version: group.version + 1,
      ...(options.ctx ? { updateTime: options.ctx.now.toISOString() } : {}),
    });
  }
  db.users.delete(user.userId);
}

export interface UserListQuery {
  userStatus?: string | undefined;
  userType?: string | undefined;
  /** Case-insensitive substring of the user name, e-mail, user ID or description. */
  filter?: string | undefined;
  /** Sets `isSelected` on every listed user: true when it belongs to one of these groups. Does not filter. */
  filterGroups?: string[] | undefined;
  sortField?: string | undefined;
  sortType?: string | undefined;
  page: PageRequest;
}

/** A page of users; with filterGroups, whether each one belongs to one of those groups. */
export interface UserPage extends Page<User> {
  /** Present only when the query had filterGroups: `selected[i]` is for `items[i]`. */
  selected?: boolean[];
}

/** What ListUsers' Filter searches, folded once per record version (records are immutable, so it never goes stale). */
const SEARCH_TEXT = new WeakMap<User, string>();
function searchText(user: User): string {
  let text = SEARCH_TEXT.get(user);
  if (text === undefined) {
    // A newline cannot occur in any of the fields, so a match never spans two of them.
    text = [user.userName, user.email, user.userId, user.description].join('\u0000').toLowerCase();
    SEARCH_TEXT.set(user, text);
  }
  return text;
}

export function listUsers(db: DbView, zone: Zone, query: UserListQuery): UserPage {
  const { userStatus, userType } = query;
  if (userStatus !== undefined && !isEnabledStatus(userStatus)) {
    throw new ApiError('listParamInvalid', { name: 'UserStatus', allowed: 'Enabled | Disabled' });
  }
  if (userType !== undefined && !isUserType(userType)) {
    throw new ApiError('listParamInvalid', { name: 'UserType', allowed: 'Manual | Synchronized' });
  }
  const direction = sortDirection(query.sortField, query.sortType);
  const filter = query.filter ?? '';
  const filtered = userStatus !== undefined || userType !== undefined || filter !== '';
  const contains = containsFolded(filter);
  const matchesText = (u: User) => contains(searchText(u));
  const page = paginate(db.users.ordered('zone', zone.zoneId), {
    fingerprint: queryFingerprint({ list: 'users', zone: zone.zoneId, userStatus, userType, filter, direction }),
    direction,
    key: (u) => ({ time: u.createTime, id: u.userId }),
    page: query.page,
    filter: filtered
      ? (u) =>
          (userStatus === undefined || u.userStatus === userStatus) &&
          (userType === undefined || u.userType === userType) &&
          (filter === '' || matchesText(u))
      : undefined,
  });
  const selectedGroups = query.filterGroups;
  if (selectedGroups === undefined) return page;
  return {
    ...page,
    selected: page.items.map((user) => selectedGroups.some((groupId) => db.memberships.has(membershipKey(groupId, user.userId)))),
  };
}

/** A record's fields, writable: for building the next version of a record. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
