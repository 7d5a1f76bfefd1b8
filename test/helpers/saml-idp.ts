/**
 * A SAML identity provider made at test time: its own RSA key and self-signed
 * certificate (made by the openssl CLI, an implementation independent of the
 * node:crypto parsing under test), metadata shaped like Okta's, OneLogin's and
 * Entra ID's exports, and (below) signed SAML responses.
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { SignedXml } from 'xml-crypto';

import { runTool, withTempDir } from './cli-tools.js';
import { buildResponseXml, encodeResponse, signResponseXml, type ResponseOptions } from './saml-responses.js';

export { HAVE_XMLSEC1, runTool, withTempDir } from './cli-tools.js';
export {
  INDEPENDENT_SIGNER,
  SIGNERS,
  decodeResponse,
  encodeResponse,
  samlId,
  tamperNameId,
  verifiesWithXmlsec1,
  wrapResponse,
  type ResponseOptions,
  type Signer,
  type WrapVariant,
} from './saml-responses.js';

/** The three IdP export styles the emulator must accept. */
export type IdpShape = 'okta' | 'onelogin' | 'entra';

/** How the test certificate is made. */
export interface TestCertificateOptions {
  /** openssl -subj form, e.g. "/C=US/O=Okta/CN=dev-123456". */
  subject?: string;
  /** Serial number, decimal or 0x-prefixed hex. Default: 8 random bytes. */
  serial?: string;
  /** Validity in days from now. */
  days?: number;
  /** Digest of the certificate's own signature. */
  digest?: 'sha256' | 'sha1';
  /** 1 makes a v1 certificate (no extensions), 3 (default) a v3 one. */
  version?: 1 | 3;
}

/** A key pair and its self-signed certificate, as files' contents. */
export interface TestKeyAndCertificate {
  privateKeyPem: string;
  certificatePem: string;
  /** The certificate's DER as one base64 line, as metadata carries it. */
  certificateBase64: string;
}

/** Makes an RSA-2048 key (node:crypto) and a self-signed certificate for it (openssl CLI). */
export function makeKeyAndCertificate(options: TestCertificateOptions = {}): TestKeyAndCertificate {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const subject = options.subject ?? '/C=US/O=Emulator Test IdP/CN=test-idp';
  const serial = options.serial ?? `0x${randomBytes(8).toString('hex').replace(/^[89a-f]/, '1')}`;
  const days = String(options.days ?? 3650);
  const digest = `-${options.digest ?? 'sha256'}`;
  const certificatePem = withTempDir((dir) => {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    writeFileSync(keyFile, privateKeyPem);
    if (options.version === 1) {
      const csrFile = join(dir, 'req.csr');
      runTool('openssl', ['req', '-new', '-utf8', '-key', keyFile, '-subj', subject, '-out', csrFile]);
      runTool('openssl', ['x509', '-req', '-in', csrFile, '-signkey', keyFile, '-days', days, '-set_serial', serial, digest, '-out', certFile]);
    } else {
      runTool('openssl', ['req', '-x509', '-new', '-utf8', '-key', keyFile, '-subj', subject, '-days', days, '-set_serial', serial, digest, '-out', certFile]);
    }
    return readFileSync(certFile, 'utf8');
  });
  const certificateBase64 = certificatePem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return { privateKeyPem, certificatePem, certificateBase64 };
}

/** `openssl x509 -noout <flags>` on a PEM certificate: the independent reading tests compare with. */
export function opensslX509(certificatePem: string, flags: string[]): string {
  return runTool('openssl', ['x509', '-noout', ...flags], certificatePem);
}

/** Options of TestIdp.create. */
export interface TestIdpOptions {
  /** Whose export style the IdP's entity ID, login URL and metadata follow. Default 'okta'. */
  shape?: IdpShape;
  certificate?: TestCertificateOptions;
}

/** Extra content for metadata(). */
export interface MetadataOptions {
  /** A second signing certificate (PEM), as during a key rollover. */
  nextCertificatePem?: string;
  /** A certificate published with use="encryption": must not be taken for verifying. */
  encryptionCertificatePem?: string;
}

