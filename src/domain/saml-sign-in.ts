import type { SamlCertificate, SamlIdentityProvider, SamlLoginRequest, SamlSignIn, User, Zone } from './entities.js';
import { unusedId, type DomainContext } from './context.js';
import { seenAssertionKey, zoneKey, type Db, type DbView } from './schema.js';
import { certificatesOf, identityProviderOf } from './saml-config.js';
import { DEFAULT_CLOCK_SKEW_SECONDS } from '../saml/index.js';

/** How long an AuthnRequest we sent may be answered. */
export const LOGIN_REQUEST_TTL_SECONDS = 10 * 60;
/** Without a NotOnOrAfter, an assertion ID is remembered this long (longer than any sane validity window). */
export const SEEN_ASSERTION_DEFAULT_TTL_SECONDS = 24 * 3600;
/** Sign-ins the portal can show; the oldest is dropped first. */
export const SIGN_IN_LOG_LIMIT = 1000;
/** Outstanding AuthnRequests kept at once, all zones together: a loop hitting /login cannot grow the state without bound. */
export const LOGIN_REQUEST_LIMIT = 1000;

/** Why a sign-in was refused, beyond what the signature and conditions checks say. */
export type SignInCheck = 'zone-not-found' | 'sso-disabled' | 'in-response-to' | 'replay' | 'unknown-user' | 'user-disabled';

export type SignInSettings =
  | { ok: true; zone: Zone; provider: SamlIdentityProvider; certificates: SamlCertificate[] }
  | { ok: false; check: 'zone-not-found' | 'sso-disabled'; zone: Zone | null };

/** What a zone's ACS and login need, or why SSO is not available there. */
export function signInSettings(db: DbView, zoneId: string): SignInSettings {
  const zone = db.zones.get(zoneId);
  if (!zone) return { ok: false, check: 'zone-not-found', zone: null };
  const provider = identityProviderOf(db, zone.zoneId);
  const certificates = certificatesOf(db, zone.zoneId);
  if (!provider || provider.ssoStatus !== 'Enabled' || certificates.length === 0) return { ok: false, check: 'sso-disabled', zone };
  return { ok: true, zone, provider, certificates };
}

/** Drops what has expired, so these collections stay as small as the traffic of the last minutes. */
function purgeExpired(db: Db, now: Date): void {
  const cutoff = now.getTime();
  const requests = db.samlLoginRequests.ordered('expiry', '');
  for (let first = requests.at(0); first && Date.parse(first.expireTime) <= cutoff; first = requests.at(0)) {
    db.samlLoginRequests.delete(first.requestId);
  }
  const seen = db.samlSeenAssertions.ordered('expiry', '');
  for (let first = seen.at(0); first && Date.parse(first.expireTime) <= cutoff; first = seen.at(0)) {
    db.samlSeenAssertions.delete(seenAssertionKey(first.zoneId, first.assertionId));
  }
}

/** Records an AuthnRequest about to be sent, so the Response answering it can be matched once. */
export function recordLoginRequest(db: Db, zone: Zone, requestId: string, relayState: string, ctx: DomainContext): SamlLoginRequest {
  purgeExpired(db, ctx.now);
  const requests = db.samlLoginRequests.ordered('expiry', '');
  while (requests.size >= LOGIN_REQUEST_LIMIT) db.samlLoginRequests.delete(requests.at(0)!.requestId);
  return db.samlLoginRequests.put({
    requestId,
    zoneId: zone.zoneId,
    createTime: ctx.now.toISOString(),
    expireTime: new Date(ctx.now.getTime() + LOGIN_REQUEST_TTL_SECONDS * 1000).toISOString(),
    relayState,
  });
}

/** What the ACS found in a response whose signature and conditions have been verified. */
export interface VerifiedSignIn {
  assertionId: string;
  issuer: string;
  nameId: string;
  /** The NameID Format URI, if any. */
  nameIdFormat?: string;
  inResponseTo?: string;
  /** The assertion's NotOnOrAfter (ISO), if any: how long its ID must be remembered. */
  notOnOrAfter?: string;
}

