/**
 * buildAuthnRequestRedirectUrl: the HTTP-Redirect binding round-trips. The
 * SAMLRequest parameter inflates back to an AuthnRequest carrying the given ID,
 * instant, destination, ACS URL and issuer, and the IdP's own query survives.
 */
import { inflateRawSync } from 'node:zlib';

import { buildAuthnRequestRedirectUrl, buildAuthnRequestXml } from '../../src/saml/authn-request.js';
import { NS, attribute, childElement, parseStrictXml, textOf } from '../../src/saml/xml.js';

const input = {
  id: '_4f1c2a9e0b7d4c3e8a6f5b2d1c0e9f8a',
  issueInstant: new Date('2026-03-01T08:15:30.123Z'),
  loginUrl: 'https://dev-123456.okta.com/app/dev-123456_tencentcloud_1/exk1/sso/saml',
  acsUrl: 'http://127.0.0.1:9000/saml/sp/z-abc123/acs',
  spEntityId: 'http://127.0.0.1:9000/saml/sp/z-abc123',
};

/** What the IdP does with the redirect: read SAMLRequest from the query, base64-decode, inflate, parse. */
function decodeRedirect(url: string) {
  const params = new URL(url).searchParams;
  const xml = inflateRawSync(Buffer.from(params.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
  return { params, xml, request: parseStrictXml(xml).documentElement! };
}

describe('buildAuthnRequestRedirectUrl', () => {
  test('SAMLRequest inflates back to the AuthnRequest with every field given', () => {
    const url = buildAuthnRequestRedirectUrl(input);
    expect(url.startsWith(`${input.loginUrl}?SAMLRequest=`)).toBe(true);
    const { request, xml } = decodeRedirect(url);
    expect(xml).toBe(buildAuthnRequestXml(input));
    expect(request.namespaceURI).toBe(NS.samlp);
    expect(request.localName).toBe('AuthnRequest');
    expect(attribute(request, 'ID')).toBe(input.id);
    expect(attribute(request, 'Version')).toBe('2.0');
    expect(attribute(request, 'IssueInstant')).toBe('2026-03-01T08:15:30Z');
    expect(attribute(request, 'Destination')).toBe(input.loginUrl);
    expect(attribute(request, 'AssertionConsumerServiceURL')).toBe(input.acsUrl);
    expect(attribute(request, 'ProtocolBinding')).toBe('urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    expect(textOf(childElement(request, NS.saml, 'Issuer'))).toBe(input.spEntityId);
    expect(attribute(childElement(request, NS.samlp, 'NameIDPolicy')!, 'AllowCreate')).toBe('true');
  });

  test('is unsigned: no Signature, SigAlg or Signature parameter', () => {
    const { params, xml } = decodeRedirect(buildAuthnRequestRedirectUrl(input));
    expect(params.has('SigAlg')).toBe(false);
    expect(params.has('Signature')).toBe(false);
    expect(xml).not.toContain('Signature');
  });

  test('RelayState travels as its own parameter, URL-encoded', () => {
    const relayState = 'return to=/portal?x=1&y=2';
    const { params } = decodeRedirect(buildAuthnRequestRedirectUrl({ ...input, relayState }));
    expect(params.get('RelayState')).toBe(relayState);
    expect(() => buildAuthnRequestRedirectUrl({ ...input, relayState: 'x'.repeat(81) })).toThrow(/80 bytes/);
  });

  test('a login URL that already has a query keeps it byte for byte and gains &SAMLRequest=', () => {
    const loginUrl = 'https://idp.example/adfs/ls/?wa=wsignin1.0&tenant=a%20b';
    const url = buildAuthnRequestRedirectUrl({ ...input, loginUrl });
    expect(url.startsWith(`${loginUrl}&SAMLRequest=`)).toBe(true);
    const { params, request } = decodeRedirect(url);
    expect(params.get('tenant')).toBe('a b');
    expect(attribute(request, 'Destination')).toBe(loginUrl);
  });

  test('the base64 characters + / = are percent-encoded, so the IdP decodes the exact bytes', () => {
    const raw = new URL(buildAuthnRequestRedirectUrl(input)).search;
    expect(raw).not.toMatch(/SAMLRequest=[^&]*[+/=]/);
  });

  test('XML metacharacters in the URLs and issuer are escaped', () => {
    const odd = { ...input, acsUrl: 'https://sp.example/acs?a=1&b="2"', spEntityId: 'urn:sp:<x>&y' };
    const { request } = decodeRedirect(buildAuthnRequestRedirectUrl(odd));
    expect(attribute(request, 'AssertionConsumerServiceURL')).toBe(odd.acsUrl);
    expect(textOf(childElement(request, NS.saml, 'Issuer'))).toBe(odd.spEntityId);
  });

  test('refuses an ID that is not an xs:ID and a login URL that is not a URL', () => {
    expect(() => buildAuthnRequestXml({ ...input, id: '123abc' })).toThrow(/xs:ID/);
    expect(() => buildAuthnRequestRedirectUrl({ ...input, loginUrl: 'not a url' })).toThrow();
  });
});
