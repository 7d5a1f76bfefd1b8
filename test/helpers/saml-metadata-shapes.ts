/**
 * IdP metadata documents shaped like the real exports of Okta, OneLogin and
 * Microsoft Entra ID: the same elements, namespaces, prefixes and ordering,
 * written for the tests (no vendor text is copied).
 */
import { randomUUID } from 'node:crypto';

import { SignedXml } from 'xml-crypto';

export function bareBase64(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

/** Okta: `md:` prefix, one-line certificate, POST listed before Redirect, no XML declaration encoding quirks. */
export function oktaMetadata(entityId: string, loginUrl: string, certs: string[], encryption?: string): string {
  const keys = certs
    .map((c) => `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="${DS}"><ds:X509Data><ds:X509Certificate>${c}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`)
    .join('');
  const enc = encryption
    ? `<md:KeyDescriptor use="encryption"><ds:KeyInfo xmlns:ds="${DS}"><ds:X509Data><ds:X509Certificate>${encryption}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`
    : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="${MD}" entityID="${entityId}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
    keys +
    enc +
    `<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>` +
    `<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>` +
    `<md:SingleSignOnService Binding="${POST}" Location="${loginUrl}"/>` +
    `<md:SingleSignOnService Binding="${REDIRECT}" Location="${loginUrl}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`
  );
}

/** Wraps base64 at 64 columns with indentation, as OneLogin's pretty-printed export does. */
function wrapped(base64: string, indent: string): string {
  return `\n${(base64.match(/.{1,64}/g) ?? []).map((l) => indent + l).join('\n')}\n${indent.slice(2)}`;
}

/** OneLogin: default namespace, pretty-printed, line-wrapped certificate, logout and SOAP services around the SSO ones. */
export function oneLoginMetadata(entityId: string, loginUrl: string, certs: string[], encryption?: string): string {
  const keyDescriptor = (use: string, c: string) => `
    <KeyDescriptor use="${use}">
      <ds:KeyInfo xmlns:ds="${DS}">
        <ds:X509Data>
          <ds:X509Certificate>${wrapped(c, '            ')}</ds:X509Certificate>
        </ds:X509Data>
      </ds:KeyInfo>
    </KeyDescriptor>`;
  const base = loginUrl.replace('/http-redirect/sso/', '/');
  return `<?xml version="1.0"?>
<EntityDescriptor xmlns="${MD}" entityID="${entityId}">
  <IDPSSODescriptor xmlns:ds="${DS}" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${certs.map((c) => keyDescriptor('signing', c)).join('')}${encryption ? keyDescriptor('encryption', encryption) : ''}
    <SingleLogoutService Binding="${REDIRECT}" Location="${base.replace('/saml2/', '/saml2/http-redirect/slo/')}"/>
    <NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</NameIDFormat>
    <SingleSignOnService Binding="${REDIRECT}" Location="${loginUrl}"/>
    <SingleSignOnService Binding="${POST}" Location="${base.replace('/saml2/', '/saml2/http-post/sso/')}"/>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" Location="${base.replace('/saml2/', '/saml2/soap/sso/')}"/>
  </IDPSSODescriptor>
</EntityDescriptor>
`;
}

/**
 * Entra ID: default namespace, an ID'd EntityDescriptor signed as a whole (ds:Signature first),
 * WS-Federation RoleDescriptors with fed:/xsi: namespaces and their own KeyDescriptors, then the IDPSSODescriptor.
 */
export function entraMetadata(entityId: string, loginUrl: string, certs: string[], encryption: string | undefined, privateKeyPem: string): string {
  const id = `_${randomUUID()}`;
  const tenant = loginUrl.split('/')[3]!;
  const keyDescriptor = (use: string, c: string) =>
    `<KeyDescriptor use="${use}"><KeyInfo xmlns="${DS}"><X509Data><X509Certificate>${c}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>`;
  const keys = certs.map((c) => keyDescriptor('signing', c)).join('');
  const fed = 'http://docs.oasis-open.org/wsfed/federation/200706';
  const roleDescriptor = (type: string, endpoints: string) =>
    `<RoleDescriptor xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:fed="${fed}" xsi:type="fed:${type}" protocolSupportEnumeration="${fed}">${keys}` +
    `<fed:ClaimTypesOffered><auth:ClaimType xmlns:auth="http://docs.oasis-open.org/wsfed/authorization/200706" Uri="http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"><auth:DisplayName>Name</auth:DisplayName><auth:Description>The mutable display name of the user.</auth:Description></auth:ClaimType></fed:ClaimTypesOffered>` +
    endpoints +
    `</RoleDescriptor>`;
  const endpoint = (name: string) =>
    `<fed:${name}><wsa:EndpointReference xmlns:wsa="http://www.w3.org/2005/08/addressing"><wsa:Address>https://login.microsoftonline.com/${tenant}/wsfed</wsa:Address></wsa:EndpointReference></fed:${name}>`;
  const unsigned =
    `<?xml version="1.0" encoding="utf-8"?><EntityDescriptor ID="${id}" entityID="${entityId}" xmlns="${MD}">` +
    roleDescriptor('SecurityTokenServiceType', endpoint('SecurityTokenServiceEndpoint') + endpoint('PassiveRequestorEndpoint')) +
    roleDescriptor('ApplicationServiceType', endpoint('TargetScopes') + endpoint('ApplicationServiceEndpoint') + endpoint('PassiveRequestorEndpoint')) +
    `<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys}` +
    (encryption ? keyDescriptor('encryption', encryption) : '') +
    `<SingleLogoutService Binding="${REDIRECT}" Location="${loginUrl}"/>` +
    `<SingleSignOnService Binding="${REDIRECT}" Location="${loginUrl}"/>` +
    `<SingleSignOnService Binding="${POST}" Location="${loginUrl}"/>` +
    `</IDPSSODescriptor></EntityDescriptor>`;
  const signer = new SignedXml({
    privateKey: privateKeyPem,
    publicCert: `-----BEGIN CERTIFICATE-----\n${certs[0]}\n-----END CERTIFICATE-----`,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  signer.addReference({
    xpath: `/*[local-name()='EntityDescriptor']`,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  signer.computeSignature(unsigned, { location: { reference: `/*[local-name()='EntityDescriptor']`, action: 'prepend' } });
  return signer.getSignedXml();
}
