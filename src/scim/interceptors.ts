import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { checkBearerToken } from '../domain/scim-credentials.js';
import type { ScimDeps, ScimRequestContext } from './context.js';

/**
 * Hooks the emulator's control plane (src/control/) puts on the SCIM surface,
 * like the API pipeline's (src/api/interceptors.ts): the SCIM routes know
 * nothing of faults or the request journal.
 */

/** A SCIM request on arrival, before discovery, authentication and routing. */
export interface ScimCallInfo {
  method: string;
  /** Below /scim/v2, without the query string, e.g. `/Users/u-abc`. */
  path: string;
  /** Uin of the account whose zone the bearer token belongs to (computed on demand; null without a known token). */
  uin(): string | null;
}

/** A SCIM request that has been answered. */
export interface ScimCallRecord {
  method: string;
  /** The full path without the query string, e.g. `/scim/v2/Users` (as in the SCIM key usage log). */
  path: string;
  status: number;
  /** The SCIM key that authenticated the request, and its zone and account; null when none did. */
  credentialId: string | null;
  zoneId: string | null;
  uin: string | null;
  /** The JSON body of a write, as parsed (null otherwise); the journal redacts secrets. */
  body: unknown;
  latencyMs: number;
}

export interface ScimInterceptors {
  /** May wait (injected latency) or throw a ScimError (injected fault), which the router answers with a SCIM error body. */
  beforeHandle(info: ScimCallInfo): Promise<void> | void;
  /** Called once the answer is written; must not throw. */
  afterResponse(record: ScimCallRecord): void;
}

/** The first middleware of the SCIM router when interceptors are given. */
export function interceptScim(deps: ScimDeps, hooks: ScimInterceptors): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const ctx = res.locals.scim as ScimRequestContext | undefined;
      hooks.afterResponse({
        method: req.method,
        path: req.originalUrl.split('?')[0]!,
        status: res.statusCode,
        credentialId: ctx?.credential.credentialId ?? null,
        zoneId: ctx?.zone.zoneId ?? null,
        uin: ctx?.zone.ownerUin ?? null,
        body: ['POST', 'PUT', 'PATCH'].includes(req.method) ? (req.body as unknown) ?? null : null,
        latencyMs: Number(process.hrtime.bigint() - started) / 1e6,
      });
    });
    let pending: Promise<void> | void;
    try {
      pending = hooks.beforeHandle({ method: req.method, path: req.path, uin: () => bearerOwner(deps, req) });
    } catch (error) {
      return next(error);
    }
    if (!pending) return next();
    pending.then(() => next(), next);
  };
}

function bearerOwner(deps: ScimDeps, req: Request): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  if (!match) return null;
  const check = checkBearerToken(deps.store.view, match[1]!, deps.now());
  return check.ok ? check.zone.ownerUin : null;
}
