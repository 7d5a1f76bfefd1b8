import type { Quotas } from '../config.js';
import type { Zone } from './entities.js';
import { groupCount } from './groups.js';
import type { DbView } from './schema.js';
import { userCount } from './users.js';

/** Quotas of features the emulator does not model yet: the values of the GetZoneStatistics reference example. */
export const ROLE_CONFIGURATION_QUOTA_PER_ZONE = 1000;
export const SYSTEM_POLICIES_PER_ROLE_CONFIGURATION = 20;

export interface ZoneStatisticsView {
  userQuota: number;
  groupQuota: number;
  roleConfigurationQuota: number;
  systemPolicyPerRoleConfigurationQuota: number;
  userCount: number;
  groupCount: number;
  /** Permission configurations are not modelled yet: always 0. */
  roleConfigurationCount: number;
  /** CAM user synchronisations (UserProvisioning resources) are not modelled yet: always 0. */
  userProvisioningCount: number;
  /** Role configuration provisionings are not modelled yet: always 0. */
  roleConfigurationSyncCount: number;
}

export function zoneStatistics(db: DbView, zone: Zone, quotas: Quotas): ZoneStatisticsView {
  return {
    userQuota: quotas.usersPerZone,
    groupQuota: quotas.groupsPerZone,
    roleConfigurationQuota: ROLE_CONFIGURATION_QUOTA_PER_ZONE,
    systemPolicyPerRoleConfigurationQuota: SYSTEM_POLICIES_PER_ROLE_CONFIGURATION,
    userCount: userCount(db, zone.zoneId),
    groupCount: groupCount(db, zone.zoneId),
    roleConfigurationCount: 0,
    userProvisioningCount: 0,
    roleConfigurationSyncCount: 0,
  };
}
