import type { AnyActionHandler, ServiceVersion } from '../../api/catalog.js';
import { packagePath } from '../../runtime/package-root.js';
import { ORGANIZATION_ACTIONS } from '../../generated/organization-2021-03-31.js';
import type { OrganizationHandlers } from './handler-types.js';
import { identityCenterHandlers } from './identity-center.js';
import { scimCredentialHandlers } from './scim-credentials.js';
import { userHandlers } from './users.js';
import { groupHandlers } from './groups.js';
import { zoneStatisticsHandlers } from './zone-statistics.js';
import { samlHandlers } from './saml.js';

/** Adding an action: write its handler in a file here, then list the group below. */
const handlers: OrganizationHandlers = {
  ...identityCenterHandlers,
  ...scimCredentialHandlers,
  ...userHandlers,
  ...groupHandlers,
  ...zoneStatisticsHandlers,
  ...samlHandlers,
};

export const organizationService: ServiceVersion = {
  service: 'organization',
  version: '2021-03-31',
  actions: ORGANIZATION_ACTIONS,
  handlers: handlers as Record<string, AnyActionHandler | undefined>,
  schemaDir: packagePath('schemas', 'organization', '2021-03-31'),
};
