/**
 * Verifies a SAML 2.0 Response that arrived over the HTTP-POST binding at the
 * ACS: the XML signature (xml-crypto, against the configured certificates only)
 * and every condition SAML puts on using the assertion. Pure: the caller passes
 * the clock, and does replay detection, InResponseTo matching and user mapping
 * with the fields returned.
 */
import { ValidityClock, bearerConfirmation, checkConditions } from './assertion-conditions.js';
import { decodeStrictBase64 } from './base64.js';
import { SamlCheckError, parseOrRefuse } from './saml-check-error.js';
import { NS, attribute, childElement, childElements, descendants, textOf } from './xml.js';
import { signedElement } from './xml-signature.js';
import type { XmlDocument, XmlElement } from '@xmldom/xmldom';

export { SamlCheckError, type SamlCheck } from './saml-check-error.js';

/** What the response must match. */
export interface SamlExpectations {
  /** PEM certificates of the configured IdP; a signature verifying with any one of them is accepted. */
  certificates: string[];
  /** Our ACS URL: the Response's Destination and the bearer confirmation's Recipient. */
  destination: string;
  /** Our entity ID: must appear in every AudienceRestriction. */
  audience: string;
  /** The emulator's clock (never the wall clock here). */
  now: Date;
  /** Tolerance for the IdP's clock, both ways; default DEFAULT_CLOCK_SKEW_SECONDS. */
  clockSkewSeconds?: number;
  /** The configured IdP entity ID; when given, the Issuer must equal it. */
  idpEntityId?: string;
}

/** What the caller needs from an accepted assertion. */
export interface VerifiedAssertion {
  /** Assertion ID: the key for replay detection. */
  assertionId: string;
  /** The assertion's Issuer (the IdP's entity ID). */
  issuer: string;
  nameId: string;
  /** NameID Format URI, when the IdP sent one (emailAddress lets the caller fall back to e-mail lookup). */
  nameIdFormat?: string;
  /** The AuthnRequest ID this answers, from the signed SubjectConfirmationData or else the Response when it is signed. */
  inResponseTo?: string;
  /** AuthnStatement SessionIndex, for the portal page. */
  sessionIndex?: string;
  /** The earliest NotOnOrAfter that bounds use of the assertion (ISO): how long to remember its ID for replay detection. */
  notOnOrAfter?: string;
  /** Attribute Name to its AttributeValues' texts. */
  attributes: Record<string, string[]>;
  /** Which element(s) carried a verified signature. */
  signed: 'response' | 'assertion' | 'both';
}

/**
 * Three minutes, Shibboleth SP's default. The emulator's clock and a real
 * IdP's are on different machines; IdPs stamp NotBefore at the issue instant,
 * so a laptop a few seconds behind would otherwise see a fresh assertion as
 * not yet valid, while assertions live 5 minutes (Okta) to an hour (Entra).
 */
export const DEFAULT_CLOCK_SKEW_SECONDS = 180;

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/**
 * Decodes (base64), parses and verifies a SAMLResponse form value; returns the
 * assertion's facts or throws SamlCheckError.
 *
 * Signature wrapping defence: only a ds:Signature that is a direct child of the
 * Response or of its Assertion counts; its single Reference must point at the
 * ID of exactly that parent; the document must hold exactly one Assertion; and
 * every value is read from the canonical XML that xml-crypto verified
 * (getSignedReferences), never from the received tree.
 *
 * Destination: if the Response carries one it must equal ours; a signed
 * Response must carry one (SAML Bindings 3.5.5.2). When only the assertion is
 * signed, the bearer Recipient (always required, Profiles 4.1.4.2) binds it to us.
 */
