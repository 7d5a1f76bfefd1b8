import { groupsOf } from '../domain/memberships.js';
import type { UserFields } from '../domain/users.js';
import type { ScimEmail, User, UserScimExtras } from '../domain/entities.js';
import type { DbView } from '../domain/schema.js';
import { CORE_USER_SCHEMA_ID, ENTERPRISE_USER_SCHEMA_ID, isJsonObject, type JsonObject, type JsonValue } from './engine/index.js';

/** Attributes that map to Identity Center columns or are computed; everything else is kept in `scim.extra`. */
const MAPPED = new Set(['userName', 'displayName', 'emails', 'active', 'externalId', 'schemas', 'id', 'meta', 'groups', 'password']);

export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/**
 * The e-mails to show: what the IdP sent, as long as its primary address is
 * still the user's Email (the API may have changed it since); otherwise the
 * Email alone, as the primary work address.
 */
function emailsOf(user: User): readonly ScimEmail[] {
  const sent = user.scim?.emails;
  if (sent && sent.length > 0) {
    const primary = sent.find((e) => e.primary) ?? sent[0]!;
    if (primary.value === user.email) return sent;
  }
  return user.email ? [{ value: user.email, type: 'work', primary: true }] : [];
}

export function userToScim(db: DbView, user: User, baseUrl: string): JsonObject {
  const extra = (user.scim?.extra ?? {}) as JsonObject;
  const { name: extraName, ...otherExtra } = extra;
  const name: JsonObject = { ...(isJsonObject(extraName) ? extraName : {}) };
  if (user.firstName) name.givenName = user.firstName;
  if (user.lastName) name.familyName = user.lastName;
  const resource: JsonObject = {
    schemas: [CORE_USER_SCHEMA_ID, ...(isJsonObject(extra[ENTERPRISE_USER_SCHEMA_ID]) ? [ENTERPRISE_USER_SCHEMA_ID] : [])],
    id: user.userId,
  };
  if (user.scim?.externalId) resource.externalId = user.scim.externalId;
  resource.userName = user.userName;
  if (Object.keys(name).length > 0) resource.name = name;
  if (user.displayName) resource.displayName = user.displayName;
  resource.active = user.userStatus === 'Enabled';
  const emails = emailsOf(user);
  if (emails.length > 0) resource.emails = emails as unknown as JsonValue[];
  Object.assign(resource, otherExtra);
  const groups = groupsOf(db, user.userId).map(({ group }) => ({
    value: group.groupId,
    display: group.groupName,
    $ref: `${baseUrl}/Groups/${group.groupId}`,
    type: 'direct',
  }));
  if (groups.length > 0) resource.groups = groups;
  resource.meta = {
    resourceType: 'User',
    created: user.createTime,
    lastModified: user.updateTime,
    location: `${baseUrl}/Users/${user.userId}`,
    version: etagOf(user.version),
  };
  return resource;
}

/**
 * A whole (normalised) SCIM User -> the Identity Center fields it sets. Used
 * for POST, PUT and the result of a PATCH, so all three agree.
 */
export function scimToUserFields(resource: JsonObject): Omit<UserFields, 'description' | 'needResetPassword'> {
  const name = isJsonObject(resource.name) ? resource.name : {};
  const emails = (Array.isArray(resource.emails) ? resource.emails : []).filter(isJsonObject) as unknown as ScimEmail[];
  const primary = emails.find((e) => e.primary === true) ?? emails[0];
  const { givenName, familyName, ...otherName } = name;
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (MAPPED.has(key) || key === 'name') continue;
    extra[key] = value;
  }
  if (Object.keys(otherName).length > 0) extra.name = otherName;
  const scim: UserScimExtras = {
    ...(typeof resource.externalId === 'string' && resource.externalId ? { externalId: resource.externalId } : {}),
    ...(emails.length > 0 ? { emails } : {}),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
  return {
    userName: String(resource.userName ?? ''),
    firstName: typeof givenName === 'string' ? givenName : '',
    lastName: typeof familyName === 'string' ? familyName : '',
    displayName: typeof resource.displayName === 'string' ? resource.displayName : '',
    email: primary?.value ?? '',
    userStatus: resource.active === false ? 'Disabled' : 'Enabled',
    scim,
  };
}
