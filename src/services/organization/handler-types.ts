import type { ActionHandler } from '../../api/catalog.js';
import type { ActionTypes, OrganizationAction } from '../../generated/organization-2021-03-31.js';

/** A handler typed by the generated request/response interfaces of its action. */
export type OrganizationHandler<A extends OrganizationAction> = ActionHandler<
  ActionTypes[A]['request'],
  ActionTypes[A]['response']
>;

export type OrganizationHandlers = { [A in OrganizationAction]?: OrganizationHandler<A> };
