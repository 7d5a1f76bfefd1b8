import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { ScimDeps } from './context.js';
import { serveDirect } from './direct-request.js';
import { sendScim } from './respond.js';
import { listUsersBody } from './users-routes.js';

/**
 * `GET /scim/v2/Users[?query]` without Express (app.ts routes here what
 * route-request.ts's isScimUsersList accepts). Express's routing, request
 * wrappers and listener chain cost more than the look-up itself, and loading
 * Express costs ~35 MB resident, for the request an identity provider repeats
 * most. The router's steps around it come from direct-request.ts, the list
 * from listUsersBody, as in the router.
 */
export function createScimUsersListHandler(deps: ScimDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) =>
    void serveDirect(deps, 'GET', req, res, ({ query, ctx }) => {
      // node:querystring is Express's "simple" query parser: a repeated parameter becomes an array, as there.
      sendScim(res, 200, listUsersBody(deps.store, ctx, parseQuery(query) as Record<string, unknown>));
    });
}
