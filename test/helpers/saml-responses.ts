/**
 * SAML Responses as test IdPs send them, signed by either of two independent
 * XML-DSig implementations: the xmlsec1 CLI (libxmlsec, C) or xml-crypto (JS).
 * The emulator verifies with xml-crypto, so xmlsec1-signed responses prove it
 * interoperates and is not just agreeing with itself. Also: tampering and
 * signature-wrapping (XSW) helpers.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { SignedXml } from 'xml-crypto';

import { HAVE_XMLSEC1, runTool, withTempDir } from './cli-tools.js';

/** Which element(s) carry an enveloped signature. */
export type SignWhat = 'assertion' | 'response' | 'both' | 'none';
export type SignAlgorithm = 'rsa-sha256' | 'rsa-sha1';
export type Signer = 'xmlsec1' | 'xml-crypto';
/** CanonicalizationMethod and the Reference's c14n transform. */
export type C14n = 'exclusive' | 'exclusive-with-comments';
/** Namespace style of the XML, as each vendor writes it. */
export type ResponseStyle = 'okta' | 'onelogin' | 'entra';

/** Everything a test may want to vary in a response; the defaults make a valid one. */
export interface ResponseOptions {
  destination: string;
  audience: string;
  nameId: string;
  /** Default emailAddress. */
  nameIdFormat?: string;
  /** IssueInstant; the default notBefore. Default: the wall clock. */
  now?: Date;
  /** Conditions NotBefore. Default `now`. */
  notBefore?: Date;
  /** Conditions NotOnOrAfter. Default `now` + 5 minutes (Okta's lifetime). */
  notOnOrAfter?: Date;
  /** SubjectConfirmationData NotOnOrAfter. Default: Conditions NotOnOrAfter. */
  subjectNotOnOrAfter?: Date;
  /** SubjectConfirmationData Recipient. Default `destination`. */
  recipient?: string;
  /** Whether the Response has a Destination attribute. Default true. */
  includeDestination?: boolean;
  inResponseTo?: string;
  assertionId?: string;
  responseId?: string;
  issuer?: string;
  /** Top-level StatusCode Value. Default Success. */
  status?: string;
  statusMessage?: string;
  attributes?: Record<string, string[]>;
  sessionIndex?: string;
  /** Changes the unsigned XML before it is signed: for shapes the options above do not reach. */
  edit?: (xml: string) => string;
  sign: SignWhat;
  algorithm?: SignAlgorithm;
  /** Default: xmlsec1 when installed (independent of the xml-crypto the emulator verifies with), else xml-crypto. */
  signer?: Signer;
  c14n?: C14n;
}

/** The key material a signer needs. */
export interface SigningKey {
  privateKeyPem: string;
  certificatePem: string;
}

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

const SIGNATURE_METHOD: Record<SignAlgorithm, string> = {
  'rsa-sha256': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'rsa-sha1': 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
};
const DIGEST_METHOD: Record<SignAlgorithm, string> = {
  'rsa-sha256': 'http://www.w3.org/2001/04/xmlenc#sha256',
  'rsa-sha1': 'http://www.w3.org/2000/09/xmldsig#sha1',
};
const C14N_METHOD: Record<C14n, string> = {
  exclusive: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  'exclusive-with-comments': 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
};
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/** The signers that can run here: xmlsec1 (when installed) and xml-crypto. */
export const SIGNERS: readonly Signer[] = HAVE_XMLSEC1 ? ['xmlsec1', 'xml-crypto'] : ['xml-crypto'];

/** The default signer: xmlsec1, independent of the emulator's xml-crypto, when it is installed. */
export const INDEPENDENT_SIGNER: Signer = HAVE_XMLSEC1 ? 'xmlsec1' : 'xml-crypto';

/** An xs:ID as IdPs make them. */
export function samlId(): string {
  return `_${randomBytes(16).toString('hex')}`;
}

