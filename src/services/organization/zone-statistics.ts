import { zoneStatistics } from '../../domain/zone-statistics.js';
import { requireZone } from '../../domain/zones.js';
import type { OrganizationHandlers } from './handler-types.js';

export const zoneStatisticsHandlers: OrganizationHandlers = {
  GetZoneStatistics: (params, ctx) => {
    const stats = ctx.store.read((s) => zoneStatistics(s, requireZone(s, ctx.account, params.ZoneId), ctx.quotas));
    return {
      ZoneStatistics: {
        UserQuota: stats.userQuota,
        GroupQuota: stats.groupQuota,
        RoleConfigurationQuota: stats.roleConfigurationQuota,
        SystemPolicyPerRoleConfigurationQuota: stats.systemPolicyPerRoleConfigurationQuota,
        UserCount: stats.userCount,
        GroupCount: stats.groupCount,
        RoleConfigurationCount: stats.roleConfigurationCount,
        UserProvisioningCount: stats.userProvisioningCount,
        RoleConfigurationSyncCount: stats.roleConfigurationSyncCount,
      },
    };
  },
};
