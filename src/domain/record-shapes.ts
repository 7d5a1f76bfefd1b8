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

/**
 * Instants the API format (`YYYY-MM-DD HH:MM:SS`, shifted by any UTC offset up
 * to ±14 h) and the SCIM `dateTime` can both render: years 0000 to 9999.
 */
const EARLIEST_MS = Date.parse('0000-01-01T00:00:00.000Z') + 14 * 3_600_000;
const LATEST_MS = Date.parse('9999-12-31T23:59:59.999Z') - 14 * 3_600_000;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 instant with its zone, within what every surface can render. */
export function isRepresentableTime(value: unknown): boolean {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return false;
  const ms = Date.parse(value);
  return ms >= EARLIEST_MS && ms <= LATEST_MS;
}

function fits(kind: FieldKind, value: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'time':
      return isRepresentableTime(value);
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

/** How a kind is named in messages (the older names kept: scripts may match them). */
function kindName(kind: FieldKind): string {
  if (kind === 'time') return 'an ISO 8601 time with its zone, years 0000 to 9999';
  if (kind === 'time|null') return 'null or an ISO 8601 time with its zone, years 0000 to 9999';
  return kind.replace('|', ' or ');
}

interface Field {
  name: string;
  optional: boolean;
  kind: FieldKind;
}

const FIELDS: ReadonlyMap<string, readonly Field[]> = new Map(
  Object.entries(SHAPES).map(([collection, shape]) => [
    collection,
    Object.entries(shape).map(([name, spec]) => ({ name, optional: spec.endsWith('?'), kind: spec.replace(/\?$/, '') as FieldKind })),
  ]),
);

/** `users[3] (zoneId="z-1", userId="u-2")`: a record named by its place and its first two fields (its zone and id). */
export function describeRecord(collection: string, index: number | null, record: unknown): string {
  const r = (typeof record === 'object' && record !== null ? record : {}) as Record<string, unknown>;
  const named = (FIELDS.get(collection) ?? []).slice(0, 2);
  const id = named.map((f) => `${f.name}=${JSON.stringify(r[f.name]) ?? 'nothing'}`).join(', ');
  return `${collection}${index === null ? '' : `[${index}]`}${id ? ` (${id})` : ''}`;
}

/** What is wrong with one record's shape (`userName must be a string, found 555`), or null when it fits. */
export function shapeProblem(collection: string, record: unknown): string | null {
  const fields = FIELDS.get(collection);
  if (!fields) return null;
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return 'the record is not an object';
  const r = record as Record<string, unknown>;
  for (const { name, optional, kind } of fields) {
    const value = r[name];
    if (value === undefined && optional) continue;
    if (!fits(kind, value)) return `${name} must be ${kindName(kind)}, found ${JSON.stringify(value) ?? 'nothing'}`;
  }
  return null;
}

/** Throws InvalidRecordError naming the first record (collection, position, key fields) whose shape is wrong. */
export function checkRecordShapes(collection: string, records: readonly unknown[]): void {
  records.forEach((record, index) => {
    const problem = shapeProblem(collection, record);
    if (problem) throw new InvalidRecordError(`${describeRecord(collection, index, record)}: ${problem}`, { collection, index });
  });
}

/** A fixtures field left out takes this; `now` is the start-up time. Fields not listed are required. */
type FixtureDefault = string | number | boolean | null | { readonly now: true } | { readonly yearAfter: 'createTime' };
const NOW = { now: true } as const;

/**
 * Defaults a fixtures file may rely on: what CreateUser, CreateGroup, … would
 * have filled in. Ids, names and references (and every secret) stay required.
 */
const FIXTURE_DEFAULTS: Readonly<Record<string, Readonly<Record<string, FixtureDefault>>>> = {
  accounts: { name: '' },
  zones: { scimSyncStatus: 'Disabled', createTime: NOW, updateTime: NOW },
  scimCredentials: { type: 'BearerToken', status: 'Enabled', createTime: NOW, expireTime: { yearAfter: 'createTime' }, lastUsedTime: null },
  users: {
    firstName: '',
    lastName: '',
    displayName: '',
    description: '',
    email: '',
    userStatus: 'Enabled',
    userType: 'Manual',
    needResetPassword: false,
    createTime: NOW,
    updateTime: NOW,
    version: 1,
  },
  groups: { description: '', groupType: 'Manual', createTime: NOW, updateTime: NOW, version: 1 },
  memberships: { joinTime: NOW },
};

/** A fixtures record with every field it left out filled in from FIXTURE_DEFAULTS (the record itself when none is missing). */
export function withFixtureDefaults(collection: string, record: unknown, now: Date): unknown {
  const defaults = FIXTURE_DEFAULTS[collection];
  if (!defaults || typeof record !== 'object' || record === null || Array.isArray(record)) return record;
  const r = record as Record<string, unknown>;
  const missing = Object.keys(defaults).filter((name) => r[name] === undefined);
  if (missing.length === 0) return record;
  const out: Record<string, unknown> = { ...r };
  for (const name of missing) {
    const value = defaults[name]!;
    if (value !== null && typeof value === 'object') {
      if ('now' in value) out[name] = now.toISOString();
      else {
        const from = Date.parse(String(out[value.yearAfter]));
        out[name] = Number.isNaN(from) ? undefined : new Date(from + 365 * 86_400_000).toISOString();
      }
    } else out[name] = value;
  }
  return out;
}
