import { ApiError } from '../errors/api-error.js';
import type { Account, EnabledStatus, State, Zone } from '../store/state.js';
import { isEnabledStatus, type DomainContext } from './context.js';

/** `z-` + 12 lowercase letters/digits, as the real service makes them. */
export const ZONE_ID_LENGTH = 12;

const ZONE_NAME = /^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;

export function isValidZoneName(name: string): boolean {
  return name.length >= 2 && name.length <= 64 && ZONE_NAME.test(name);
}

export function zoneOfAccount(state: Readonly<State>, uin: string): Zone | undefined {
  return state.zones.find((zone) => zone.ownerUin === uin);
}

/**
 * Resolves the zone a request names, with one precedence for every action:
 * 1. the caller's account has no zone        -> FailedOperation.IdentityCenterNotOpen
 * 2. the ZoneId is not the caller's zone     -> FailedOperation.ZoneIdNotExist
 *    (unknown, malformed, or another account's: other accounts' zones are invisible)
 */
export function requireZone(state: Readonly<State>, account: Account, zoneId: string): Zone {
  const own = zoneOfAccount(state, account.uin);
  if (!own) throw new ApiError('identityCenterNotOpen', { uin: account.uin });
  if (own.zoneId !== zoneId) throw new ApiError('zoneIdNotExist', { zoneId });
  return own;
}

function assertZoneNameUsable(state: Readonly<State>, zoneName: string, except?: Zone): void {
  if (!isValidZoneName(zoneName)) throw new ApiError('zoneNameFormat', { zoneName });
  const taken = state.zones.some((zone) => zone.zoneName === zoneName && zone !== except);
  if (taken) throw new ApiError('zoneNameTaken', { zoneName });
}

export function openIdentityCenter(state: State, account: Account, zoneName: string, ctx: DomainContext): Zone {
  if (!isValidZoneName(zoneName)) throw new ApiError('zoneNameFormat', { zoneName });
  const existing = zoneOfAccount(state, account.uin);
  if (existing) throw new ApiError('identityCenterAlreadyOpen', { uin: account.uin, zoneId: existing.zoneId });
  assertZoneNameUsable(state, zoneName);
  const now = ctx.now.toISOString();
  const zone: Zone = {
    zoneId: newZoneId(state, ctx),
    ownerUin: account.uin,
    zoneName,
    scimSyncStatus: 'Disabled',
    createTime: now,
    updateTime: now,
  };
  state.zones.push(zone);
  return zone;
}

function newZoneId(state: Readonly<State>, ctx: DomainContext): string {
  for (;;) {
    const id = ctx.ids.resourceId('z-', ZONE_ID_LENGTH);
    if (!state.zones.some((zone) => zone.zoneId === id)) return id;
  }
}

export function renameZone(state: State, account: Account, zoneId: string, newName: string, ctx: DomainContext): Zone {
  const zone = requireZone(state, account, zoneId);
  assertZoneNameUsable(state, newName, zone);
  zone.zoneName = newName;
  zone.updateTime = ctx.now.toISOString();
  return zone;
}

export function setScimSyncStatus(
  state: State,
  account: Account,
  zoneId: string,
  status: string,
  ctx: DomainContext,
): Zone {
  const zone = requireZone(state, account, zoneId);
  if (!isEnabledStatus(status)) throw new ApiError('scimSyncStatusInvalid', { status });
  if (zone.scimSyncStatus !== status) {
    zone.scimSyncStatus = status satisfies EnabledStatus;
    zone.updateTime = ctx.now.toISOString();
  }
  return zone;
}
