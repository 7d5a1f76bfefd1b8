import { InvalidRecordError } from '../store/errors.js';

/** What a field must hold. `?` marks an optional field. */
type FieldKind = 'string' | 'time' | 'int' | 'bool' | 'status' | 'userType' | 'string|null' | 'time|null' | 'object';

type Shape = Readonly<Record<string, FieldKind | `${FieldKind}?`>>;

/**
 * The fields every stored record must have, by collection. A data file is
 * someone's file: a record missing a field would otherwise surface later as
 * an InternalError on whichever request touches it. Checked at start-up.
 */
const SHAPES: Readonly<Record<string, Shape>> = {
  accounts: { uin: 'string', appId: 'int', name: 'string', secretId: 'string', secretKey: 'string' },
  zones: { zoneId: 'string', ownerUin: 'string', zoneName: 'string', scimSyncStatus: 'status', createTime: 'time', updateTime: 'time' },
  scimCredentials: {
    credentialId: 'string',
    zoneId: 'string',
    type: 'string',
    status: 'status',
    secretHash: 'string',
    createTime: 'time',
    expireTime: 'time',
    lastUsedTime: 'time|null',
  },
  users: {
    zoneId: 'string',
    userId: 'string',
    userName: 'string',
    firstName: 'string',
    lastName: 'string',
    displayName: 'string',
    description: 'string',
    email: 'string',
    userStatus: 'status',
    userType: 'userType',
    needResetPassword: 'bool',
    createTime: 'time',
    updateTime: 'time',
    version: 'int',
    scim: 'object?',
  },
  groups: {
    zoneId: 'string',
    groupId: 'string',
    groupName: 'string',
    description: 'string',
    groupType: 'userType',
    createTime: 'time',
    updateTime: 'time',
    version: 'int',
    scim: 'object?',
  },
  memberships: { zoneId: 'string', groupId: 'string', userId: 'string', joinTime: 'time' },
  scimRequestLog: { seq: 'int', time: 'time', zoneId: 'string', credentialId: 'string', method: 'string', path: 'string', status: 'int' },
  samlIdentityProviders: {
    zoneId: 'string',
    entityId: 'string',
    loginUrl: 'string',
    loginBinding: 'string?',
    ssoStatus: 'status',
    encodedMetadataDocument: 'string',
    createTime: 'time',
    updateTime: 'time',
  },
  samlCertificates: { certificateId: 'string', zoneId: 'string', pem: 'string', fingerprint: 'string', createTime: 'time' },
  samlLoginRequests: { requestId: 'string', zoneId: 'string', createTime: 'time', expireTime: 'time', relayState: 'string' },
  samlSeenAssertions: { zoneId: 'string', assertionId: 'string', expireTime: 'time' },
  samlSignIns: {
    sessionId: 'string',
    zoneId: 'string',
    userId: 'string',
    userName: 'string',
    nameId: 'string',
    issuer: 'string',
    signInTime: 'time',
    initiatedBy: 'string',
  },
};

function fits(kind: FieldKind, value: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'time':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    case 'int':
      return Number.isSafeInteger(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'status':
      return value === 'Enabled' || value === 'Disabled';
    case 'userType':
      return value === 'Manual' || value === 'Synchronized';
    case 'string|null':
      return value === null || typeof value === 'string';
    case 'time|null':
      return value === null || fits('time', value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

/** Throws InvalidRecordError naming the first record (collection, position, key fields) whose shape is wrong. */
export function checkRecordShapes(collection: string, records: readonly unknown[]): void {
  const shape = SHAPES[collection];
  if (!shape) return;
  const fields = Object.entries(shape).map(([name, spec]) => ({ name, optional: spec.endsWith('?'), kind: spec.replace(/\?$/, '') as FieldKind }));
  records.forEach((record, index) => {
    const r = record as Record<string, unknown>;
    for (const { name, optional, kind } of fields) {
      const value = r[name];
      if (value === undefined && optional) continue;
      if (!fits(kind, value)) {
        const id = fields.slice(0, 2).map((f) => `${f.name}=${JSON.stringify(r[f.name])}`).join(', ');
        throw new InvalidRecordError(`${collection}[${index}] (${id}): ${name} must be ${kind.replace('|', ' or ')}, found ${JSON.stringify(value) ?? 'nothing'}`);
      }
    }
  });
}
