import express, { type NextFunction, type Request, type Response } from 'express';
import { checkBearerToken, recordScimRequest } from '../domain/scim-credentials.js';
import { ScimError, isJsonObject } from './engine/index.js';
import { baseUrlOf, setScimContext, type ScimDeps } from './context.js';
import { MAX_SCIM_BODY_BYTES, listResponse, resourceTypes, schemaResources, serviceProviderConfig } from './discovery.js';
import { asScimError, sendScim } from './respond.js';
import { mountGroupRoutes } from './groups-routes.js';
import { mountUserRoutes } from './users-routes.js';
import { interceptScim } from './interceptors.js';

const AUTH_FAILURES: Record<string, string> = {
  unknown: 'The bearer token is not a SCIM key of any Identity Center zone.',
  disabled: 'The SCIM key is disabled.',
  expired: 'The SCIM key has expired.',
  'sync-disabled': "SCIM synchronisation is disabled for the key's zone.",
};

/**
 * Authorization: Bearer <CredentialSecret>. The key must exist, be Enabled and
 * unexpired, and its zone must have SCIM synchronisation Enabled. The token
 * selects the zone. Every authenticated request is recorded against its key.
 */
function authenticateBearer(deps: ScimDeps) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const fail = (detail: string) =>
      sendScim(res, 401, new ScimError(401, undefined, detail).toScimErrorBody(), {
        'WWW-Authenticate': 'Bearer realm="tencentcloud-emulator SCIM"',
      });
    if (!match) return fail('Send the SCIM key as "Authorization: Bearer <CredentialSecret>".');
    const now = deps.now();
    const check = checkBearerToken(deps.store.view, match[1]!, now);
    if (!check.ok) return fail(AUTH_FAILURES[check.reason]!);
    setScimContext(res, {
      zone: check.zone,
      credential: check.credential,
      baseUrl: baseUrlOf(req),
      domain: { now, ids: deps.ids, quotas: deps.quotas },
    });
    const credentialId = check.credential.credentialId;
    res.on('finish', () => {
      // Lazy: a SCIM read must not cost a disk write. The record rides along with the next write, compaction or shutdown.
      try {
        deps.store.transactLazily((db) =>
          recordScimRequest(db, credentialId, { method: req.method, path: req.originalUrl.split('?')[0]!, status: res.statusCode }, deps.now()),
        );
      } catch (error) {
        deps.logger.error({ err: error }, 'could not record SCIM key usage');
      }
    });
    next();
  };
}

const JSON_TYPES = ['application/scim+json', 'application/json'];

/** Reads a JSON body for POST/PUT/PATCH; SCIM errors for anything else. */
function parseJsonBody(req: Request, res: Response, next: NextFunction): void {
  if (!['POST', 'PUT', 'PATCH'].includes(req.method)) return next();
  const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== '' && !JSON_TYPES.includes(type)) {
    return next(new ScimError(415, undefined, `Content-Type ${type} is not supported: use application/scim+json.`));
  }
  express.json({ type: () => true, limit: MAX_SCIM_BODY_BYTES, strict: false })(req, res, (error?: unknown) => {
    if (!error) return next();
    const e = error as { type?: string; message?: string };
    if (e.type === 'entity.too.large') return next(new ScimError(413, undefined, `The request body is larger than ${MAX_SCIM_BODY_BYTES} bytes.`));
    if (e.type === 'entity.parse.failed') return next(new ScimError(400, 'invalidSyntax', `The request body is not valid JSON: ${e.message ?? ''}`));
    return next(new ScimError(400, 'invalidSyntax', 'The request body could not be read.'));
  });
}

/**
 * Faults express itself finds in a request (a `%ZZ` escape in a path
 * parameter is a URIError with status 400): the client's, never a 500.
 */
function clientFault(error: unknown): ScimError | undefined {
  if (error instanceof URIError) return new ScimError(400, 'invalidValue', 'The request path is not valid percent-encoding.');
  const status = (error as { status?: unknown; statusCode?: unknown } | null)?.status ?? (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ScimError(status, undefined, `The request could not be handled: ${(error as Error).message ?? 'bad request'}.`);
  }
  return undefined;
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
    if (['POST', 'PUT', 'PATCH'].includes(req.method) && !isJsonObject(req.body)) {
      return next(new ScimError(400, 'invalidSyntax', 'The request body must be a JSON object.'));
    }
    next();
  });
  mountUserRoutes(router, deps);
  mountGroupRoutes(router, deps);
  router.all('/Bulk', (_req, _res, next) => next(new ScimError(501, undefined, 'Bulk operations are not supported (see /ServiceProviderConfig).')));
  router.all('/Me', (_req, _res, next) => next(new ScimError(501, undefined, '/Me is not supported.')));
  router.use((req, _res, next) => next(new ScimError(404, undefined, `No SCIM endpoint ${req.method} ${req.path}.`)));

  // The one place SCIM errors are written.
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const scim = asScimError(error) ?? clientFault(error);
    if (scim) return sendScim(res, scim.status, scim.toScimErrorBody());
    deps.logger.error({ err: error }, 'unhandled SCIM error');
    sendScim(res, 500, new ScimError(500, undefined, 'The emulator failed to handle the request.').toScimErrorBody());
  });
  return router;
}
