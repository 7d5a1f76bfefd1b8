/**
 * The SAML 2.0 library of the emulator: pure functions (no store, no HTTP, no
 * wall clock) that the Identity Center SAML actions and the /saml/sp routes
 * build on. Error classes map to API codes as follows:
 *   MetadataDecodeError     -> FailedOperation.DecodeMetadataDocumentFailed
 *   MetadataXmlError        -> FailedOperation.XMLDataUnmarshalFailed
 *   MetadataContentError    -> (no documented code; the caller picks one)
 *   CertificateFormatError  -> InvalidParameterValue.X509CertificateFormatError
 *   CertificateParseError   -> FailedOperation.X509CertificateParsingFailed
 *   SamlCheckError          -> HTTP 403 at the ACS, `check` names the failed rule
 */
export { buildAuthnRequestRedirectUrl, buildAuthnRequestXml, samlInstant, type AuthnRequestInput } from './authn-request.js';
export { CertificateFormatError, CertificateParseError, inspectCertificate, toCertificatePem, type CertificateFacts } from './certificates.js';
export { MetadataContentError, MetadataDecodeError, MetadataXmlError, decodeMetadataDocument, parseIdpMetadata, type IdpMetadata } from './idp-metadata.js';
export { SP_NAME_ID_FORMATS, buildSpMetadata, type SpMetadataInput } from './sp-metadata.js';
export {
  DEFAULT_CLOCK_SKEW_SECONDS,
  SamlCheckError,
  verifySamlResponse,
  type SamlCheck,
  type SamlExpectations,
  type VerifiedAssertion,
} from './verify-response.js';
