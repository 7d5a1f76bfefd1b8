import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { StringInterner } from '../runtime/interner.js';
import type { ScimDeps, ScimRequestContext } from './context.js';
import { authenticateScim, bearerOwner, recordKeyUsage, sendScimError, sendUnauthorized } from './request-steps.js';

/** Where the SCIM surface is mounted; the router saw paths below it. */
const MOUNT_LENGTH = '/scim/v2'.length;

/**
 * The direct routes serve a handful of paths (`/scim/v2/Users` as clients
 * spell it), each kept as one string: the journal and the SCIM request log
 * hold a request's path for its next thousand successors, and a slice of the
 * request URL would hold the whole URL, query and all.
 */
const PATHS = new StringInterner(64);

/** What Express derived from the request and a direct SCIM route needs. */
export interface DirectRequest {
  /** The query string without `?` ('' when none). */
  query: string;
  ctx: ScimRequestContext;
  /** The parsed body of a write, for the request journal (Express's req.body). */
  setBody(body: unknown): void;
}

/**
 * The router's steps around a SCIM route, for the routes answered without
 * Express (read-fast-path.ts, write-fast-path.ts), in the router's order and
 * from the same functions (request-steps.ts): the control-plane hooks (journal,
 * faults), bearer authentication, key usage once answered, and the one SCIM
 * error writer. What Express derived from the request (originalUrl, baseUrl,
 * path, protocol) is derived here the same way.
 */
export async function serveDirect(
  deps: ScimDeps,
  method: string,
  req: IncomingMessage,
  res: ServerResponse,
  route: (request: DirectRequest) => Promise<void> | void,
): Promise<void> {
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  // Express's originalUrl without the query; its baseUrl is the mount as the client spelt it.
  const fullPath = PATHS.intern(queryAt === -1 ? url : url.slice(0, queryAt));
  const baseUrl = `${(req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http'}://${req.headers.host ?? '127.0.0.1'}${fullPath.slice(0, MOUNT_LENGTH)}`;
  const authorization = req.headers.authorization;
  const hooks = deps.interceptors;
  let ctx: ScimRequestContext | undefined;
  // The journal records a write's body as parsed, null when it was not (as the router records req.body).
  let body: unknown = null;
  const started = performance.now();
  // One listener for both things an answered request leaves behind: the journal entry, then the key's use.
  res.once('finish', () => {
    hooks?.afterResponse({
      method,
      path: fullPath,
      status: res.statusCode,
      credentialId: ctx?.credential.credentialId ?? null,
      zoneId: ctx?.zone.zoneId ?? null,
      uin: ctx?.zone.ownerUin ?? null,
      body,
      latencyMs: performance.now() - started,
    });
    if (ctx) recordKeyUsage(deps, ctx.credential.credentialId, { method, path: fullPath, status: res.statusCode });
  });
  try {
    if (hooks) {
      const pending = hooks.beforeHandle({ method, path: fullPath.slice(MOUNT_LENGTH), uin: () => bearerOwner(deps, authorization) });
      if (pending) await pending; // no extra turn of the event loop when no rule applies
    }
    const auth = authenticateScim(deps, authorization, baseUrl);
    if (!auth.ok) return sendUnauthorized(res, auth.detail);
    ctx = auth.ctx;
    await route({
      query: queryAt === -1 ? '' : url.slice(queryAt + 1),
      ctx,
      setBody: (parsed) => {
        body = parsed ?? null;
      },
    });
  } catch (error) {
    sendScimError(res, error, deps.logger);
  }
}
