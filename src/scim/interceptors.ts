import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { bearerOwner } from './request-steps.js';
import type { ScimDeps, ScimRequestContext } from './context.js';

export type { ScimCallInfo, ScimCallRecord, ScimInterceptors } from './interceptor-types.js';
import type { ScimInterceptors } from './interceptor-types.js';

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
      pending = hooks.beforeHandle({ method: req.method, path: req.path, uin: () => bearerOwner(deps, req.get('authorization')) });
    } catch (error) {
      return next(error);
    }
    if (!pending) return next();
    pending.then(() => next(), next);
  };
}
