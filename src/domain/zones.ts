import { ApiError } from '../errors/api-error.js';
import type { Account, EnabledStatus, Zone } from './entities.js';
import { isEnabledStatus, unusedId, type DomainContext } from './context.js';
import type { Db, DbView } from './schema.js';

/** `z-` + 12 lowercase letters/digits, as the real service makes them. */
export const ZONE_ID_LENGTH = 12;

const ZONE_NAME = /^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;

export function isValidZoneName(name: string): boolean {
  return name.length >= 2 && name.length <= 64 && ZONE_NAME.test(name);
}

export function zoneOfAccount(db: DbView, uin: string): Zone | undefined {
  return db.zones.findOne('owner', uin);
}

/**
 * Resolves the zone a request names, with one precedence for every action:
 * 1. the caller's account has no zone        -> FailedOperation.IdentityCenterNotOpen
 * 2. the ZoneId is not the caller's zone     -> FailedOperation.ZoneIdNotExist
 *    (unknown, malformed, or another account's: other accounts' zones are invisible)
 */
export function requireZone(db: DbView, account: Account, zoneId: string): Zone {
  const own = zoneOfAccount(db, account.uin);
  if (!own) throw new ApiError('identityCenterNotOpen', { uin: account.uin });
  if (own.zoneId !== zoneId) throw new ApiError('zoneIdNotExist', { zoneId });
  return own;
}

function assertZoneNameUsable(db: DbView, zoneName: string, except?: Zone): void {
  if (!isValidZoneName(zoneName)) throw new ApiError('zoneNameFormat', { zoneName });
  const taken = db.zones.find('name', zoneName).some((zone) => zone.zoneId !== except?.zoneId);
  if (taken) throw new ApiError('zoneNameTaken', { zoneName });
}

export function openIdentityCenter(db: Db, account: Account, zoneName: string, ctx: DomainContext): Zone {
  if (!isValidZoneName(zoneName)) throw new ApiError('zoneNameFormat', { zoneName });
  const existing = zoneOfAccount(db, account.uin);
  if (existing) throw new ApiError('identityCenterAlreadyOpen', { uin: account.uin, zoneId: existing.zoneId });
  assertZoneNameUsable(db, zoneName);
  const now = ctx.now.toISOString();
  return db.zones.put({
    zoneId: newZoneId(db, ctx),
    ownerUin: account.uin,
    zoneName,
    scimSyncStatus: 'Disabled',
    createTime: now,
    updateTime: now,
  });
}

function newZoneId(db: DbView, ctx: DomainContext): string {
  return unusedId(ctx, 'z-', ZONE_ID_LENGTH, db.zones);
}

export function renameZone(db: Db, account: Account, zoneId: string, newName: string, ctx: DomainContext): Zone {
  const zone = requireZone(db, account, zoneId);
  assertZoneNameUsable(db, newName, zone);
  return db.zones.put({ ...zone, zoneName: newName, updateTime: ctx.now.toISOString() });
}

export function setScimSyncStatus(db: Db, account: Account, zoneId: string, status: string, ctx: DomainContext): Zone {
  const zone = requireZone(db, account, zoneId);
  if (!isEnabledStatus(status)) throw new ApiError('scimSyncStatusInvalid', { status });
  if (zone.scimSyncStatus === status) return zone;
  return db.zones.put({ ...zone, scimSyncStatus: status satisfies EnabledStatus, updateTime: ctx.now.toISOString() });
}