export type SignInOutcome =
  | { ok: true; signIn: SamlSignIn; user: User; relayState: string }
  | { ok: false; check: SignInCheck; message: string };

const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

/**
 * The user a NameID names: by UserName (case-insensitive, as user names are
 * unique); for an e-mail NameID that is nobody's user name, by e-mail.
 */
export function userForNameId(db: DbView, zoneId: string, nameId: string, format: string | undefined): User | undefined {
  const byName = db.users.findOne('userName', zoneKey(zoneId, nameId));
  if (byName || format !== EMAIL_FORMAT) return byName;
  return db.users.findOne('email', zoneKey(zoneId, nameId));
}

/**
 * The checks a verified response still has to pass (replay, InResponseTo, the
 * user) and the sign-in they lead to. Refusals are returned, not thrown: the
 * assertion ID is remembered either way, and a throw would undo that.
 */
export function completeSignIn(db: Db, zone: Zone, verified: VerifiedSignIn, ctx: DomainContext): SignInOutcome {
  purgeExpired(db, ctx.now);
  const seenKey = seenAssertionKey(zone.zoneId, verified.assertionId);
  if (db.samlSeenAssertions.has(seenKey)) {
    return { ok: false, check: 'replay', message: `The assertion ${verified.assertionId} has already been used to sign in.` };
  }
  // The verifier accepts an assertion up to the clock skew past its NotOnOrAfter: remember it at least that long.
  const acceptedUntil = verified.notOnOrAfter ? Date.parse(verified.notOnOrAfter) + DEFAULT_CLOCK_SKEW_SECONDS * 1000 : ctx.now.getTime() + SEEN_ASSERTION_DEFAULT_TTL_SECONDS * 1000;
  const rememberUntil = new Date(Math.max(acceptedUntil, ctx.now.getTime() + DEFAULT_CLOCK_SKEW_SECONDS * 1000)).toISOString();
  db.samlSeenAssertions.put({ zoneId: zone.zoneId, assertionId: verified.assertionId, expireTime: rememberUntil });

  let relayState = '';
  if (verified.inResponseTo !== undefined) {
    const request = db.samlLoginRequests.get(verified.inResponseTo);
    if (!request || request.zoneId !== zone.zoneId) {
      return {
        ok: false,
        check: 'in-response-to',
        message: `InResponseTo ${verified.inResponseTo} names no sign-in this emulator started for zone ${zone.zoneId} in the last ${LOGIN_REQUEST_TTL_SECONDS / 60} minutes (or it was already answered).`,
      };
    }
    relayState = request.relayState;
    db.samlLoginRequests.delete(request.requestId);
  }

  const user = userForNameId(db, zone.zoneId, verified.nameId, verified.nameIdFormat);
  if (!user) return { ok: false, check: 'unknown-user', message: `No user of zone ${zone.zoneId} has the user name (or e-mail) ${verified.nameId}.` };
  if (user.userStatus !== 'Enabled') return { ok: false, check: 'user-disabled', message: `The user ${user.userName} is disabled.` };

  const signIns = db.samlSignIns.ordered('all', '');
  while (signIns.size >= SIGN_IN_LOG_LIMIT) db.samlSignIns.delete(signIns.at(0)!.sessionId);
  const signIn = db.samlSignIns.put({
    sessionId: newSessionId(db, ctx),
    zoneId: zone.zoneId,
    userId: user.userId,
    userName: user.userName,
    nameId: verified.nameId,
    issuer: verified.issuer,
    signInTime: ctx.now.toISOString(),
    initiatedBy: verified.inResponseTo === undefined ? 'idp' : 'sp',
  });
  return { ok: true, signIn, user, relayState };
}

function newSessionId(db: DbView, ctx: DomainContext): string {
  return unusedId(ctx, 'ssos-', 24, db.samlSignIns);
}

export function signInOf(db: DbView, zoneId: string, sessionId: string): SamlSignIn | undefined {
  const signIn = db.samlSignIns.get(sessionId);
  return signIn?.zoneId === zoneId ? signIn : undefined;
}
