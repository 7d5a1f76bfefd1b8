/**
 * verifySamlResponse accepts what a real IdP sends, whichever XML-DSig
 * implementation signed it (xmlsec1 as well as xml-crypto), and refuses each
 * way a response can be wrong, naming the check that failed.
 */
import { SamlCheckError, verifySamlResponse, type SamlCheck, type SamlExpectations } from '../../src/saml/verify-response.js';
import {
  INDEPENDENT_SIGNER,
  SIGNERS,
  TestIdp,
  decodeResponse,
  encodeResponse,
  tamperNameId,
  wrapResponse,
  type ResponseOptions,
  type WrapVariant,
} from '../helpers/saml-idp.js';

const NOW = new Date('2026-03-01T08:00:00Z');
const ACS = 'http://127.0.0.1:9000/saml/sp/z-abc123/acs';
const SP = 'http://127.0.0.1:9000/saml/sp/z-abc123';
const idp = TestIdp.create({ shape: 'okta' });
const otherIdp = TestIdp.create({ shape: 'okta' });

const base: ResponseOptions = { destination: ACS, audience: SP, nameId: 'alice@example.com', now: NOW, sign: 'assertion' };
const expectations: SamlExpectations = { certificates: [idp.certificatePem], destination: ACS, audience: SP, now: NOW, idpEntityId: idp.entityId() };

const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);
const seconds = (n: number) => new Date(NOW.getTime() + n * 1000);

/** Runs the verifier and returns the check it refused with (fails the test if it accepted). */
function refusal(encoded: string, overrides: Partial<SamlExpectations> = {}): { check: SamlCheck; message: string } {
  try {
    const accepted = verifySamlResponse(encoded, { ...expectations, ...overrides });
    throw new Error(`accepted a response that should be refused (NameID ${accepted.nameId})`);
  } catch (error) {
    if (!(error instanceof SamlCheckError)) throw error;
    return { check: error.check, message: error.message };
  }
}

