import { hash } from 'node:crypto';
import { ApiError } from '../errors/api-error.js';
import type { Account, ScimCredential, Zone } from './entities.js';
import { isEnabledStatus, unusedId, type DomainContext } from './context.js';
import type { Db, DbView } from './schema.js';
import { requireZone } from './zones.js';

/** The real service's rule, not a setting. */
export const SCIM_CREDENTIALS_PER_ZONE = 2;
export const MIN_EXPIRE_SECONDS = 3600;
export const MAX_EXPIRE_SECONDS = 99 * 365 * 86400;
export const DEFAULT_EXPIRE_SECONDS = 365 * 86400;
/** 256 bits of randomness in every SCIM key. */
const SECRET_BYTES = 32;

export interface CreatedScimCredential {
  credential: ScimCredential;
  /** The bearer secret: returned by this call and never again. */
  secret: string;
}

export function hashSecret(secret: string): string {
  // One-shot: a Hash object per SCIM request cost ~1.3 us more.
  return hash('sha256', secret, 'hex');
}

export function createScimCredential(
  db: Db,
  account: Account,
  zoneId: string,
  expireSeconds: number | undefined,
  ctx: DomainContext,
): CreatedScimCredential {
  const zone = requireZone(db, account, zoneId);
  const duration = expireSeconds ?? DEFAULT_EXPIRE_SECONDS;
  if (!Number.isInteger(duration) || duration < MIN_EXPIRE_SECONDS || duration > MAX_EXPIRE_SECONDS) {
    throw new ApiError('expireDurationOutOfRange', {
      min: MIN_EXPIRE_SECONDS,
      max: MAX_EXPIRE_SECONDS,
      value: duration,
    });
  }
  if (db.scimCredentials.count('zone', zone.zoneId) >= SCIM_CREDENTIALS_PER_ZONE) {
    throw new ApiError('scimCredentialLimit', { zoneId: zone.zoneId, limit: SCIM_CREDENTIALS_PER_ZONE });
  }
  const secret = ctx.ids.secret(SECRET_BYTES);
  const credential = db.scimCredentials.put({
    credentialId: newCredentialId(db, ctx),
    zoneId: zone.zoneId,
    type: 'BearerToken',
    status: 'Enabled',
    secretHash: hashSecret(secret),
    createTime: ctx.now.toISOString(),
    expireTime: new Date(ctx.now.getTime() + duration * 1000).toISOString(),
    lastUsedTime: null,
  });
  return { credential, secret };
}

function newCredentialId(db: DbView, ctx: DomainContext): string {
  return unusedId(ctx, 'scimcred-', 12, db.scimCredentials);
}

/** The zone's keys, oldest first. */
export function credentialsOfZone(db: DbView, zoneId: string): ScimCredential[] {
  return db.scimCredentials.find('zone', zoneId);
}

export function listScimCredentials(db: DbView, account: Account, zoneId: string, credentialId?: string): ScimCredential[] {
  const zone = requireZone(db, account, zoneId);
  const all = credentialsOfZone(db, zone.zoneId);
  return credentialId === undefined ? all : all.filter((c) => c.credentialId === credentialId);
}

function requireCredential(db: DbView, zone: Zone, credentialId: string): ScimCredential {
  const found = db.scimCredentials.get(credentialId);
  if (!found || found.zoneId !== zone.zoneId) throw new ApiError('scimCredentialNotFound', { zoneId: zone.zoneId, credentialId });
  return found;
}

export function setScimCredentialStatus(db: Db, account: Account, zoneId: string, credentialId: string, status: string): ScimCredential {
  const zone = requireZone(db, account, zoneId);
  if (!isEnabledStatus(status)) throw new ApiError('scimCredentialStatusInvalid', { status });
  const credential = requireCredential(db, zone, credentialId);
  return credential.status === status ? credential : db.scimCredentials.put({ ...credential, status });
}

export function deleteScimCredential(db: Db, account: Account, zoneId: string, credentialId: string): void {
  const zone = requireZone(db, account, zoneId);
  db.scimCredentials.delete(requireCredential(db, zone, credentialId).credentialId);
}

export type BearerCheck =
  | { ok: true; credential: ScimCredential; zone: Zone }
  | { ok: false; reason: 'unknown' | 'disabled' | 'expired' | 'sync-disabled' };

/**
 * Finds the key a SCIM bearer token belongs to and says whether it may be used.
 * Keys are found by the SHA-256 of the token: how long that look-up takes can
 * only tell an attacker about hashes, never about a secret.
 */
export function checkBearerToken(db: DbView, token: string, now: Date): BearerCheck {
  const match = db.scimCredentials.findOne('secretHash', hashSecret(token));
  if (!match) return { ok: false, reason: 'unknown' };
  const zone = db.zones.get(match.zoneId);
  if (!zone) return { ok: false, reason: 'unknown' };
  if (match.status !== 'Enabled') return { ok: false, reason: 'disabled' };
  if (new Date(match.expireTime).getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  if (zone.scimSyncStatus !== 'Enabled') return { ok: false, reason: 'sync-disabled' };
  return { ok: true, credential: match, zone };
}

/**
 * Moves a key's stored last use to `usedAt`, a whole second ("….000Z", as the
 * API shows it): a key in steady use is re-stored once a second, not on every
 * request. Meant for a lazy transaction: a SCIM read must not cost a disk
 * write. A key deleted meanwhile is left alone.
 */
export function markScimCredentialUsed(db: Db, credentialId: string, usedAt: string): void {
  const credential = db.scimCredentials.get(credentialId);
  if (!credential || credential.lastUsedTime === usedAt) return;
  db.scimCredentials.put({ ...credential, lastUsedTime: usedAt });
}
