import type { ServerResponse } from 'node:http';
import { checkBearerToken, markScimCredentialUsed } from '../domain/scim-credentials.js';
import type { Logger } from '../runtime/logger.js';
import { ScimError } from './engine/index.js';
import type { ScimDeps, ScimRequestContext } from './context.js';
import { asScimError, sendScim } from './respond.js';

/**
 * The steps of a SCIM request that both ways in share: the Express router
 * (router.ts) and the direct read path (read-fast-path.ts). Free of Express,
 * so the direct path does not load it.
 */

const AUTH_FAILURES: Record<string, string> = {
  unknown: 'The bearer token is not a SCIM key of any Identity Center zone.',
  disabled: 'The SCIM key is disabled.',
  expired: 'The SCIM key has expired.',
  'sync-disabled': "SCIM synchronisation is disabled for the key's zone.",
};

const BEARER = /^Bearer\s+(\S+)\s*$/i;

export type ScimAuthentication = { ok: true; ctx: ScimRequestContext } | { ok: false; detail: string };

/**
 * Authorization: Bearer <CredentialSecret>. The key must exist, be Enabled and
 * unexpired, and its zone must have SCIM synchronisation Enabled. The token
 * selects the zone.
 */
export function authenticateScim(deps: ScimDeps, authorization: string | undefined, baseUrl: string): ScimAuthentication {
  const match = BEARER.exec(authorization ?? '');
  if (!match) return { ok: false, detail: 'Send the SCIM key as "Authorization: Bearer <CredentialSecret>".' };
  const now = deps.now();
  const check = checkBearerToken(deps.store.view, match[1]!, now);
  if (!check.ok) return { ok: false, detail: AUTH_FAILURES[check.reason]! };
  return {
    ok: true,
    ctx: { zone: check.zone, credential: check.credential, baseUrl, domain: { now, ids: deps.ids, quotas: deps.quotas } },
  };
}

export function sendUnauthorized(res: ServerResponse, detail: string): void {
  sendScim(res, 401, new ScimError(401, undefined, detail).toScimErrorBody(), {
    'WWW-Authenticate': 'Bearer realm="tencentcloud-emulator SCIM"',
  });
}

/** Uin of the account a bearer token's zone belongs to, for the control plane's rules; null without a usable token. */
export function bearerOwner(deps: ScimDeps, authorization: string | undefined): string | null {
  // The base URL only shapes answers, which this never writes.
  const auth = authenticateScim(deps, authorization, '');
  return auth.ok ? auth.ctx.zone.ownerUin : null;
}

/**
 * Records an answered request against the key that authenticated it: an
 * entry for the request log, kept in columns until the log is read or saved,
 * and the key's last use, stored lazily once a second. A SCIM read costs no
 * disk write; both ride along with the next write, compaction or shutdown.
 */
export function recordKeyUsage(deps: ScimDeps, credentialId: string, request: { method: string; path: string; status: number }): void {
  try {
    const credential = deps.store.view.scimCredentials.get(credentialId);
    if (!credential) return; // deleted while the request ran
    const usedAt = deps.requests.record(credential, request, deps.now());
    if (credential.lastUsedTime !== usedAt) deps.store.transactLazily((db) => markScimCredentialUsed(db, credentialId, usedAt));
  } catch (error) {
    deps.logger.error({ err: error }, 'could not record SCIM key usage');
  }
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

/** The one place SCIM errors are written. */
export function sendScimError(res: ServerResponse, error: unknown, logger: Logger): void {
  const scim = asScimError(error) ?? clientFault(error);
  if (scim) return sendScim(res, scim.status, scim.toScimErrorBody());
  logger.error({ err: error }, 'unhandled SCIM error');
  sendScim(res, 500, new ScimError(500, undefined, 'The emulator failed to handle the request.').toScimErrorBody());
}