function instant(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Escapes text for XML content and attribute values. */
export function esc(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Element names per vendor style: Okta writes saml2p:/saml2:, OneLogin samlp:/saml:, Entra a default-namespace Assertion. */
function names(style: ResponseStyle) {
  const p = style === 'okta' ? 'saml2p' : 'samlp';
  const a = style === 'okta' ? 'saml2' : style === 'onelogin' ? 'saml' : '';
  const q = (local: string) => (a ? `${a}:${local}` : local);
  const assertionNs = a ? `xmlns:${a}="${SAML}"` : `xmlns="${SAML}"`;
  return { p, a, q, assertionNs };
}

/** Builds the unsigned Response XML. */
export function buildResponseXml(style: ResponseStyle, issuer: string, o: ResponseOptions): { xml: string; responseId: string; assertionId: string } {
  const now = o.now ?? new Date();
  const notBefore = o.notBefore ?? now;
  const notOnOrAfter = o.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000);
  const subjectEnd = o.subjectNotOnOrAfter ?? notOnOrAfter;
  const responseId = o.responseId ?? samlId();
  const assertionId = o.assertionId ?? samlId();
  const { p, a, q, assertionNs } = names(style);
  const responseIssuer = a
    ? `<${a}:Issuer xmlns:${a}="${SAML}" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">${esc(issuer)}</${a}:Issuer>`
    : `<Issuer xmlns="${SAML}">${esc(issuer)}</Issuer>`;
  const inResponseTo = o.inResponseTo ? ` InResponseTo="${esc(o.inResponseTo)}"` : '';
  const destination = o.includeDestination === false ? '' : ` Destination="${esc(o.destination)}"`;
  const status =
    `<${p}:Status><${p}:StatusCode Value="${esc(o.status ?? SUCCESS)}"/>` +
    (o.statusMessage ? `<${p}:StatusMessage>${esc(o.statusMessage)}</${p}:StatusMessage>` : '') +
    `</${p}:Status>`;
  const attributes = Object.entries(o.attributes ?? {})
    .map(
      ([name, values]) =>
        `<${q('Attribute')} Name="${esc(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">` +
        values.map((v) => `<${q('AttributeValue')} xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${esc(v)}</${q('AttributeValue')}>`).join('') +
        `</${q('Attribute')}>`,
    )
    .join('');
  const assertion =
    `<${q('Assertion')} ${assertionNs} ID="${assertionId}" IssueInstant="${instant(now)}" Version="2.0">` +
    `<${q('Issuer')}>${esc(issuer)}</${q('Issuer')}>` +
    `<${q('Subject')}><${q('NameID')} Format="${esc(o.nameIdFormat ?? EMAIL)}">${esc(o.nameId)}</${q('NameID')}>` +
    `<${q('SubjectConfirmation')} Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<${q('SubjectConfirmationData')}${inResponseTo} NotOnOrAfter="${instant(subjectEnd)}" Recipient="${esc(o.recipient ?? o.destination)}"/>` +
    `</${q('SubjectConfirmation')}></${q('Subject')}>` +
    `<${q('Conditions')} NotBefore="${instant(notBefore)}" NotOnOrAfter="${instant(notOnOrAfter)}">` +
    `<${q('AudienceRestriction')}><${q('Audience')}>${esc(o.audience)}</${q('Audience')}></${q('AudienceRestriction')}></${q('Conditions')}>` +
    `<${q('AuthnStatement')} AuthnInstant="${instant(now)}" SessionIndex="${esc(o.sessionIndex ?? assertionId)}">` +
    `<${q('AuthnContext')}><${q('AuthnContextClassRef')}>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</${q('AuthnContextClassRef')}></${q('AuthnContext')}></${q('AuthnStatement')}>` +
    (attributes ? `<${q('AttributeStatement')}>${attributes}</${q('AttributeStatement')}>` : '') +
    `</${q('Assertion')}>`;
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<${p}:Response xmlns:${p}="${SAMLP}"${destination} ID="${responseId}"${inResponseTo} IssueInstant="${instant(now)}" Version="2.0">` +
    responseIssuer +
    status +
    assertion +
    `</${p}:Response>`;
  return { xml, responseId, assertionId };
}

/** Signs as asked: the assertion first, so a response signature over 'both' covers the signed assertion. */
export function signResponseXml(xml: string, ids: { responseId: string; assertionId: string }, o: ResponseOptions, key: SigningKey): string {
  const opts = { algorithm: o.algorithm ?? 'rsa-sha256', c14n: o.c14n ?? 'exclusive', signer: o.signer ?? INDEPENDENT_SIGNER } as const;
  let out = o.edit ? o.edit(xml) : xml;
  if (o.sign === 'assertion' || o.sign === 'both') out = signElement(out, ids.assertionId, opts, key);
  if (o.sign === 'response' || o.sign === 'both') out = signElement(out, ids.responseId, opts, key);
  return out;
}

interface SignElementOptions {
  algorithm: SignAlgorithm;
  c14n: C14n;
  signer: Signer;
}

/** Puts an enveloped signature of the element with this ID right after its Issuer (where the SAML schema wants it). */
export function signElement(xml: string, id: string, opts: SignElementOptions, key: SigningKey): string {
  return opts.signer === 'xmlsec1' ? signWithXmlsec1(xml, id, opts, key) : signWithXmlCrypto(xml, id, opts, key);
}

function signWithXmlCrypto(xml: string, id: string, opts: SignElementOptions, key: SigningKey): string {
  const target = `//*[@ID='${id}']`;
  const signer = new SignedXml({
    privateKey: key.privateKeyPem,
    publicCert: key.certificatePem,
    signatureAlgorithm: SIGNATURE_METHOD[opts.algorithm],
    canonicalizationAlgorithm: C14N_METHOD[opts.c14n],
  });
  signer.addReference({ xpath: target, transforms: [ENVELOPED, C14N_METHOD[opts.c14n]], digestAlgorithm: DIGEST_METHOD[opts.algorithm] });
  signer.computeSignature(xml, { prefix: 'ds', location: { reference: `${target}/*[local-name(.)='Issuer']`, action: 'after' } });
  return signer.getSignedXml();
}

/** The empty ds:Signature template xmlsec1 fills in. */
function signatureTemplate(id: string, opts: SignElementOptions): string {
  return (
    `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>` +
    `<ds:CanonicalizationMethod Algorithm="${C14N_METHOD[opts.c14n]}"/>` +
    `<ds:SignatureMethod Algorithm="${SIGNATURE_METHOD[opts.algorithm]}"/>` +
    `<ds:Reference URI="#${id}"><ds:Transforms>` +
    `<ds:Transform Algorithm="${ENVELOPED}"/><ds:Transform Algorithm="${C14N_METHOD[opts.c14n]}"/>` +
    `</ds:Transforms><ds:DigestMethod Algorithm="${DIGEST_METHOD[opts.algorithm]}"/><ds:DigestValue/></ds:Reference>` +
    `</ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>`
  );
}

function signWithXmlsec1(xml: string, id: string, opts: SignElementOptions, key: SigningKey): string {
  const start = xml.indexOf(`ID="${id}"`);
  if (start < 0) throw new Error(`no element with ID ${id}`);
  const issuerEnd = /<\/(?:[\w-]+:)?Issuer>/g;
  issuerEnd.lastIndex = start;
  const match = issuerEnd.exec(xml);
  if (!match) throw new Error(`the element ${id} has no Issuer`);
  const at = match.index + match[0].length;
  const template = xml.slice(0, at) + signatureTemplate(id, opts) + xml.slice(at);
  return withTempDir((dir) => {
    const files = { key: join(dir, 'key.pem'), cert: join(dir, 'cert.pem'), input: join(dir, 'in.xml'), output: join(dir, 'out.xml') };
    writeFileSync(files.key, key.privateKeyPem);
    writeFileSync(files.cert, key.certificatePem);
    writeFileSync(files.input, template);
    runTool('xmlsec1', [
      '--sign',
      '--privkey-pem',
      `${files.key},${files.cert}`,
      '--id-attr:ID',
      `${SAML}:Assertion`,
      '--id-attr:ID',
      `${SAMLP}:Response`,
      // With two templates in the document, sign the one that is the ID'd element's own child.
      '--node-xpath',
      `//*[@ID='${id}']/*[local-name()='Signature']`,
      '--output',
      files.output,
      files.input,
    ]);
    return readFileSync(files.output, 'utf8');
  });
}

/** base64 of the XML, as the HTTP-POST binding's SAMLResponse field. */
export function encodeResponse(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}

/** The XML inside a SAMLResponse value. */
export function decodeResponse(encoded: string): string {
  return Buffer.from(encoded, 'base64').toString('utf8');
}

/** xmlsec1's verdict on the one signature selected by `signatureXpath`, checked with `certificatePem` only. */
export function verifiesWithXmlsec1(xml: string, certificatePem: string, signatureXpath: string): boolean {
  return withTempDir((dir) => {
    const cert = join(dir, 'cert.pem');
    const input = join(dir, 'in.xml');
    writeFileSync(cert, certificatePem);
    writeFileSync(input, xml);
    try {
      runTool('xmlsec1', ['--verify', '--pubkey-cert-pem', cert, '--id-attr:ID', `${SAML}:Assertion`, '--id-attr:ID', `${SAMLP}:Response`, '--node-xpath', signatureXpath, input]);
      return true;
    } catch {
      return false;
    }
  });
}
