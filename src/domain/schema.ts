import { collection } from '../store/collection.js';
import { StateFormatError } from '../store/errors.js';
import { log } from '../store/log-collection.js';
import type { SnapshotSource } from '../store/persistence.js';
import type { SortKey } from '../store/sorted-list.js';
import type { ReadTables, RecordOf, Tables } from '../store/store.js';
import { checkRecordShapes, shapeProblem, withFixtureDefaults } from './record-shapes.js';
import { checkStateIntegrity } from './state-integrity.js';
import type {
  Account,
  Group,
  Membership,
  SamlCertificate,
  SamlIdentityProvider,
  SamlLoginRequest,
  SamlSeenAssertion,
  SamlSignIn,
  ScimCredential,
  ScimRequestRecord,
  User,
  Zone,
} from './entities.js';

/**
 * 2: the journal (`journalSeq`) and sequence numbers on the SCIM request log.
 * 3: the SAML collections (an older emulator must refuse such a file, not
 * stumble on collections it does not know).
 * Bump it, with a step in `migrate`, whenever a record's shape changes.
 */
export const STATE_SCHEMA_VERSION = 3;

/** Case-insensitive unique keys are scoped to a zone. The NUL cannot occur in either part. */
export function zoneKey(zoneId: string, value: string): string {
  return `${zoneId}\u0000${value.toLowerCase()}`;
}

export function membershipKey(groupId: string, userId: string): string {
  return `${groupId}/${userId}`;
}

/** Creation and joining times order every listing; ids break ties. */
function byTime(time: string, id: string): SortKey {
  return [Date.parse(time), id];
}

export function seenAssertionKey(zoneId: string, assertionId: string): string {
  return `${zoneId}/${assertionId}`;
}

export const SCHEMA = {
  accounts: collection<Account>()({
    key: (a) => a.uin,
    indexes: { secretId: (a) => a.secretId },
  }),
  zones: collection<Zone>()({
    key: (z) => z.zoneId,
    indexes: { owner: (z) => z.ownerUin, name: (z) => z.zoneName },
  }),
  scimCredentials: collection<ScimCredential>()({
    key: (c) => c.credentialId,
    indexes: { zone: (c) => c.zoneId, secretHash: (c) => c.secretHash },
  }),
  users: collection<User>()({
    key: (u) => u.userId,
    indexes: {
      // Creation order within the zone (an index lists in the collection's order): the order SCIM lists have always had.
      zone: (u) => u.zoneId,
      userName: (u) => zoneKey(u.zoneId, u.userName),
      email: (u) => (u.email === '' ? undefined : zoneKey(u.zoneId, u.email)),
      externalId: (u) => (u.scim?.externalId ? zoneKey(u.zoneId, u.scim.externalId) : undefined),
    },
    ordered: { zone: { group: (u) => u.zoneId, sortKey: (u) => byTime(u.createTime, u.userId) } },
  }),
  groups: collection<Group>()({
    key: (g) => g.groupId,
    indexes: {
      zone: (g) => g.zoneId,
      groupName: (g) => zoneKey(g.zoneId, g.groupName),
      externalId: (g) => (g.scim?.externalId ? zoneKey(g.zoneId, g.scim.externalId) : undefined),
    },
    ordered: { zone: { group: (g) => g.zoneId, sortKey: (g) => byTime(g.createTime, g.groupId) } },
  }),
  memberships: collection<Membership>()({
    key: (m) => membershipKey(m.groupId, m.userId),
    ordered: {
      group: { group: (m) => m.groupId, sortKey: (m) => byTime(m.joinTime, m.userId) },
      user: { group: (m) => m.userId, sortKey: (m) => byTime(m.joinTime, m.groupId) },
    },
  }),
  scimRequestLog: log<ScimRequestRecord>()({ seq: (r) => r.seq }),
  samlIdentityProviders: collection<SamlIdentityProvider>()({ key: (p) => p.zoneId }),
  samlCertificates: collection<SamlCertificate>()({
    key: (c) => c.certificateId,
    indexes: { zone: (c) => c.zoneId, fingerprint: (c) => zoneKey(c.zoneId, c.fingerprint) },
  }),
  // The three below are bounded by their expiry order: each write drops what has expired.
  samlLoginRequests: collection<SamlLoginRequest>()({
    key: (r) => r.requestId,
    ordered: { expiry: { group: () => '', sortKey: (r) => byTime(r.expireTime, r.requestId) } },
  }),
  samlSeenAssertions: collection<SamlSeenAssertion>()({
    key: (a) => seenAssertionKey(a.zoneId, a.assertionId),
    ordered: { expiry: { group: () => '', sortKey: (a) => byTime(a.expireTime, seenAssertionKey(a.zoneId, a.assertionId)) } },
  }),
  samlSignIns: collection<SamlSignIn>()({
    key: (s) => s.sessionId,
    ordered: { all: { group: () => '', sortKey: (s) => byTime(s.signInTime, s.sessionId) } },
  }),
};

export type IdentityCenterSchema = typeof SCHEMA;
/** The collections, writable: what a domain operation that changes state receives. */
export type Db = Tables<IdentityCenterSchema>;
/** The collections, read-only. */
export type DbView = ReadTables<IdentityCenterSchema>;

const NAMES = new Set(Object.keys(SCHEMA));

/** A state as plain arrays, as in a data or fixtures file: what embedders and tests write by hand. */
export type StateDocument = { schemaVersion?: number } & {
  readonly [K in keyof IdentityCenterSchema]?: readonly RecordOf<IdentityCenterSchema[K]>[];
};

export function snapshotOf(doc: StateDocument): SnapshotSource {
  const collections = Object.keys(SCHEMA).flatMap((name) => {
    const records = doc[name as keyof IdentityCenterSchema];
    return records === undefined ? [] : [[name, records] as const];
  });
  return migrate({ schemaVersion: doc.schemaVersion ?? STATE_SCHEMA_VERSION, journalSeq: 0, collections });
}

/**
 * Any supported state document -> the current version. Version 1 had no
 * journal and no sequence numbers on the SCIM request log; version 2 no SAML
 * collections (they start empty).
 */
export function migrate(source: SnapshotSource): SnapshotSource {
  for (const [name] of source.collections) {
    if (!NAMES.has(name)) throw new StateFormatError(`unknown collection ${JSON.stringify(name)}`);
  }
  let upgraded = source;
  if (source.schemaVersion < STATE_SCHEMA_VERSION) {
    const collections = source.collections.map(([name, records]) => {
      if (name !== 'scimRequestLog' || source.schemaVersion >= 2) return [name, records] as const;
      return [name, records.map((r, i) => ({ ...(r as object), seq: i + 1 }))] as const;
    });
    upgraded = { schemaVersion: STATE_SCHEMA_VERSION, journalSeq: source.journalSeq, collections };
  }
  for (const [name, records] of upgraded.collections) checkRecordShapes(name, records);
  return upgraded;
}

/** A fixtures document with the fields it may leave out filled in (`fixtureDefaults` in record-shapes). */
export function completeFixtures(source: SnapshotSource, now: Date): SnapshotSource {
  return { ...source, collections: source.collections.map(([name, records]) => [name, records.map((r) => withFixtureDefaults(name, r, now))] as const) };
}

export const IDENTITY_CENTER_STATE = {
  schema: SCHEMA,
  version: STATE_SCHEMA_VERSION,
  migrate,
  recordProblem: shapeProblem,
  checkIntegrity: checkStateIntegrity,
  completeFixtures,
};