describe('accepted: signed by an independent implementation (xmlsec1) and by xml-crypto', () => {
  const cases: Array<[ResponseOptions['signer'], ResponseOptions['sign'], ResponseOptions['algorithm']]> = [];
  for (const signer of SIGNERS)
    for (const sign of ['assertion', 'response', 'both'] as const) for (const algorithm of ['rsa-sha256', 'rsa-sha1'] as const) cases.push([signer, sign, algorithm]);

  test.each(cases)('signer %s, signature on the %s, %s, exclusive c14n', (signer, sign, algorithm) => {
    const verified = verifySamlResponse(idp.response({ ...base, signer, sign, algorithm }), expectations);
    expect(verified.nameId).toBe('alice@example.com');
    expect(verified.signed).toBe(sign);
  });

  test.each([...SIGNERS])('signer %s, exclusive c14n WithComments', (signer) => {
    for (const sign of ['assertion', 'response'] as const) {
      expect(verifySamlResponse(idp.response({ ...base, signer, sign, c14n: 'exclusive-with-comments' }), expectations).nameId).toBe('alice@example.com');
    }
  });

  test.each(['okta', 'onelogin', 'entra'] as const)(`%s namespace style (saml2:, saml:, default-namespace Assertion), signed by ${INDEPENDENT_SIGNER}`, (shape) => {
    const vendor = TestIdp.create({ shape });
    for (const sign of ['assertion', 'response', 'both'] as const) {
      const encoded = vendor.response({ ...base, sign, signer: INDEPENDENT_SIGNER });
      const verified = verifySamlResponse(encoded, { ...expectations, certificates: [vendor.certificatePem], idpEntityId: vendor.entityId() });
      expect(verified).toMatchObject({ issuer: vendor.entityId(), nameId: 'alice@example.com', signed: sign });
    }
  });

  test('returns what the caller needs: IDs, issuer, NameID and format, InResponseTo, SessionIndex, the earliest NotOnOrAfter, attributes', () => {
    const encoded = idp.response({
      ...base,
      sign: 'both',
      signer: INDEPENDENT_SIGNER,
      assertionId: '_assertion1',
      inResponseTo: '_request42',
      sessionIndex: '_session7',
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      notOnOrAfter: minutes(10),
      subjectNotOnOrAfter: minutes(5),
      attributes: { email: ['alice@example.com'], groups: ['admins', 'devs'], ['__proto__']: ['kept as a plain key'] },
    });
    const verified = verifySamlResponse(encoded, expectations);
    expect(verified).toEqual({
      assertionId: '_assertion1',
      issuer: idp.entityId(),
      nameId: 'alice@example.com',
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      inResponseTo: '_request42',
      sessionIndex: '_session7',
      notOnOrAfter: minutes(5).toISOString(),
      attributes: expect.objectContaining({ email: ['alice@example.com'], groups: ['admins', 'devs'] }),
      signed: 'both',
    });
    expect(Object.getPrototypeOf(verified.attributes)).toBe(Object.prototype);
    expect(Object.keys(verified.attributes)).toContain('__proto__');
  });

  test('InResponseTo is taken only from signed content: an unsigned Response cannot claim a pending request', () => {
    const addToResponse = (x: string) => x.replace('<saml2p:Response ', '<saml2p:Response InResponseTo="_pending" ');
    const assertionSigned = idp.response({ ...base, sign: 'assertion' });
    const claimed = encodeResponse(addToResponse(decodeResponse(assertionSigned)));
    expect(verifySamlResponse(claimed, expectations).inResponseTo).toBeUndefined();
    const responseSigned = idp.response({ ...base, sign: 'response', edit: addToResponse });
    expect(verifySamlResponse(responseSigned, expectations).inResponseTo).toBe('_pending');
  });

  test('any configured certificate may verify (key rollover: old and new listed, the new one signs)', () => {
    const encoded = otherIdp.response({ ...base, signer: INDEPENDENT_SIGNER, issuer: idp.entityId() });
    expect(verifySamlResponse(encoded, { ...expectations, certificates: [idp.certificatePem, otherIdp.certificatePem] }).nameId).toBe('alice@example.com');
  });

  test('without idpEntityId any issuer is accepted, but the Response and Assertion issuers must agree', () => {
    const { idpEntityId: _ignored, ...noIssuer } = expectations;
    expect(verifySamlResponse(idp.response(base), noIssuer).issuer).toBe(idp.entityId());
  });

  test('a comment inside the NameID (CVE-2017-11427 style) does not truncate it: the whole text is the NameID', () => {
    const encoded = idp.response({ ...base, nameId: 'alice@example.com.evil.test', sign: 'assertion', signer: INDEPENDENT_SIGNER });
    // Exclusive c14n without comments drops the comment, so the signature still verifies.
    const injected = decodeResponse(encoded).replace('alice@example.com.evil.test', 'alice@example.com<!---->.evil.test');
    expect(verifySamlResponse(encodeResponse(injected), expectations).nameId).toBe('alice@example.com.evil.test');
  });

  test('Destination may be absent when only the assertion is signed (the bearer Recipient still binds it to our ACS)', () => {
    expect(verifySamlResponse(idp.response({ ...base, includeDestination: false, sign: 'assertion' }), expectations).nameId).toBe('alice@example.com');
  });
});

