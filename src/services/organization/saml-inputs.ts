import { ApiError } from '../../errors/api-error.js';
import { CertificateFormatError, inspectCertificate, type CertificateFacts } from '../../saml/certificates.js';
import { MetadataXmlError, parseIdpMetadata, type IdpMetadata } from '../../saml/idp-metadata.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64_URL = /^[A-Za-z0-9_-]*={0,2}$/;

/**
 * EncodedMetadataDocument -> the XML text. Base64 of the XML, or (what the
 * real console uploads) base64 of the URL-encoded XML; both are accepted.
 */
export function decodeMetadataDocument(encoded: string): string {
  const compact = encoded.replace(/\s+/g, '');
  if (compact === '') throw new ApiError('samlMetadataNotBase64', { reason: 'it is empty' });
  const alphabet = BASE64.test(compact) ? 'base64' : BASE64_URL.test(compact) ? 'base64url' : null;
  if (alphabet === null || compact.replace(/=+$/, '').length % 4 === 1) {
    throw new ApiError('samlMetadataNotBase64', { reason: 'it contains characters outside the base64 alphabet or has a broken length' });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(compact, alphabet));
  } catch {
    throw new ApiError('samlMetadataNotBase64', { reason: 'the decoded bytes are not UTF-8 text' });
  }
  text = text.replace(/^\uFEFF/, '');
  if (/^\s*%3C/i.test(text)) {
    try {
      text = decodeURIComponent(text.replace(/\+/g, '%20'));
    } catch {
      throw new ApiError('samlMetadataNotBase64', { reason: 'the decoded text looks URL-encoded but is not' });
    }
  }
  return text;
}

/** The identity provider a metadata document describes, or the API error a client should see. */
export function readIdpMetadata(xml: string): IdpMetadata {
  try {
    return parseIdpMetadata(xml);
  } catch (error) {
    if (error instanceof MetadataXmlError) throw new ApiError('samlMetadataNotXml', { reason: error.message });
    throw new ApiError('samlMetadataNotIdp', { reason: error instanceof Error ? error.message : String(error) });
  }
}

/** A certificate parameter, checked: not certificate text at all, or text that does not parse, are different errors. */
export function readCertificate(input: string): CertificateFacts {
  try {
    return inspectCertificate(input);
  } catch (error) {
    if (error instanceof CertificateFormatError) throw new ApiError('x509Format', {});
    throw new ApiError('x509Parse', { reason: error instanceof Error ? error.message : String(error) });
  }
}

/** LoginUrl: where browsers are sent to sign in, so something a browser can open. */
export function checkLoginUrl(value: string): string {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || value.length > 2048) {
    throw new ApiError('samlUrlInvalid', { name: 'LoginUrl', value: value.slice(0, 200) });
  }
  return value;
}

export const MAX_ENTITY_ID_LENGTH = 1024;

/** EntityId is compared exactly with a response's Issuer: any URI, but no control characters. */
export function checkEntityId(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (value.length === 0 || value.length > MAX_ENTITY_ID_LENGTH || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new ApiError('samlEntityIdInvalid', { max: MAX_ENTITY_ID_LENGTH });
  }
  return value;
}
