import { membersOf } from '../domain/memberships.js';
import type { Group } from '../domain/entities.js';
import type { DbView } from '../domain/schema.js';
import { CORE_GROUP_SCHEMA_ID, ScimError, isJsonObject, type JsonObject } from './engine/index.js';
import { etagOf } from './user-mapping.js';

export function groupToScim(db: DbView, group: Group, baseUrl: string, withMembers = true): JsonObject {
  const resource: JsonObject = { schemas: [CORE_GROUP_SCHEMA_ID], id: group.groupId };
  if (group.scim?.externalId) resource.externalId = group.scim.externalId;
  resource.displayName = group.groupName;
  if (withMembers) {
    resource.members = membersOf(db, group.groupId).map(({ user }) => ({
      value: user.userId,
      display: user.displayName || user.userName,
      $ref: `${baseUrl}/Users/${user.userId}`,
      type: 'User',
    }));
  }
  resource.meta = {
    resourceType: 'Group',
    created: group.createTime,
    lastModified: group.updateTime,
    location: `${baseUrl}/Groups/${group.groupId}`,
    version: etagOf(group.version),
  };
  return resource;
}

export interface GroupWrite {
  groupName: string;
  externalId: string | undefined;
  memberIds: string[];
}

/** A whole (normalised) SCIM Group -> name, externalId and member user IDs. Only users can be members. */
export function scimToGroupWrite(resource: JsonObject): GroupWrite {
  const members = Array.isArray(resource.members) ? resource.members.filter(isJsonObject) : [];
  const memberIds: string[] = [];
  for (const member of members) {
    if (member.type === 'Group') throw new ScimError(400, 'invalidValue', 'Identity Center groups cannot contain groups.');
    if (typeof member.value !== 'string' || member.value === '') {
      throw new ScimError(400, 'invalidValue', 'Every member needs a value (a user id).');
    }
    memberIds.push(member.value);
  }
  return {
    groupName: String(resource.displayName ?? ''),
    externalId: typeof resource.externalId === 'string' && resource.externalId ? resource.externalId : undefined,
    memberIds,
  };
}