describe('refused: signatures', () => {
  test.each([...SIGNERS])('signature-invalid: signed by a key other than the configured certificate (%s)', (signer) => {
    for (const sign of ['assertion', 'response', 'both'] as const) {
      const refused = refusal(otherIdp.response({ ...base, sign, signer, issuer: idp.entityId() }));
      expect(refused.check).toBe('signature-invalid');
      expect(refused.message).toMatch(/does not verify with the configured certificate/);
    }
  });

  test('signature-invalid: the certificate in the message KeyInfo is never trusted in place of the configured one', () => {
    const encoded = otherIdp.response({ ...base, signer: INDEPENDENT_SIGNER, issuer: idp.entityId() });
    expect(decodeResponse(encoded)).toContain(otherIdp.certificateBase64.slice(0, 60));
    expect(refusal(encoded).check).toBe('signature-invalid');
  });

  test.each(['assertion', 'response', 'both'] as const)('signature-invalid: NameID changed after signing (signature on the %s)', (sign) => {
    for (const signer of SIGNERS) {
      const refused = refusal(tamperNameId(idp.response({ ...base, sign, signer }), 'mallory@example.com'));
      expect(refused.check).toBe('signature-invalid');
    }
  });

  test('signature-invalid: an attribute value changed after signing', () => {
    const encoded = idp.response({ ...base, signer: INDEPENDENT_SIGNER, attributes: { role: ['user'] } });
    expect(refusal(encodeResponse(decodeResponse(encoded).replace('>user<', '>admin<'))).check).toBe('signature-invalid');
  });

  test('signature-invalid: the signature’s Reference points at another element than the one it sits in', () => {
    const xml = decodeResponse(idp.response({ ...base, sign: 'both', signer: INDEPENDENT_SIGNER }));
    const responseId = /Response\b[^>]* ID="([^"]+)"/.exec(xml)![1]!;
    const assertionId = /Assertion\b[^>]* ID="([^"]+)"/.exec(xml)![1]!;
    // Point the Response's signature at the assertion: the digest may even match, the placement does not.
    const moved = xml.replace(`URI="#${responseId}"`, `URI="#${assertionId}"`);
    const refused = refusal(encodeResponse(moved));
    expect(refused).toEqual({ check: 'signature-invalid', message: expect.stringMatching(/covers "#_.*", not the Response it sits in/) });
  });

  test('signature-missing: neither the Response nor the Assertion is signed', () => {
    expect(refusal(idp.response({ ...base, sign: 'none' }))).toEqual({ check: 'signature-missing', message: 'neither the Response nor the Assertion is signed' });
  });

  test('signature-invalid: no certificate configured', () => {
    expect(refusal(idp.response(base), { certificates: [] }).check).toBe('signature-invalid');
  });
});

describe('refused: XML signature wrapping (a forged assertion next to a genuinely signed one)', () => {
  const variants: WrapVariant[] = ['forged-sibling', 'forged-sibling-same-id', 'assertion-in-advice', 'response-in-extensions'];
  const cases: Array<[WrapVariant, 'assertion' | 'response' | 'both']> = [];
  for (const variant of variants) for (const sign of ['assertion', 'response', 'both'] as const) cases.push([variant, sign]);

  test.each(cases)('%s, genuine signature on the %s', (variant, sign) => {
    const genuine = idp.response({ ...base, sign, signer: INDEPENDENT_SIGNER });
    expect(verifySamlResponse(genuine, expectations).nameId).toBe('alice@example.com');
    const refused = refusal(wrapResponse(genuine, variant, 'mallory@example.com'));
    expect(['malformed', 'signature-invalid', 'signature-missing']).toContain(refused.check);
  });

  test('signature-moved-to-forgery: a lone forged Assertion carrying the genuine Signature is refused by the Reference check', () => {
    const genuine = idp.response({ ...base, sign: 'assertion', signer: INDEPENDENT_SIGNER });
    const refused = refusal(wrapResponse(genuine, 'signature-moved-to-forgery', 'mallory@example.com'));
    expect(refused).toEqual({ check: 'signature-invalid', message: expect.stringMatching(/the Assertion signature covers "#_\w+", not the Assertion it sits in/) });
  });

  test('the refusal says why: more than one Assertion in the document', () => {
    const wrapped = wrapResponse(idp.response({ ...base, signer: INDEPENDENT_SIGNER }), 'forged-sibling', 'mallory@example.com');
    expect(refusal(wrapped)).toEqual({ check: 'malformed', message: expect.stringMatching(/exactly one Assertion.*found 2/) });
  });
});