/** A test identity provider: key, certificate, metadata and (further down) responses. */
export class TestIdp implements TestKeyAndCertificate {
  readonly shape: IdpShape;
  readonly privateKeyPem: string;
  readonly certificatePem: string;
  readonly certificateBase64: string;
  /** Random per IdP, so entity IDs and URLs differ between IdPs of one test. */
  readonly tenant: string;

  private constructor(shape: IdpShape, keys: TestKeyAndCertificate) {
    this.shape = shape;
    this.privateKeyPem = keys.privateKeyPem;
    this.certificatePem = keys.certificatePem;
    this.certificateBase64 = keys.certificateBase64;
    this.tenant = randomUUID();
  }

  /** A new IdP with a fresh key pair and certificate (about 0.1 s). */
  static create(options: TestIdpOptions = {}): TestIdp {
    const shape = options.shape ?? 'okta';
    return new TestIdp(shape, makeKeyAndCertificate({ subject: DEFAULT_SUBJECTS[shape], ...options.certificate }));
  }

  /** The IdP's entity ID in the style of `shape` (default: its own). */
  entityId(shape: IdpShape = this.shape): string {
    const appId = `exk${this.tenant.replace(/-/g, '').slice(0, 17)}`;
    switch (shape) {
      case 'okta':
        return `http://www.okta.com/${appId}`;
      case 'onelogin':
        return `https://app.onelogin.com/saml/metadata/${this.tenant}`;
      case 'entra':
        return `https://sts.windows.net/${this.tenant}/`;
    }
  }

  /** The IdP's HTTP-Redirect sign-in URL in the style of `shape`. */
  loginUrl(shape: IdpShape = this.shape): string {
    const appId = `exk${this.tenant.replace(/-/g, '').slice(0, 17)}`;
    switch (shape) {
      case 'okta':
        return `https://dev-123456.okta.com/app/dev-123456_tencentcloud_1/${appId}/sso/saml`;
      case 'onelogin':
        return `https://example.onelogin.com/trust/saml2/http-redirect/sso/${this.tenant}`;
      case 'entra':
        return `https://login.microsoftonline.com/${this.tenant}/saml2`;
    }
  }

  /**
   * A SAML Response from this IdP (base64, as the HTTP-POST binding's SAMLResponse field),
   * in its vendor's namespace style, signed as `options.sign` says.
   */
  response(options: ResponseOptions): string {
    const issuer = options.issuer ?? this.entityId();
    const { xml, responseId, assertionId } = buildResponseXml(this.shape, issuer, options);
    return encodeResponse(signResponseXml(xml, { responseId, assertionId }, options, this));
  }

  /** The IdP's metadata document as that vendor exports it (structure and namespaces, not text, follow the real ones). */
  metadata(shape: IdpShape = this.shape, options: MetadataOptions = {}): string {
    const certs = [this.certificateBase64, ...(options.nextCertificatePem ? [bareBase64(options.nextCertificatePem)] : [])];
    const encryption = options.encryptionCertificatePem ? bareBase64(options.encryptionCertificatePem) : undefined;
    switch (shape) {
      case 'okta':
        return oktaMetadata(this.entityId('okta'), this.loginUrl('okta'), certs, encryption);
      case 'onelogin':
        return oneLoginMetadata(this.entityId('onelogin'), this.loginUrl('onelogin'), certs, encryption);
      case 'entra':
        return entraMetadata(this.entityId('entra'), this.loginUrl('entra'), certs, encryption, this.privateKeyPem);
    }
  }
}

const DEFAULT_SUBJECTS: Record<IdpShape, string> = {
  okta: '/C=US/ST=California/L=San Francisco/O=Okta/OU=SSOProvider/CN=dev-123456/emailAddress=info@okta.com',
  onelogin: '/C=US/ST=Pennsylvania/L=Philadelphia/O=OneLogin/OU=OneLogin IdP/CN=OneLogin Account 123456',
  entra: '/CN=Microsoft Azure Federated SSO Certificate',
};

function bareBase64(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

/** Okta: `md:` prefix, one-line certificate, POST listed before Redirect, no XML declaration encoding quirks. */
function oktaMetadata(entityId: string, loginUrl: string, certs: string[], encryption?: string): string {
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
function oneLoginMetadata(entityId: string, loginUrl: string, certs: string[], encryption?: string): string {
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
function entraMetadata(entityId: string, loginUrl: string, certs: string[], encryption: string | undefined, privateKeyPem: string): string {
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
