/**
 * SP-initiated sign-in (GET /saml/sp/<ZoneId>/login): the AuthnRequest the
 * emulator sends the user to the IdP with, over the HTTP-Redirect binding
 * (SAML 2.0 Bindings 3.4). Unsigned, which the binding allows.
 */
import { deflateRawSync } from 'node:zlib';

import { BINDING, NS, escapeXml } from './xml.js';

/** What an AuthnRequest says; `id` is kept by the caller to match the response's InResponseTo. */
export interface AuthnRequestInput {
  /** The request ID: an xs:ID, so it must not start with a digit (e.g. `_` + hex). */
  id: string;
  issueInstant: Date;
  /** The IdP's SingleSignOnService URL (IdpMetadata.loginUrl). */
  loginUrl: string;
  /** Where the IdP must POST its response. */
  acsUrl: string;
  /** Our entity ID, sent as the Issuer. */
  spEntityId: string;
  /** Opaque value the IdP returns untouched with its response (at most 80 bytes, SAML Bindings 3.4.3). */
  relayState?: string;
}

/** Builds the AuthnRequest XML (exposed for tests and for showing what was sent). */
export function buildAuthnRequestXml(input: AuthnRequestInput): string {
  if (!/^[A-Za-z_][\w.-]*$/.test(input.id)) throw new Error(`AuthnRequest ID ${JSON.stringify(input.id)} is not an xs:ID`);
  return (
    `<samlp:AuthnRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}"` +
    ` ID="${input.id}" Version="2.0" IssueInstant="${samlInstant(input.issueInstant)}"` +
    ` Destination="${escapeXml(input.loginUrl)}" AssertionConsumerServiceURL="${escapeXml(input.acsUrl)}"` +
    ` ProtocolBinding="${BINDING.post}">` +
    `<saml:Issuer>${escapeXml(input.spEntityId)}</saml:Issuer>` +
    `<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified" AllowCreate="true"/>` +
    `</samlp:AuthnRequest>`
  );
}

/**
 * The URL to redirect the browser to: loginUrl plus SAMLRequest (raw DEFLATE,
 * base64, URL-encoded) and RelayState, appended after any query the IdP's URL
 * already has (OneLogin- and ADFS-style URLs carry one).
 */
export function buildAuthnRequestRedirectUrl(input: AuthnRequestInput): string {
  if (input.relayState !== undefined && Buffer.byteLength(input.relayState) > 80) {
    throw new Error('RelayState must not exceed 80 bytes (SAML 2.0 Bindings 3.4.3)');
  }
  new URL(input.loginUrl); // throws on a URL the browser could not follow
  const samlRequest = deflateRawSync(Buffer.from(buildAuthnRequestXml(input), 'utf8')).toString('base64');
  let query = `SAMLRequest=${encodeURIComponent(samlRequest)}`;
  if (input.relayState !== undefined) query += `&RelayState=${encodeURIComponent(input.relayState)}`;
  // Append by hand so the IdP's own query keeps its exact bytes (URLSearchParams would re-encode it).
  const hash = input.loginUrl.indexOf('#');
  const base = hash === -1 ? input.loginUrl : input.loginUrl.slice(0, hash);
  const separator = !base.includes('?') ? '?' : /[?&]$/.test(base) ? '' : '&';
  return `${base}${separator}${query}`;
}

/** xs:dateTime in UTC without milliseconds, the form IdPs print and expect. */
export function samlInstant(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