describe('refused: conditions', () => {
  test('expired: Conditions NotOnOrAfter passed by more than the clock skew (180 s by default)', () => {
    const encoded = idp.response({ ...base, now: minutes(-10), notOnOrAfter: minutes(-5), subjectNotOnOrAfter: minutes(10) });
    expect(refusal(encoded)).toEqual({ check: 'expired', message: expect.stringMatching(/the Assertion expired at 2026-03-01T07:55:00.000Z; it is now 2026-03-01T08:00:00.000Z/) });
  });

  test('expired: the bearer SubjectConfirmationData NotOnOrAfter passed', () => {
    const encoded = idp.response({ ...base, now: minutes(-10), notOnOrAfter: minutes(10), subjectNotOnOrAfter: minutes(-5) });
    expect(refusal(encoded)).toEqual({ check: 'expired', message: expect.stringMatching(/SubjectConfirmationData expired/) });
  });

  test('the skew is applied at both ends, and clockSkewSeconds changes it', () => {
    const justExpired = idp.response({ ...base, now: minutes(-10), notOnOrAfter: seconds(-170) });
    expect(verifySamlResponse(justExpired, expectations).nameId).toBe('alice@example.com');
    expect(refusal(justExpired, { clockSkewSeconds: 0 }).check).toBe('expired');
    expect(refusal(idp.response({ ...base, now: minutes(-10), notOnOrAfter: seconds(-180) })).check).toBe('expired');
    const early = idp.response({ ...base, notBefore: seconds(170) });
    expect(verifySamlResponse(early, expectations).nameId).toBe('alice@example.com');
    expect(refusal(early, { clockSkewSeconds: 60 }).check).toBe('not-yet-valid');
  });

  test('not-yet-valid: Conditions NotBefore ahead of the clock by more than the skew', () => {
    const encoded = idp.response({ ...base, now: minutes(5), notBefore: minutes(5), notOnOrAfter: minutes(10) });
    expect(refusal(encoded)).toEqual({ check: 'not-yet-valid', message: expect.stringMatching(/valid from 2026-03-01T08:05:00.000Z/) });
  });

  test('audience: the assertion is for another service provider', () => {
    const refused = refusal(idp.response({ ...base, audience: 'https://signin.aws.amazon.com/saml' }));
    expect(refused).toEqual({ check: 'audience', message: `the Assertion is for https://signin.aws.amazon.com/saml, not ${SP}` });
  });

  test('destination: the Response was sent to another ACS', () => {
    const refused = refusal(idp.response({ ...base, destination: 'http://127.0.0.1:9000/saml/sp/z-other/acs', recipient: ACS }));
    expect(refused.check).toBe('destination');
    expect(refused.message).toMatch(/Destination is http:\/\/127.0.0.1:9000\/saml\/sp\/z-other\/acs, expected/);
  });

  test('destination: a signed Response without Destination (SAML Bindings 3.5.5.2)', () => {
    expect(refusal(idp.response({ ...base, includeDestination: false, sign: 'response' }))).toEqual({ check: 'destination', message: expect.stringMatching(/signed but has no Destination/) });
  });

  test('recipient: the bearer confirmation names another ACS', () => {
    const refused = refusal(idp.response({ ...base, recipient: 'https://elsewhere.example/acs' }));
    expect(refused).toEqual({ check: 'recipient', message: `the bearer SubjectConfirmationData Recipient is https://elsewhere.example/acs, expected ${ACS}` });
  });

  test('issuer: the assertion comes from another IdP than the configured one', () => {
    const refused = refusal(idp.response({ ...base, issuer: 'http://www.okta.com/someone-else' }));
    expect(refused).toEqual({ check: 'issuer', message: `the Assertion was issued by http://www.okta.com/someone-else, expected ${idp.entityId()}` });
  });

  test('status: the IdP reports a failure (its StatusMessage is shown)', () => {
    const encoded = idp.response({ ...base, sign: 'none', status: 'urn:oasis:names:tc:SAML:2.0:status:Responder', statusMessage: 'User is not assigned to this application' });
    expect(refusal(encoded)).toEqual({
      check: 'status',
      message: 'the IdP answered urn:oasis:names:tc:SAML:2.0:status:Responder: User is not assigned to this application',
    });
  });
});

