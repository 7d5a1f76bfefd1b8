import express, { type NextFunction, type Request, type Response } from 'express';
import { completeSignIn, recordLoginRequest, signInOf, signInSettings, type SignInCheck } from '../domain/saml-sign-in.js';
import type { StateStore } from '../domain/store.js';
import type { Quotas } from '../config.js';
import type { IdGenerator } from '../runtime/ids.js';
import type { Logger } from '../runtime/logger.js';
import { formatTcTime } from '../runtime/time-format.js';
import { SamlCheckError, buildAuthnRequestRedirectUrl, buildAuthnRequestXml, buildSpMetadata, verifySamlResponse } from '../saml/index.js';
import type { SamlInterceptors } from './interceptor-types.js';
import { autoPostPage, portalPage, refusalPage } from './pages.js';
import { serviceProviderUrls } from './urls.js';

export interface SsoDeps {
  store: StateStore;
  now(): Date;
  ids: IdGenerator;
  quotas: Quotas;
  logger: Logger;
  publicUrl(): string;
  utcOffsetMinutes: number;
  interceptors?: SamlInterceptors;
}

/** A SAML response is a few kilobytes; a generous bound that still stops a flood. */
export const MAX_SAML_FORM_BYTES = 512 * 1024;

/** RelayState may hold at most 80 bytes (SAML Bindings 3.4.3, 3.5.3): cut on a character boundary. */
export function relayStateOf(value: unknown): string {
  if (typeof value !== 'string') return '';
  let out = '';
  let bytes = 0;
  for (const ch of value) {
    bytes += Buffer.byteLength(ch);
    if (bytes > 80) break;
    out += ch;
  }
  return out;
}

/** Per request: what the journal line says about it. */
interface Attempt {
  zoneId: string | null;
  uin: string | null;
  outcome: string;
  details: Record<string, unknown>;
}

function attemptOf(res: Response): Attempt {
  return (res.locals.samlAttempt ??= { zoneId: null, uin: null, outcome: 'Success', details: {} }) as Attempt;
}

const STATUS_OF: Readonly<Record<string, number>> = {
  'zone-not-found': 404,
  malformed: 400,
  'session-not-found': 404,
  'not-found': 404,
};

function sendHtml(res: Response, status: number, html: string, check?: string): void {
  res.status(status);
  res.set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  // Machine-readable twin of the page's "Failed check", for scripts and tests.
  if (check) res.set('X-TCE-SAML-Check', check);
  res.send(html);
}

function refuse(res: Response, check: SignInCheck | string, message: string): void {
  const attempt = attemptOf(res);
  attempt.outcome = check;
  attempt.details.reason = message;
  sendHtml(res, STATUS_OF[check] ?? 403, refusalPage(check, message, attempt.zoneId), check);
}

const SETTINGS_MESSAGES = {
  'zone-not-found': 'There is no Identity Center zone with this ID.',
  'sso-disabled': 'SAML single sign-on is not enabled for this zone: configure the identity provider (SetExternalSAMLIdentityProvider) with SSOStatus Enabled.',
} as const;

/**
 * /saml/sp/<ZoneId>/…: the service provider side of SAML 2.0 sign-in.
 * metadata (GET), login (GET, SP-initiated), acs (POST, HTTP-POST binding),
 * portal/<session> (GET, the page a successful sign-in lands on).
 */
