/**
 * The whole persisted state. Every record carries the account (Uin) or zone it
 * belongs to; times are ISO 8601 UTC instants (formatted at the edges).
 * Bump STATE_SCHEMA_VERSION with a migration in migrate.ts when the shape changes.
 */
export const STATE_SCHEMA_VERSION = 1;

export type EnabledStatus = 'Enabled' | 'Disabled';

export interface Account {
  uin: string;
  appId: number;
  name: string;
  secretId: string;
  secretKey: string;
}

export interface Zone {
  zoneId: string;
  ownerUin: string;
  zoneName: string;
  scimSyncStatus: EnabledStatus;
  createTime: string;
  updateTime: string;
}

export interface ScimCredential {
  credentialId: string;
  zoneId: string;
  type: 'BearerToken';
  status: EnabledStatus;
  /** SHA-256 of the secret, hex: the secret itself is shown once and never stored. */
  secretHash: string;
  createTime: string;
  expireTime: string;
  /** When a SCIM request last authenticated with this key; null if never. */
  lastUsedTime: string | null;
}

export type UserType = 'Manual' | 'Synchronized';

export interface ScimEmail {
  value: string;
  type?: string;
  primary?: boolean;
  display?: string;
}

export interface User {
  zoneId: string;
  userId: string;
  userName: string;
  firstName: string;
  lastName: string;
  displayName: string;
  description: string;
  email: string;
  userStatus: EnabledStatus;
  userType: UserType;
  needResetPassword: boolean;
  createTime: string;
  updateTime: string;
  /** Bumped on every change; the SCIM ETag. */
  version: number;
  /** SCIM-only attributes an identity provider sent that Identity Center has no column for. */
  scim?: UserScimExtras;
}

export interface UserScimExtras {
  externalId?: string;
  emails?: ScimEmail[];
  /** Other attributes (e.g. enterprise extension, phoneNumbers), kept so GET returns what was PUT. */
  extra?: Record<string, unknown>;
}

export interface Group {
  zoneId: string;
  groupId: string;
  groupName: string;
  description: string;
  groupType: UserType;
  createTime: string;
  updateTime: string;
  version: number;
  scim?: { externalId?: string };
}

export interface Membership {
  zoneId: string;
  groupId: string;
  userId: string;
  joinTime: string;
}

/** Which SCIM key authenticated which request: lets a key rotation be checked. */
export interface ScimRequestRecord {
  time: string;
  zoneId: string;
  credentialId: string;
  method: string;
  path: string;
  status: number;
}

export interface State {
  schemaVersion: number;
  accounts: Account[];
  zones: Zone[];
  scimCredentials: ScimCredential[];
  users: User[];
  groups: Group[];
  memberships: Membership[];
  scimRequestLog: ScimRequestRecord[];
}

export function emptyState(): State {
  return {
    schemaVersion: STATE_SCHEMA_VERSION,
    accounts: [],
    zones: [],
    scimCredentials: [],
    users: [],
    groups: [],
    memberships: [],
    scimRequestLog: [],
  };
}
