/**
 * The test IdP itself: its certificate matches its key, its xml-crypto
 * signatures are standard (libxmlsec verifies them, the reverse direction of
 * the emulator verifying xmlsec1's), and its responses carry what it was asked.
 */
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';

import { HAVE_XMLSEC1, TestIdp, decodeResponse, verifiesWithXmlsec1 } from '../helpers/saml-idp.js';

const idp = TestIdp.create({ shape: 'entra' });
const base = { destination: 'http://127.0.0.1:9000/saml/sp/z-1/acs', audience: 'http://127.0.0.1:9000/saml/sp/z-1', nameId: 'bob@example.com' };
const ASSERTION_SIGNATURE = "//*[local-name()='Assertion']/*[local-name()='Signature']";
const RESPONSE_SIGNATURE = "/*[local-name()='Response']/*[local-name()='Signature']";

test('the certificate holds the public half of the private key, and is self-signed', () => {
  const cert = new X509Certificate(idp.certificatePem);
  const fromKey = createPublicKey(createPrivateKey(idp.privateKeyPem)).export({ type: 'spki', format: 'pem' });
  expect(cert.publicKey.export({ type: 'spki', format: 'pem' })).toBe(fromKey);
  expect(cert.verify(cert.publicKey)).toBe(true);
});

test('two IdPs get different keys, entity IDs and login URLs', () => {
  const other = TestIdp.create({ shape: 'entra' });
  expect(other.certificatePem).not.toBe(idp.certificatePem);
  expect(other.entityId()).not.toBe(idp.entityId());
  expect(other.loginUrl()).not.toBe(idp.loginUrl());
});

(HAVE_XMLSEC1 ? describe : describe.skip)('xml-crypto-signed responses verify with xmlsec1 (libxmlsec)', () => {
  test.each(['rsa-sha256', 'rsa-sha1'] as const)('assertion and response signatures, %s', (algorithm) => {
    const assertionSigned = decodeResponse(idp.response({ ...base, sign: 'assertion', signer: 'xml-crypto', algorithm }));
    expect(verifiesWithXmlsec1(assertionSigned, idp.certificatePem, ASSERTION_SIGNATURE)).toBe(true);
    const responseSigned = decodeResponse(idp.response({ ...base, sign: 'response', signer: 'xml-crypto', algorithm }));
    expect(verifiesWithXmlsec1(responseSigned, idp.certificatePem, RESPONSE_SIGNATURE)).toBe(true);
  });

  test('and xmlsec1 refuses them with another certificate or after a change', () => {
    const signed = decodeResponse(idp.response({ ...base, sign: 'assertion', signer: 'xml-crypto' }));
    expect(verifiesWithXmlsec1(signed, TestIdp.create().certificatePem, ASSERTION_SIGNATURE)).toBe(false);
    expect(verifiesWithXmlsec1(signed.replace('bob@example.com', 'eve@example.com'), idp.certificatePem, ASSERTION_SIGNATURE)).toBe(false);
  });
});

test('signature placement follows the SAML schema: right after the Issuer of the signed element', () => {
  for (const signer of HAVE_XMLSEC1 ? (['xmlsec1', 'xml-crypto'] as const) : (['xml-crypto'] as const)) {
    const xml = decodeResponse(idp.response({ ...base, sign: 'both', signer }));
    expect(xml).toMatch(/<\/(\w+:)?Issuer><ds:Signature\b[\s\S]*?<\/ds:Signature><samlp:Status>/);
    expect(xml).toMatch(/<Assertion [^>]*><Issuer>[^<]*<\/Issuer><ds:Signature\b/);
  }
});