export function createSsoRouter(deps: SsoDeps): express.Router {
  const router = express.Router({ caseSensitive: true, strict: false });

  if (deps.interceptors) {
    const hooks = deps.interceptors;
    router.use((req, res, next) => {
      const started = process.hrtime.bigint();
      res.once('finish', () => {
        const attempt = attemptOf(res);
        hooks.afterResponse({
          method: req.method,
          path: req.originalUrl.split('?')[0]!,
          status: res.statusCode,
          zoneId: attempt.zoneId,
          uin: attempt.uin,
          outcome: attempt.outcome,
          details: attempt.details,
          latencyMs: Number(process.hrtime.bigint() - started) / 1e6,
        });
      });
      next();
    });
  }

  router.param('zoneId', (_req, res, next, zoneId: string) => {
    const attempt = attemptOf(res);
    attempt.zoneId = zoneId;
    attempt.uin = deps.store.view.zones.get(zoneId)?.ownerUin ?? null;
    next();
  });

  router.get('/:zoneId/metadata', (req, res) => {
    const zone = deps.store.view.zones.get(req.params.zoneId!);
    if (!zone) return refuse(res, 'zone-not-found', SETTINGS_MESSAGES['zone-not-found']);
    const urls = serviceProviderUrls(deps.publicUrl(), zone.zoneId);
    res.set({ 'Content-Type': 'application/samlmetadata+xml; charset=utf-8', 'Cache-Control': 'no-store' });
    res.send(buildSpMetadata({ entityId: urls.entityId, acsUrl: urls.acsUrl }));
  });

  router.get('/:zoneId/login', async (req, res, next) => {
    try {
      const settings = signInSettings(deps.store.view, req.params.zoneId!);
      if (!settings.ok) return refuse(res, settings.check, SETTINGS_MESSAGES[settings.check]);
      const relayState = relayStateOf(req.query.RelayState);
      const now = deps.now();
      const requestId = deps.ids.resourceId('_', 40);
      await deps.store.transact((db) => recordLoginRequest(db, settings.zone, requestId, relayState, { now, ids: deps.ids, quotas: deps.quotas }));
      const urls = serviceProviderUrls(deps.publicUrl(), settings.zone.zoneId);
      const authnRequest = {
        id: requestId,
        issueInstant: now,
        loginUrl: settings.provider.loginUrl,
        acsUrl: urls.acsUrl,
        spEntityId: urls.entityId,
        ...(relayState !== '' ? { relayState } : {}),
      };
      const binding = settings.provider.loginBinding ?? 'HTTP-Redirect';
      attemptOf(res).details = { authnRequestId: requestId, idpLoginUrl: settings.provider.loginUrl, binding };
      res.set('Cache-Control', 'no-store');
      if (binding === 'HTTP-Redirect') return res.redirect(302, buildAuthnRequestRedirectUrl(authnRequest));
      // An IdP that takes AuthnRequests only by POST: the browser carries it in a self-posting form (Bindings 3.5).
      const fields: Record<string, string> = { SAMLRequest: Buffer.from(buildAuthnRequestXml(authnRequest), 'utf8').toString('base64') };
      if (relayState !== '') fields.RelayState = relayState;
      sendHtml(res, 200, autoPostPage(settings.provider.loginUrl, fields));
    } catch (error) {
      next(error);
    }
  });

  router.post('/:zoneId/acs', express.urlencoded({ extended: false, limit: MAX_SAML_FORM_BYTES, parameterLimit: 20 }), async (req, res, next) => {
    try {
      const settings = signInSettings(deps.store.view, req.params.zoneId!);
      if (!settings.ok) return refuse(res, settings.check, SETTINGS_MESSAGES[settings.check]);
      const form = (req.body ?? {}) as Record<string, unknown>;
      const encoded = form.SAMLResponse;
      if (typeof encoded !== 'string' || encoded === '') {
        return refuse(res, 'malformed', 'The request carries no SAMLResponse form field (HTTP-POST binding).');
      }
      const urls = serviceProviderUrls(deps.publicUrl(), settings.zone.zoneId);
      const now = deps.now();
      let verified;
      try {
        verified = verifySamlResponse(encoded, {
          certificates: settings.certificates.map((c) => c.pem),
          destination: urls.acsUrl,
          audience: urls.entityId,
          idpEntityId: settings.provider.entityId,
          now,
        });
      } catch (error) {
        if (error instanceof SamlCheckError) return refuse(res, error.check, error.message);
        throw error;
      }
      const attempt = attemptOf(res);
      attempt.details = { assertionId: verified.assertionId, issuer: verified.issuer, nameId: verified.nameId, inResponseTo: verified.inResponseTo ?? null };
      const outcome = await deps.store.transact((db) =>
        completeSignIn(
          db,
          settings.zone,
          {
            assertionId: verified.assertionId,
            issuer: verified.issuer,
            nameId: verified.nameId,
            ...(verified.nameIdFormat !== undefined ? { nameIdFormat: verified.nameIdFormat } : {}),
            ...(verified.inResponseTo !== undefined ? { inResponseTo: verified.inResponseTo } : {}),
            ...(verified.notOnOrAfter !== undefined ? { notOnOrAfter: verified.notOnOrAfter } : {}),
          },
          { now, ids: deps.ids, quotas: deps.quotas },
        ),
      );
      if (!outcome.ok) return refuse(res, outcome.check, outcome.message);
      attempt.details.userName = outcome.user.userName;
      attempt.details.userId = outcome.user.userId;
      attempt.details.sessionId = outcome.signIn.sessionId;
      const relayState = typeof form.RelayState === 'string' ? relayStateOf(form.RelayState) : outcome.relayState;
      const portal = `${urls.entityId}/portal/${outcome.signIn.sessionId}${relayState !== '' ? `?RelayState=${encodeURIComponent(relayState)}` : ''}`;
      // POST-redirect-GET: reloading the portal must not post the assertion again (that would be a replay).
      res.redirect(303, portal);
    } catch (error) {
      next(error);
    }
  });

  router.get('/:zoneId/portal/:sessionId', (req, res) => {
    const zoneId = req.params.zoneId!;
    const signIn = signInOf(deps.store.view, zoneId, req.params.sessionId!);
    if (!signIn) return refuse(res, 'session-not-found', 'No sign-in with this session ID: sign in again.');
    const user = deps.store.view.users.get(signIn.userId);
    attemptOf(res).details = { sessionId: signIn.sessionId, userName: signIn.userName };
    sendHtml(
      res,
      200,
      portalPage({
        userName: signIn.userName,
        displayName: user?.displayName ?? '',
        email: user?.email ?? '',
        zoneId,
        signedInAt: `${formatTcTime(signIn.signInTime, deps.utcOffsetMinutes)} (${signIn.signInTime})`,
        issuer: signIn.issuer,
        nameId: signIn.nameId,
        initiatedBy: signIn.initiatedBy,
        relayState: typeof req.query.RelayState === 'string' ? req.query.RelayState : '',
      }),
    );
  });

  router.use((req, res) => refuse(res, 'not-found', `Nothing is served at ${req.method} ${req.originalUrl.split('?')[0]}: the SAML endpoints are GET metadata, GET login, POST acs and GET portal/<session>.`));

  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const e = error as { type?: string; status?: number } | null;
    if (e?.type === 'entity.too.large') return refuse(res, 'malformed', `The form is larger than ${MAX_SAML_FORM_BYTES} bytes.`);
    if (error instanceof URIError || (typeof e?.status === 'number' && e.status >= 400 && e.status < 500)) {
      return refuse(res, 'malformed', 'The request could not be read (bad encoding or form).');
    }
    deps.logger.error({ err: error, path: req.originalUrl.split('?')[0] }, 'SAML request failed');
    attemptOf(res).outcome = 'internal-error';
    sendHtml(res, 500, refusalPage('internal-error', 'The emulator failed to handle this request; see its log.', attemptOf(res).zoneId), 'internal-error');
  });

  return router;
}
