import { ApiError } from '../../errors/api-error.js';
import {
  CertificateFormatError,
  CertificateParseError,
  MetadataDecodeError,
  MetadataXmlError,
  decodeMetadataDocument,
  inspectCertificate,
  parseIdpMetadata,
  type CertificateFacts,
  type IdpMetadata,
} from '../../saml/index.js';

/** EncodedMetadataDocument -> the XML text (base64 of the XML, or of the URL-encoded XML as the console sends it). */
export function readMetadataDocument(encoded: string): string {
  try {
    return decodeMetadataDocument(encoded);
  } catch (error) {
    if (error instanceof MetadataDecodeError) throw new ApiError('samlMetadataNotBase64', { reason: error.message });
    throw error;
  }
}

/** The identity provider a metadata document describes, or the API error a client should see. */
export function readIdpMetadata(xml: string): IdpMetadata {
  try {
    return parseIdpMetadata(xml);
  } catch (error) {
    if (error instanceof MetadataXmlError) throw new ApiError('samlMetadataNotXml', { reason: error.message });
    // A certificate in the document that is no certificate: the same codes as a certificate parameter.
    if (error instanceof CertificateFormatError || error instanceof CertificateParseError) throw certificateError(error);
    throw new ApiError('samlMetadataNotIdp', { reason: error instanceof Error ? error.message : String(error) });
  }
}

/** A certificate parameter, checked: not certificate text at all, or text that does not parse, are different errors. */
export function readCertificate(input: string): CertificateFacts {
  try {
    return inspectCertificate(input);
  } catch (error) {
    throw certificateError(error);
  }
}

/** Not certificate text at all, or text that does not parse: two different codes. */
function certificateError(error: unknown): ApiError {
  if (error instanceof CertificateFormatError) return new ApiError('x509Format', {});
  return new ApiError('x509Parse', { reason: error instanceof Error ? error.message : String(error) });
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