export function verifySamlResponse(encoded: string, expect: SamlExpectations): VerifiedAssertion {
  const xml = decodeBase64Xml(encoded);
  const doc = parseOrRefuse(xml, 'the SAML response');
  const received = doc.documentElement!;
  if (received.namespaceURI !== NS.samlp || received.localName !== 'Response') {
    throw new SamlCheckError('malformed', `the root element is ${received.nodeName}, not a SAML 2.0 protocol Response`);
  }
  if (descendants(doc, NS.saml, 'EncryptedAssertion').length > 0) {
    throw new SamlCheckError('malformed', 'encrypted assertions are not supported: turn assertion encryption off for this application in the IdP');
  }
  checkStatus(received);
  const receivedAssertion = onlyAssertion(doc, received);

  const responseSignature = childElement(received, NS.ds, 'Signature');
  const assertionSignature = childElement(receivedAssertion, NS.ds, 'Signature');
  if (!responseSignature && !assertionSignature) {
    throw new SamlCheckError('signature-missing', 'neither the Response nor the Assertion is signed');
  }
  // Everything below is read from what the signatures cover.
  const signedResponse = responseSignature ? signedElement(xml, responseSignature, received, 'Response', expect.certificates) : undefined;
  const signedAssertion = assertionSignature
    ? signedElement(xml, assertionSignature, receivedAssertion, 'Assertion', expect.certificates)
    : onlyAssertion(signedResponse!.ownerDocument!, signedResponse!);
  const response = signedResponse ?? received;

  const destination = attribute(response, 'Destination');
  if (destination === undefined && signedResponse) {
    throw new SamlCheckError('destination', 'the Response is signed but has no Destination (SAML Bindings 3.5.5.2 requires one)');
  }
  if (destination !== undefined && destination !== expect.destination) {
    throw new SamlCheckError('destination', `the Response's Destination is ${destination}, expected ${expect.destination}`);
  }

  const issuer = textOf(childElement(signedAssertion, NS.saml, 'Issuer'));
  if (!issuer) throw new SamlCheckError('malformed', 'the Assertion has no Issuer');
  checkIssuer(issuer, 'Assertion', expect.idpEntityId);
  const responseIssuer = childElement(response, NS.saml, 'Issuer');
  if (responseIssuer) checkIssuer(textOf(responseIssuer), 'Response', expect.idpEntityId ?? issuer);

  const clock = new ValidityClock(expect.now, expect.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS);
  const subject = childElement(signedAssertion, NS.saml, 'Subject');
  if (!subject) throw new SamlCheckError('malformed', 'the Assertion has no Subject');
  const confirmation = bearerConfirmation(subject, expect.destination, clock);
  const conditions = childElement(signedAssertion, NS.saml, 'Conditions');
  if (!conditions) throw new SamlCheckError('audience', `the Assertion has no Conditions, so no AudienceRestriction naming ${expect.audience}`);
  const conditionsEnd = checkConditions(conditions, expect.audience, clock);

  const nameIdElement = childElement(subject, NS.saml, 'NameID');
  if (!nameIdElement) {
    const encrypted = childElement(subject, NS.saml, 'EncryptedID');
    throw new SamlCheckError('malformed', encrypted ? 'encrypted NameIDs are not supported' : 'the Subject has no NameID');
  }
  const nameId = textOf(nameIdElement);
  if (!nameId) throw new SamlCheckError('malformed', 'the NameID is empty');

  const assertionId = attribute(signedAssertion, 'ID');
  if (!assertionId) throw new SamlCheckError('malformed', 'the Assertion has no ID');
  const responseInResponseTo = attribute(response, 'InResponseTo');
  const confirmedInResponseTo = attribute(confirmation.data, 'InResponseTo');
  if (responseInResponseTo && confirmedInResponseTo && responseInResponseTo !== confirmedInResponseTo) {
    throw new SamlCheckError('malformed', `the Response answers ${responseInResponseTo} but its Assertion answers ${confirmedInResponseTo}`);
  }
  const ends = [conditionsEnd, confirmation.notOnOrAfter].filter((d): d is Date => d !== undefined);
  const sessionIndex = childElements(signedAssertion, NS.saml, 'AuthnStatement').map((s) => attribute(s, 'SessionIndex')).find(Boolean);
  return {
    assertionId,
    issuer,
    nameId,
    ...optional('nameIdFormat', attribute(nameIdElement, 'Format')),
    // Only a signed value: an unsigned Response's InResponseTo could claim any pending request.
    ...optional('inResponseTo', confirmedInResponseTo ?? (signedResponse ? responseInResponseTo : undefined)),
    ...optional('sessionIndex', sessionIndex),
    ...optional('notOnOrAfter', ends.length ? new Date(Math.min(...ends.map((d) => d.getTime()))).toISOString() : undefined),
    attributes: attributesOf(signedAssertion),
    signed: signedResponse && assertionSignature ? 'both' : signedResponse ? 'response' : 'assertion',
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

function decodeBase64Xml(encoded: string): string {
  if (typeof encoded !== 'string' || encoded.trim() === '') throw new SamlCheckError('malformed', 'the SAMLResponse parameter is empty');
  const bytes = decodeStrictBase64(encoded);
  if (!bytes) throw new SamlCheckError('malformed', 'the SAMLResponse parameter is not base64 (HTTP-POST binding)');
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (!text.trimStart().startsWith('<')) throw new SamlCheckError('malformed', 'the SAMLResponse parameter does not decode to XML');
  return text;
}

function checkStatus(response: XmlElement): void {
  const status = childElement(response, NS.samlp, 'Status');
  const code = status && childElement(status, NS.samlp, 'StatusCode');
  const value = code && attribute(code, 'Value');
  if (!value) throw new SamlCheckError('malformed', 'the Response has no Status/StatusCode');
  if (value === SUCCESS) return;
  const second = childElement(code, NS.samlp, 'StatusCode');
  const detail = second ? ` / ${attribute(second, 'Value') ?? ''}` : '';
  const message = textOf(childElement(status, NS.samlp, 'StatusMessage'));
  throw new SamlCheckError('status', `the IdP answered ${value}${detail}${message ? `: ${message}` : ''}`);
}

/** The Response's one Assertion; more than one anywhere in the document is a wrapping attempt or nothing we can use. */
function onlyAssertion(doc: XmlDocument, response: XmlElement): XmlElement {
  const all = descendants(doc, NS.saml, 'Assertion');
  const direct = childElements(response, NS.saml, 'Assertion');
  if (all.length !== 1 || direct.length !== 1) {
    throw new SamlCheckError(
      'malformed',
      all.length === 0 ? 'the Response holds no Assertion' : `the Response must hold exactly one Assertion as a direct child; found ${all.length} in the document`,
    );
  }
  return direct[0]!;
}

function checkIssuer(issuer: string, where: string, expected: string | undefined): void {
  if (expected !== undefined && issuer !== expected) {
    throw new SamlCheckError('issuer', `the ${where} was issued by ${issuer}, expected ${expected}`);
  }
}

function attributesOf(assertion: XmlElement): Record<string, string[]> {
  // A Map, then fromEntries: an attribute named __proto__ becomes a plain key, not a prototype.
  const values = new Map<string, string[]>();
  for (const statement of childElements(assertion, NS.saml, 'AttributeStatement')) {
    for (const attr of childElements(statement, NS.saml, 'Attribute')) {
      const name = attribute(attr, 'Name');
      if (!name) continue;
      values.set(name, [...(values.get(name) ?? []), ...childElements(attr, NS.saml, 'AttributeValue').map(textOf)]);
    }
  }
  return Object.fromEntries(values);
}
