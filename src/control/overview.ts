import type { DbView } from '../domain/schema.js';
import type { ClockState } from '../runtime/clock.js';

/** How many users and groups per zone the dashboard lists (the totals are always exact). */
export const OVERVIEW_ITEMS = 100;
/** How many of a zone's latest SAML sign-ins the dashboard lists. */
export const OVERVIEW_SIGN_INS = 10;

export interface ZoneOverview {
  zoneId: string;
  zoneName: string;
  ownerUin: string;
  accountName: string | null;
  scimSyncStatus: string;
  createTime: string;
  scimKeys: { credentialId: string; status: string; createTime: string; expireTime: string; lastUsedTime: string | null; expired: boolean }[];
  users: {
    total: number;
    synchronized: number;
    manual: number;
    items: { userId: string; userName: string; displayName: string; email: string; userStatus: string; userType: string }[];
  };
  groups: {
    total: number;
    synchronized: number;
    manual: number;
    items: { groupId: string; groupName: string; groupType: string; members: number }[];
  };
  /** The zone's SAML identity provider (null when none is configured) and its latest sign-ins. */
  saml: {
    ssoStatus: string;
    entityId: string;
    loginUrl: string;
    certificates: number;
    signIns: { userName: string; signInTime: string; initiatedBy: string }[];
  } | null;
}

export interface Overview {
  clock: ClockState;
  accounts: { uin: string; name: string; zoneId: string | null }[];
  zones: ZoneOverview[];
}

/**
 * What the dashboard shows, in one read: no secret is in it (no SecretId,
 * SecretKey, SCIM secret or hash), and lists are cut at OVERVIEW_ITEMS so a
 * zone of 100,000 users refreshes as fast as an empty one.
 */
export function overviewOf(view: DbView, clock: ClockState): Overview {
  const now = Date.parse(clock.now);
  const zones: ZoneOverview[] = [];
  for (const zone of view.zones.scan()) {
    const users = { total: 0, synchronized: 0, manual: 0, items: [] as ZoneOverview['users']['items'] };
    for (const u of view.users.iterate('zone', zone.zoneId)) {
      users.total += 1;
      if (u.userType === 'Synchronized') users.synchronized += 1;
      else users.manual += 1;
      if (users.items.length < OVERVIEW_ITEMS) {
        users.items.push({ userId: u.userId, userName: u.userName, displayName: u.displayName, email: u.email, userStatus: u.userStatus, userType: u.userType });
      }
    }
    const groups = { total: 0, synchronized: 0, manual: 0, items: [] as ZoneOverview['groups']['items'] };
    for (const g of view.groups.iterate('zone', zone.zoneId)) {
      groups.total += 1;
      if (g.groupType === 'Synchronized') groups.synchronized += 1;
      else groups.manual += 1;
      if (groups.items.length < OVERVIEW_ITEMS) {
        groups.items.push({ groupId: g.groupId, groupName: g.groupName, groupType: g.groupType, members: view.memberships.ordered('group', g.groupId).size });
      }
    }
    zones.push({
      zoneId: zone.zoneId,
      zoneName: zone.zoneName,
      ownerUin: zone.ownerUin,
      accountName: view.accounts.get(zone.ownerUin)?.name ?? null,
      scimSyncStatus: zone.scimSyncStatus,
      createTime: zone.createTime,
      scimKeys: view.scimCredentials.find('zone', zone.zoneId).map((c) => ({
        credentialId: c.credentialId,
        status: c.status,
        createTime: c.createTime,
        expireTime: c.expireTime,
        lastUsedTime: c.lastUsedTime,
        expired: Date.parse(c.expireTime) <= now,
      })),
      users,
      groups,
      saml: samlOverview(view, zone.zoneId),
    });
  }
  const accounts = Array.from(view.accounts.scan(), (a) => ({ uin: a.uin, name: a.name, zoneId: view.zones.findOne('owner', a.uin)?.zoneId ?? null }));
  return { clock, accounts, zones };
}

function samlOverview(view: DbView, zoneId: string): ZoneOverview['saml'] {
  const provider = view.samlIdentityProviders.get(zoneId);
  if (!provider) return null;
  const signIns: NonNullable<ZoneOverview['saml']>['signIns'] = [];
  // Newest first, across zones: the log is bounded (SIGN_IN_LOG_LIMIT), so the walk is too.
  for (const s of view.samlSignIns.ordered('all', '').iterate('Desc')) {
    if (signIns.length >= OVERVIEW_SIGN_INS) break;
    if (s.zoneId === zoneId) signIns.push({ userName: s.userName, signInTime: s.signInTime, initiatedBy: s.initiatedBy });
  }
  return {
    ssoStatus: provider.ssoStatus,
    entityId: provider.entityId,
    loginUrl: provider.loginUrl,
    certificates: view.samlCertificates.count('zone', zoneId),
    signIns,
  };
}
