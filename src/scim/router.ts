import express, { type NextFunction, type Request, type Response } from 'express';
import { ScimError } from './engine/index.js';
import { WRITE_METHODS, bodyReadError, requireJsonObject, unsupportedMediaType } from './json-body.js';
import { baseUrlOf, setScimContext, type ScimDeps } from './context.js';
import { MAX_SCIM_BODY_BYTES, listResponse, resourceTypes, schemaResources, serviceProviderConfig } from './discovery.js';
import { sendScim } from './respond.js';
import { authenticateScim, recordKeyUsage, sendScimError, sendUnauthorized } from './request-steps.js';
import { mountGroupRoutes } from './groups-routes.js';
import { mountUserRoutes } from './users-routes.js';
import { interceptScim } from './interceptors.js';

/**
 * Authenticates the bearer token (request-steps.ts) and, once the answer is
 * written, records the request against the key that authenticated it.
 */
function authenticateBearer(deps: ScimDeps) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const auth = authenticateScim(deps, req.get('authorization'), baseUrlOf(req));
    if (!auth.ok) return sendUnauthorized(res, auth.detail);
    setScimContext(res, auth.ctx);
    const credentialId = auth.ctx.credential.credentialId;
    res.on('finish', () => recordKeyUsage(deps, credentialId, { method: req.method, path: req.originalUrl.split('?')[0]!, status: res.statusCode }));
    next();
  };
}

/** Reads a JSON body for POST/PUT/PATCH; SCIM errors for anything else (json-body.ts, shared with the direct write path). */
function parseJsonBody(req: Request, res: Response, next: NextFunction): void {
  if (!WRITE_METHODS.includes(req.method)) return next();
  const unsupported = unsupportedMediaType(req.get('content-type'));
  if (unsupported) return next(unsupported);
  express.json({ type: () => true, limit: MAX_SCIM_BODY_BYTES, strict: false })(req, res, (error?: unknown) => {
    if (!error) return next();
    return next(bodyReadError(error as { type?: string; message?: string }));
  });
}

export function createScimRouter(deps: ScimDeps): express.Router {
  const router = express.Router({ caseSensitive: false, strict: false });
  // Control-plane hook first: an injected fault answers even discovery and unauthenticated requests, as an outage would.
  if (deps.interceptors) router.use(interceptScim(deps, deps.interceptors));

  // Discovery needs no token (RFC 7644 section 4 leaves it to the server); it is the same for every zone.
  router.get('/ServiceProviderConfig', (req, res) => sendScim(res, 200, serviceProviderConfig(baseUrlOf(req))));
  router.get('/ResourceTypes', (req, res) => {
    const all = resourceTypes(baseUrlOf(req));
    sendScim(res, 200, listResponse(all));
  });
  router.get('/ResourceTypes/:id', (req, res, next) => {
    const found = resourceTypes(baseUrlOf(req)).find((r) => String(r.id).toLowerCase() === String(req.params.id).toLowerCase());
    if (!found) return next(new ScimError(404, undefined, `No resource type ${String(req.params.id)}.`));
    sendScim(res, 200, found);
  });
  router.get('/Schemas', (req, res) => sendScim(res, 200, listResponse(schemaResources(baseUrlOf(req)))));
  router.get('/Schemas/:id', (req, res, next) => {
    const found = schemaResources(baseUrlOf(req)).find((s) => s.id === req.params.id);
    if (!found) return next(new ScimError(404, undefined, `No schema ${String(req.params.id)}.`));
    sendScim(res, 200, found);
  });

  router.use(authenticateBearer(deps));
  router.use(parseJsonBody);
  router.use((req, _res, next) => {
    if (WRITE_METHODS.includes(req.method)) requireJsonObject(req.body);
    next();
  });
  mountUserRoutes(router, deps);
  mountGroupRoutes(router, deps);
  router.all('/Bulk', (_req, _res, next) => next(new ScimError(501, undefined, 'Bulk operations are not supported (see /ServiceProviderConfig).')));
  router.all('/Me', (_req, _res, next) => next(new ScimError(501, undefined, '/Me is not supported.')));
  router.use((req, _res, next) => next(new ScimError(404, undefined, `No SCIM endpoint ${req.method} ${req.path}.`)));

  // The one place SCIM errors are written.
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => sendScimError(res, error, deps.logger));
  return router;
}
