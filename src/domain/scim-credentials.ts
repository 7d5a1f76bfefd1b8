import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../errors/api-error.js';
import type { Account, ScimCredential, State, Zone } from '../store/state.js';
import { isEnabledStatus, type DomainContext } from './context.js';
import { requireZone } from './zones.js';

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
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function createScimCredential(
  state: State,
  account: Account,
  zoneId: string,
  expireSeconds: number | undefined,
  ctx: DomainContext,
): CreatedScimCredential {
  const zone = requireZone(state, account, zoneId);
  const duration = expireSeconds ?? DEFAULT_EXPIRE_SECONDS;
  if (!Number.isInteger(duration) || duration < MIN_EXPIRE_SECONDS || duration > MAX_EXPIRE_SECONDS) {
    throw new ApiError('expireDurationOutOfRange', {
      min: MIN_EXPIRE_SECONDS,
      max: MAX_EXPIRE_SECONDS,
      value: duration,
    });
  }
  const existing = credentialsOfZone(state, zone.zoneId).length;
  if (existing >= SCIM_CREDENTIALS_PER_ZONE) {
    throw new ApiError('scimCredentialLimit', { zoneId: zone.zoneId, limit: SCIM_CREDENTIALS_PER_ZONE });
  }
  const secret = ctx.ids.secret(SECRET_BYTES);
  const credential: ScimCredential = {
    credentialId: newCredentialId(state, ctx),
    zoneId: zone.zoneId,
    type: 'BearerToken',
    status: 'Enabled',
    secretHash: hashSecret(secret),
    createTime: ctx.now.toISOString(),
    expireTime: new Date(ctx.now.getTime() + duration * 1000).toISOString(),
    lastUsedTime: null,
  };
  state.scimCredentials.push(credential);
  return { credential, secret };
}

function newCredentialId(state: Readonly<State>, ctx: DomainContext): string {
  for (;;) {
    const id = ctx.ids.resourceId('scimcred-', 12);
    if (!state.scimCredentials.some((c) => c.credentialId === id)) return id;
  }
}

export function credentialsOfZone(state: Readonly<State>, zoneId: string): ScimCredential[] {
  return state.scimCredentials.filter((c) => c.zoneId === zoneId);
}

export function listScimCredentials(
  state: Readonly<State>,
  account: Account,
  zoneId: string,
  credentialId?: string,
): ScimCredential[] {
  const zone = requireZone(state, account, zoneId);
  const all = credentialsOfZone(state, zone.zoneId);
  return credentialId === undefined ? all : all.filter((c) => c.credentialId === credentialId);
}

function requireCredential(state: Readonly<State>, zone: Zone, credentialId: string): ScimCredential {
  const found = state.scimCredentials.find((c) => c.zoneId === zone.zoneId && c.credentialId === credentialId);
  if (!found) throw new ApiError('scimCredentialNotFound', { zoneId: zone.zoneId, credentialId });
  return found;
}

export function setScimCredentialStatus(
  state: State,
  account: Account,
  zoneId: string,
  credentialId: string,
  status: string,
): ScimCredential {
  const zone = requireZone(state, account, zoneId);
  if (!isEnabledStatus(status)) throw new ApiError('scimCredentialStatusInvalid', { status });
  const credential = requireCredential(state, zone, credentialId);
  credential.status = status;
  return credential;
}

export function deleteScimCredential(state: State, account: Account, zoneId: string, credentialId: string): void {
  const zone = requireZone(state, account, zoneId);
  const credential = requireCredential(state, zone, credentialId);
  state.scimCredentials.splice(state.scimCredentials.indexOf(credential), 1);
}

export type BearerCheck =
  | { ok: true; credential: ScimCredential; zone: Zone }
  | { ok: false; reason: 'unknown' | 'disabled' | 'expired' | 'sync-disabled' };

/**
 * Finds the key a SCIM bearer token belongs to and says whether it may be used.
 * Compares hashes in constant time, and looks at every key, so the time taken
 * says nothing about which key (if any) came close.
 */
export function checkBearerToken(state: Readonly<State>, token: string, now: Date): BearerCheck {
  const presented = Buffer.from(hashSecret(token), 'hex');
  let match: ScimCredential | undefined;
  for (const credential of state.scimCredentials) {
    const stored = Buffer.from(credential.secretHash, 'hex');
    if (stored.length === presented.length && timingSafeEqual(stored, presented)) match = credential;
  }
  if (!match) return { ok: false, reason: 'unknown' };
  const zone = state.zones.find((z) => z.zoneId === match.zoneId);
  if (!zone) return { ok: false, reason: 'unknown' };
  if (match.status !== 'Enabled') return { ok: false, reason: 'disabled' };
  if (new Date(match.expireTime).getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  if (zone.scimSyncStatus !== 'Enabled') return { ok: false, reason: 'sync-disabled' };
  return { ok: true, credential: match, zone };
}

/** How many SCIM requests the state remembers (oldest dropped first). */
export const SCIM_REQUEST_LOG_LIMIT = 1000;

/**
 * Records that a SCIM request authenticated with a key: its last-used time and
 * a request-log entry, so a key rotation can be verified (the old key stops
 * appearing before it is deleted).
 */
export function recordScimRequest(
  state: State,
  credentialId: string,
  request: { method: string; path: string; status: number },
  now: Date,
): void {
  const credential = state.scimCredentials.find((c) => c.credentialId === credentialId);
  if (!credential) return; // deleted while the request ran
  const time = now.toISOString();
  credential.lastUsedTime = time;
  state.scimRequestLog.push({ time, zoneId: credential.zoneId, credentialId, ...request });
  const excess = state.scimRequestLog.length - SCIM_REQUEST_LOG_LIMIT;
  if (excess > 0) state.scimRequestLog.splice(0, excess);
}
