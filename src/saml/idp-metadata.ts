/**
 * Reads an identity provider's SAML 2.0 metadata document (what Okta,
 * OneLogin and Entra ID export) into what SetExternalSAMLIdentityProvider
 * keeps: the IdP's entity ID, where to send users to sign in, and the
 * certificates its responses are signed with.
 */
import { decodeStrictBase64 } from './base64.js';
import { inspectCertificate } from './certificates.js';
import { BINDING, NS, XmlSyntaxError, attribute, childElement, childElements, isElement, parseStrictXml, textOf } from './xml.js';
import type { XmlElement } from '@xmldom/xmldom';

/** What the emulator needs from an IdP metadata document. */
export interface IdpMetadata {
  /** The EntityDescriptor's entityID: the Issuer the IdP's responses carry. */
  entityId: string;
  /** SingleSignOnService Location, HTTP-Redirect binding preferred (the SP sends AuthnRequests that way), else HTTP-POST. */
  loginUrl: string;
  /** The binding of `loginUrl`. */
  loginBinding: 'HTTP-Redirect' | 'HTTP-POST';
  /** Normalised PEM of each distinct signing certificate, in document order (two during a key rollover). */
  signingCertificates: string[];
}

/** The text is not well-formed XML, or declares a DOCTYPE (maps to FailedOperation.XMLDataUnmarshalFailed). */
export class MetadataXmlError extends Error {
  override readonly name = 'MetadataXmlError';
}

/** Well-formed XML that is not usable IdP metadata: no IDPSSODescriptor, entityID, login URL or signing certificate. */
export class MetadataContentError extends Error {
  override readonly name = 'MetadataContentError';
}

/** EncodedMetadataDocument is not base64 (maps to FailedOperation.DecodeMetadataDocumentFailed). */
export class MetadataDecodeError extends Error {
  override readonly name = 'MetadataDecodeError';
}

/**
 * Decodes an API EncodedMetadataDocument to XML text. The real service's own
 * documents are base64 of URL-encoded XML (its SP metadata example decodes to
 * "%3C%3Fxml…") while IdP exports are base64 of plain XML: both are accepted.
 */
export function decodeMetadataDocument(encoded: string): string {
  const bytes = typeof encoded === 'string' ? decodeStrictBase64(encoded) : undefined;
  if (!bytes) throw new MetadataDecodeError('EncodedMetadataDocument is not base64');
  let text: string;
  try {
    // fatal: bytes that are not UTF-8 are not a document, and must not reach the XML parser as U+FFFDs.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new MetadataDecodeError('EncodedMetadataDocument decodes to bytes that are not UTF-8 text');
  }
  if (/^\s*%3C/i.test(text)) {
    try {
      return decodeURIComponent(text);
    } catch {
      throw new MetadataDecodeError('EncodedMetadataDocument holds broken URL encoding');
    }
  }
  return text;
}

/**
 * Parses IdP metadata (an EntityDescriptor, or an EntitiesDescriptor holding
 * exactly one IdP). Only the IDPSSODescriptor's KeyDescriptors count: Entra's
 * WS-Federation RoleDescriptors and the document's own ds:Signature are ignored.
 * Throws MetadataXmlError, MetadataContentError, or the certificate errors of
 * certificates.ts when an embedded certificate is unusable.
 */
export function parseIdpMetadata(xml: string): IdpMetadata {
  let root: XmlElement;
  try {
    root = parseStrictXml(xml).documentElement!;
  } catch (error) {
    if (error instanceof XmlSyntaxError) throw new MetadataXmlError(error.message);
    throw error;
  }
  const entity = identityProviderEntity(root);
  const entityId = attribute(entity, 'entityID')?.trim();
  if (!entityId) throw new MetadataContentError('the EntityDescriptor has no entityID');
  const idp = childElement(entity, NS.md, 'IDPSSODescriptor')!;
  return { entityId, ...loginService(idp), signingCertificates: signingCertificates(idp) };
}

function identityProviderEntity(root: XmlElement): XmlElement {
  if (isElement(root, NS.md, 'EntityDescriptor')) {
    if (!childElement(root, NS.md, 'IDPSSODescriptor')) {
      throw new MetadataContentError('the EntityDescriptor has no IDPSSODescriptor: this is not identity provider metadata');
    }
    return root;
  }
  if (isElement(root, NS.md, 'EntitiesDescriptor')) {
    const idps = childElements(root, NS.md, 'EntityDescriptor').filter((e) => childElement(e, NS.md, 'IDPSSODescriptor'));
    if (idps.length === 1) return idps[0]!;
    throw new MetadataContentError(
      idps.length === 0
        ? 'the EntitiesDescriptor holds no EntityDescriptor with an IDPSSODescriptor'
        : `the EntitiesDescriptor holds ${idps.length} identity providers; upload the metadata of one`,
    );
  }
  throw new MetadataContentError(
    `the root element is {${root.namespaceURI ?? ''}}${root.localName ?? root.nodeName}, not a SAML 2.0 metadata EntityDescriptor`,
  );
}

function loginService(idp: XmlElement): Pick<IdpMetadata, 'loginUrl' | 'loginBinding'> {
  const services = childElements(idp, NS.md, 'SingleSignOnService');
  for (const [binding, name] of [
    [BINDING.redirect, 'HTTP-Redirect'],
    [BINDING.post, 'HTTP-POST'],
  ] as const) {
    const location = services.find((s) => attribute(s, 'Binding') === binding && attribute(s, 'Location')?.trim());
    if (location) return { loginUrl: attribute(location, 'Location')!.trim(), loginBinding: name };
  }
  throw new MetadataContentError('the IDPSSODescriptor has no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding');
}

function signingCertificates(idp: XmlElement): string[] {
  const seen = new Set<string>();
  const pems: string[] = [];
  for (const key of childElements(idp, NS.md, 'KeyDescriptor')) {
    // use="signing", or no use at all (the key serves both purposes); use="encryption" is not for verifying.
    const use = attribute(key, 'use');
    if (use !== undefined && use !== 'signing') continue;
    const keyInfo = childElement(key, NS.ds, 'KeyInfo');
    for (const data of keyInfo ? childElements(keyInfo, NS.ds, 'X509Data') : []) {
      for (const certElement of childElements(data, NS.ds, 'X509Certificate')) {
        const facts = inspectCertificate(textOf(certElement));
        if (seen.has(facts.fingerprintSha256)) continue;
        seen.add(facts.fingerprintSha256);
        pems.push(facts.pem);
      }
    }
  }
  if (pems.length === 0) throw new MetadataContentError('the IDPSSODescriptor has no signing certificate (KeyDescriptor/KeyInfo/X509Data/X509Certificate)');
  return pems;
}
