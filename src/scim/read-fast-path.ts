import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { parse as parseQuery } from 'node:querystring';
import type { ScimDeps, ScimRequestContext } from './context.js';
import { sendScim } from './respond.js';
import { authenticateScim, bearerOwner, recordKeyUsage, sendScimError, sendUnauthorized } from './request-steps.js';
import { listUsersBody } from './users-routes.js';

/** Where the SCIM surface is mounted; the router saw paths below it. */
const MOUNT_LENGTH = '/scim/v2'.length;

/**
 * `GET /scim/v2/Users[?query]` without Express (app.ts routes here what
 * route-request.ts's isScimUsersList accepts). Express's routing, request
 * wrappers and listener chain cost more than the look-up itself, and loading
 * Express costs ~35 MB resident, for the request an identity provider repeats
 * most. The steps are the router's, in its order and from the same functions
 * (request-steps.ts, listUsersBody): control-plane hook, bearer
 * authentication, key usage, the list, and the one SCIM error writer; what
 * Express derived from the request (query, originalUrl, baseUrl, path,
 * protocol) is derived here the same way.
 */
export function createScimUsersListHandler(deps: ScimDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => void serve(deps, req, res);
}

async function serve(deps: ScimDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  // Express's originalUrl without the query; its baseUrl is the mount as the client spelt it.
  const fullPath = queryAt === -1 ? url : url.slice(0, queryAt);
  const baseUrl = `${(req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http'}://${req.headers.host ?? '127.0.0.1'}${fullPath.slice(0, MOUNT_LENGTH)}`;
  const authorization = req.headers.authorization;
  const hooks = deps.interceptors;
  let ctx: ScimRequestContext | undefined;
  if (hooks) {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      hooks.afterResponse({
        method: 'GET',
        path: fullPath,
        status: res.statusCode,
        credentialId: ctx?.credential.credentialId ?? null,
        zoneId: ctx?.zone.zoneId ?? null,
        uin: ctx?.zone.ownerUin ?? null,
        body: null,
        latencyMs: Number(process.hrtime.bigint() - started) / 1e6,
      });
    });
  }
  try {
    if (hooks) {
      const pending = hooks.beforeHandle({ method: 'GET', path: fullPath.slice(MOUNT_LENGTH), uin: () => bearerOwner(deps, authorization) });
      if (pending) await pending; // no extra turn of the event loop when no rule applies
    }
    const auth = authenticateScim(deps, authorization, baseUrl);
    if (!auth.ok) return sendUnauthorized(res, auth.detail);
    ctx = auth.ctx;
    const credentialId = ctx.credential.credentialId;
    res.on('finish', () => recordKeyUsage(deps, credentialId, { method: 'GET', path: fullPath, status: res.statusCode }));
    // node:querystring is Express's "simple" query parser: a repeated parameter becomes an array, as there.
    const query = parseQuery(queryAt === -1 ? '' : url.slice(queryAt + 1)) as Record<string, unknown>;
    sendScim(res, 200, listUsersBody(deps.store, ctx, query));
  } catch (error) {
    sendScimError(res, error, deps.logger);
  }
}
