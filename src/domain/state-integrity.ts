import { InvalidRecordError } from '../store/errors.js';
import type { SnapshotSource } from '../store/persistence.js';
import type { Account, Group, Membership, SamlCertificate, SamlIdentityProvider, SamlSignIn, ScimCredential, User, Zone } from './entities.js';
import { membershipKey, SCHEMA } from './schema.js';

/**
 * Rules across records that a state loaded while the emulator runs must keep
 * (`POST /_emulator/state`, a snapshot restore): the shape checks of
 * `migrate` see one record at a time, and a dangling reference would surface
 * later as an InternalError on whichever request touches it. Throws
 * InvalidRecordError naming the first offending record.
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

  const unique = <T>(name: string, records: readonly T[], keyOf: (r: T) => string, what: string) => {
    const seen = new Set<string>();
    records.forEach((record, i) => {
      const key = keyOf(record);
      if (seen.has(key)) throw new InvalidRecordError(`${name}[${i}]: ${what} ${JSON.stringify(key)} appears twice`);
      seen.add(key);
    });
    return seen;
  };
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

  const refer = <T>(name: string, records: readonly T[], check: (r: T) => string | null) => {
    records.forEach((record, i) => {
      const problem = check(record);
      if (problem) throw new InvalidRecordError(`${name}[${i}]: ${problem}`);
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
  refer('memberships', memberships, (m) => {
    if (groupZone.get(m.groupId) !== m.zoneId) return `groupId ${JSON.stringify(m.groupId)} is no group of zone ${JSON.stringify(m.zoneId)}`;
    if (userZone.get(m.userId) !== m.zoneId) return `userId ${JSON.stringify(m.userId)} is no user of zone ${JSON.stringify(m.zoneId)}`;
    return null;
  });
}
