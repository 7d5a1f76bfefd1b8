import { RecordIntegrityError } from '../store/errors.js';
import type { SnapshotSource } from '../store/persistence.js';
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
  User,
  Zone,
} from './entities.js';
import { membershipKey, SCHEMA, zoneKey } from './schema.js';

/** Each record's key in its collection (a log's is its sequence number): two records with one key would load as one. */
function keyOf(name: keyof typeof SCHEMA, record: unknown): string {
  const spec = SCHEMA[name] as { key?: (r: never) => string; seq?: (r: never) => number };
  return spec.key ? spec.key(record as never) : String(spec.seq!(record as never));
}

/**
 * Rules across records that every state must keep, at start-up (the data
 * file and its journal, the fixtures) and when one is loaded while the
 * emulator runs (`POST /_emulator/state`, a snapshot restore): the shape
 * checks of `migrate` see one record at a time, a dangling reference would
 * surface later as an InternalError on whichever request touches it, and two
 * records with one id would silently load as one. Throws RecordIntegrityError
 * naming the first offending record.
 */
export function checkStateIntegrity(source: SnapshotSource): void {
  const of = <T>(name: keyof typeof SCHEMA): readonly T[] => (source.collections.find(([n]) => n === name)?.[1] ?? []) as readonly T[];
  const accounts = of<Account>('accounts');
  const zones = of<Zone>('zones');
  const credentials = of<ScimCredential>('scimCredentials');
  const users = of<User>('users');
  const groups = of<Group>('groups');
  const memberships = of<Membership>('memberships');
  const providers = of<SamlIdentityProvider>('samlIdentityProviders');
  const certificates = of<SamlCertificate>('samlCertificates');
  const signIns = of<SamlSignIn>('samlSignIns');

  /** `label` shows a key in messages (zone-scoped keys hold a NUL). Records whose key is undefined are not filed. */
  const unique = <T>(name: string, records: readonly T[], keyOf: (r: T) => string | undefined, what: string, label: (r: T) => string = (r) => keyOf(r)!) => {
    const seen = new Set<string>();
    records.forEach((record, i) => {
      const key = keyOf(record);
      if (key === undefined) return;
      if (seen.has(key)) throw new RecordIntegrityError(`${name}[${i}]: ${what} ${JSON.stringify(label(record))} appears twice`, { collection: name, index: i });
      seen.add(key);
    });
    return seen;
  };
  for (const [name, records] of source.collections) {
    if (name in SCHEMA) unique(name, records, (r) => keyOf(name as keyof typeof SCHEMA, r), 'the key');
  }
  const uins = unique('accounts', accounts, (a) => a.uin, 'uin');
  unique('accounts', accounts, (a) => a.secretId, 'secretId');
  const zoneIds = unique('zones', zones, (z) => z.zoneId, 'zoneId');
  unique('zones', zones, (z) => z.zoneName, 'zoneName');
  // One Identity Center zone per account, as OpenIdentityCenter enforces.
  unique('zones', zones, (z) => z.ownerUin, 'ownerUin (an account has one zone)');
  unique('scimCredentials', credentials, (c) => c.credentialId, 'credentialId');
  const userZone = new Map<string, string>();
  unique('users', users, (u) => u.userId, 'userId');
  for (const u of users) userZone.set(u.userId, u.zoneId);
  const groupZone = new Map<string, string>();
  unique('groups', groups, (g) => g.groupId, 'groupId');
  for (const g of groups) groupZone.set(g.groupId, g.zoneId);
  unique('memberships', memberships, (m) => membershipKey(m.groupId, m.userId), 'membership');
  // The names CreateUser, CreateGroup and SCIM keep unique within a zone.
  unique('users', users, (u) => zoneKey(u.zoneId, u.userName), 'userName (within its zone, any case)', (u) => u.userName);
  unique('users', users, (u) => (u.email === '' ? undefined : zoneKey(u.zoneId, u.email)), 'email (within its zone, any case)', (u) => u.email);
  unique('groups', groups, (g) => zoneKey(g.zoneId, g.groupName), 'groupName (within its zone, any case)', (g) => g.groupName);

  const refer = <T>(name: string, records: readonly T[], check: (r: T) => string | null) => {
    records.forEach((record, i) => {
      const problem = check(record);
      if (problem) throw new RecordIntegrityError(`${name}[${i}]: ${problem}`, { collection: name, index: i });
    });
  };
  const inAZone = (r: { zoneId: string }) => (zoneIds.has(r.zoneId) ? null : `zoneId ${JSON.stringify(r.zoneId)} is no zone`);
  refer('zones', zones, (z) => (uins.has(z.ownerUin) ? null : `ownerUin ${JSON.stringify(z.ownerUin)} is no account`));
  refer('scimCredentials', credentials, inAZone);
  refer('users', users, inAZone);
  refer('groups', groups, inAZone);
  unique('samlIdentityProviders', providers, (p) => p.zoneId, 'zoneId (a zone has one identity provider)');
  unique('samlCertificates', certificates, (c) => c.certificateId, 'certificateId');
  unique('samlCertificates', certificates, (c) => `${c.zoneId}/${c.fingerprint}`, 'certificate (zone and fingerprint)');
  refer('samlIdentityProviders', providers, inAZone);
  refer('samlCertificates', certificates, inAZone);
  refer('samlSignIns', signIns, inAZone);
  refer('samlLoginRequests', of<SamlLoginRequest>('samlLoginRequests'), inAZone);
  refer('samlSeenAssertions', of<SamlSeenAssertion>('samlSeenAssertions'), inAZone);
  // A certificate belongs to its zone's identity provider (clearing the provider removes its certificates).
  const providerZones = new Set(providers.map((p) => p.zoneId));
  refer('samlCertificates', certificates, (c) => (providerZones.has(c.zoneId) ? null : `zone ${JSON.stringify(c.zoneId)} has no identity provider for this certificate`));
  refer('memberships', memberships, (m) => {
    if (groupZone.get(m.groupId) !== m.zoneId) return `groupId ${JSON.stringify(m.groupId)} is no group of zone ${JSON.stringify(m.zoneId)}`;
    if (userZone.get(m.userId) !== m.zoneId) return `userId ${JSON.stringify(m.userId)} is no user of zone ${JSON.stringify(m.zoneId)}`;
    return null;
  });
}