describe('refused: structure the IdP signed but SAML does not allow', () => {
  // Okta style: saml2: prefix on the assertion elements. Edits happen before signing, so signatures are valid.
  test.each<[string, (xml: string) => string, SamlCheck, RegExp]>([
    ['no Conditions', (x) => x.replace(/<saml2:Conditions\b[\s\S]*<\/saml2:Conditions>/, ''), 'audience', /no Conditions/],
    ['no AudienceRestriction', (x) => x.replace(/<saml2:AudienceRestriction>[\s\S]*<\/saml2:AudienceRestriction>/, ''), 'audience', /no AudienceRestriction/],
    [
      'a second AudienceRestriction that does not name us (all must be satisfied)',
      (x) => x.replace('</saml2:AudienceRestriction>', '</saml2:AudienceRestriction><saml2:AudienceRestriction><saml2:Audience>urn:other</saml2:Audience></saml2:AudienceRestriction>'),
      'audience',
      /for urn:other, not/,
    ],
    ['no bearer SubjectConfirmation', (x) => x.replace('urn:oasis:names:tc:SAML:2.0:cm:bearer', 'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key'), 'recipient', /no bearer/],
    ['a Response Issuer that differs from the Assertion Issuer', (x) => x.replace(/(Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">)[^<]*/, '$1http://evil.example/idp'), 'issuer', /Response was issued by http:\/\/evil.example\/idp/],
    ['an InResponseTo on the Response that differs from the assertion’s', (x) => x.replace(/(<saml2p:Response\b[^>]*InResponseTo=")[^"]*/, '$1_other'), 'malformed', /answers _other but its Assertion answers _req1/],
    ['an instant that is not an xs:dateTime', (x) => x.replace(/(<saml2:Conditions NotBefore=")[^"]*/, '$1yesterday'), 'malformed', /NotBefore="yesterday" is not an xs:dateTime/],
    ['an encrypted NameID', (x) => x.replace(/<saml2:NameID\b[^>]*>[^<]*<\/saml2:NameID>/, '<saml2:EncryptedID><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"/></saml2:EncryptedID>'), 'malformed', /encrypted NameIDs are not supported/],
    ['an empty NameID', (x) => x.replace(/(<saml2:NameID\b[^>]*>)[^<]*/, '$1'), 'malformed', /NameID is empty/],
  ])('%s', (_label, edit, check, message) => {
    const encoded = idp.response({ ...base, sign: 'both', inResponseTo: '_req1', edit });
    expect(refusal(encoded)).toEqual({ check, message: expect.stringMatching(message) });
  });
});

describe('refused: malformed input', () => {
  const genuineXml = decodeResponse(idp.response({ ...base, signer: INDEPENDENT_SIGNER }));

  test.each([
    ['an empty field', ''],
    ['text that is not base64', 'not base64 at all!'],
    ['base64 of something that is not XML', Buffer.from('{"json": true}').toString('base64')],
    ['XML that is not well-formed', encodeResponse(genuineXml.slice(0, -20))],
    ['a DOCTYPE (XXE)', encodeResponse(genuineXml.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'))],
    ['a root that is not a protocol Response', encodeResponse('<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1"/>')],
    ['a Response without any Assertion', encodeResponse(genuineXml.replace(/<saml2:Assertion\b[\s\S]*<\/saml2:Assertion>/, ''))],
  ])('malformed: %s', (_label, encoded) => {
    expect(refusal(encoded).check).toBe('malformed');
  });

  test('malformed: an encrypted assertion, with a message saying so', () => {
    const encrypted = genuineXml.replace(
      /<saml2:Assertion\b[\s\S]*<\/saml2:Assertion>/,
      '<saml2:EncryptedAssertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion"><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"/></saml2:EncryptedAssertion>',
    );
    expect(refusal(encodeResponse(encrypted))).toEqual({ check: 'malformed', message: expect.stringMatching(/^encrypted assertions are not supported/) });
  });

  test('the SAMLResponse may arrive with line breaks (some IdPs wrap base64 at 76 columns)', () => {
    const encoded = idp.response({ ...base, signer: INDEPENDENT_SIGNER });
    expect(verifySamlResponse((encoded.match(/.{1,76}/g) ?? []).join('\r\n'), expectations).nameId).toBe('alice@example.com');
  });
});
