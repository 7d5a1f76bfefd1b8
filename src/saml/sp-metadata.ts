/**
 * The service provider metadata an IdP is configured with
 * (GetZoneSAMLServiceProviderInfo's EncodedMetadataDocument): who we are and
 * where to POST responses.
 */
import { BINDING, NS, escapeXml } from './xml.js';

/** What an SP metadata document says about this emulator's zone. */
export interface SpMetadataInput {
  /** Our entity ID: the Audience the IdP must put in its assertions. */
  entityId: string;
  /** The AssertionConsumerService URL (HTTP-POST binding). */
  acsUrl: string;
  /** Advertised as WantAssertionsSigned; default true (a signed Response also satisfies the emulator). */
  wantAssertionsSigned?: boolean;
}

/** NameID formats the emulator maps to users, in the order IdPs show them. */
export const SP_NAME_ID_FORMATS = [
  'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
] as const;

/** Builds a SAML 2.0 SP EntityDescriptor; values are XML-escaped, so any URL is safe to pass. */
export function buildSpMetadata(input: SpMetadataInput): string {
  const wantSigned = input.wantAssertionsSigned ?? true;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<md:EntityDescriptor xmlns:md="${NS.md}" entityID="${escapeXml(input.entityId)}">`,
    `  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="${wantSigned}" protocolSupportEnumeration="${NS.samlp}">`,
    ...SP_NAME_ID_FORMATS.map((format) => `    <md:NameIDFormat>${format}</md:NameIDFormat>`),
    `    <md:AssertionConsumerService Binding="${BINDING.post}" Location="${escapeXml(input.acsUrl)}" index="0" isDefault="true"/>`,
    '  </md:SPSSODescriptor>',
    '</md:EntityDescriptor>',
    '',
  ].join('\n');
}
