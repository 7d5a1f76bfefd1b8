import type { DomainContext } from '../../domain/context.js';
import { openIdentityCenter, renameZone, requireZone, setScimSyncStatus, zoneOfAccount } from '../../domain/zones.js';
import type { HandlerContext } from '../../api/catalog.js';
import type { OrganizationHandlers } from './handler-types.js';

export function domainContext(ctx: HandlerContext): DomainContext {
  return { now: ctx.now(), ids: ctx.ids, quotas: ctx.quotas };
}

export const identityCenterHandlers: OrganizationHandlers = {
  OpenIdentityCenter: async (params, ctx) => {
    const zone = await ctx.store.transact((s) => openIdentityCenter(s, ctx.account, params.ZoneName, domainContext(ctx)));
    return { ZoneId: zone.zoneId };
  },

  // An account that has not opened Identity Center gets ServiceStatus "Disabled"
  // rather than an error: this is the call automation uses to ask whether to open it.
  DescribeIdentityCenter: (_params, ctx) => {
    const zone = ctx.store.read((s) => zoneOfAccount(s, ctx.account.uin));
    if (!zone) {
      return { ZoneId: '', ZoneName: '', ServiceStatus: 'Disabled', ScimSyncStatus: 'Disabled', CreateTime: '', UpdateTime: '' };
    }
    return {
      ZoneId: zone.zoneId,
      ZoneName: zone.zoneName,
      ServiceStatus: 'Enabled',
      ScimSyncStatus: zone.scimSyncStatus,
      CreateTime: ctx.formatTime(zone.createTime),
      UpdateTime: ctx.formatTime(zone.updateTime),
    };
  },

  UpdateZone: async (params, ctx) => {
    await ctx.store.transact((s) => renameZone(s, ctx.account, params.ZoneId, params.NewZoneName, domainContext(ctx)));
    return {};
  },

  GetSCIMSynchronizationStatus: (params, ctx) => {
    const zone = ctx.store.read((s) => requireZone(s, ctx.account, params.ZoneId));
    return { SCIMSynchronizationStatus: zone.scimSyncStatus };
  },

  UpdateSCIMSynchronizationStatus: async (params, ctx) => {
    await ctx.store.transact((s) =>
      setScimSyncStatus(s, ctx.account, params.ZoneId, params.SCIMSynchronizationStatus, domainContext(ctx)),
    );
    return {};
  },
};
