import type { State, Zone } from '../store/state.js';
import { GROUP_QUOTA_PER_ZONE, groupsOfZone } from './groups.js';
import { USER_QUOTA_PER_ZONE, usersOfZone } from './users.js';

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

export function zoneStatistics(state: Readonly<State>, zone: Zone): ZoneStatisticsView {
  return {
    userQuota: USER_QUOTA_PER_ZONE,
    groupQuota: GROUP_QUOTA_PER_ZONE,
    roleConfigurationQuota: ROLE_CONFIGURATION_QUOTA_PER_ZONE,
    systemPolicyPerRoleConfigurationQuota: SYSTEM_POLICIES_PER_ROLE_CONFIGURATION,
    userCount: usersOfZone(state, zone.zoneId).length,
    groupCount: groupsOfZone(state, zone.zoneId).length,
    roleConfigurationCount: 0,
    userProvisioningCount: 0,
    roleConfigurationSyncCount: 0,
  };
}
