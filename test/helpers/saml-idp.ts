/**
 * A SAML identity provider made at test time: its own RSA key and self-signed
 * certificate (made by the openssl CLI, an implementation independent of the
 * node:crypto parsing under test), metadata shaped like Okta's, OneLogin's and
 * Entra ID's exports, and (below) signed SAML responses.
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { runTool, withTempDir } from './cli-tools.js';
import { bareBase64, entraMetadata, oktaMetadata, oneLoginMetadata } from './saml-metadata-shapes.js';
import { buildResponseXml, encodeResponse, signResponseXml, type ResponseOptions } from './saml-responses.js';

export { HAVE_XMLSEC1, runTool, withTempDir } from './cli-tools.js';
export {
  INDEPENDENT_SIGNER,
  SIGNERS,
  decodeResponse,
  encodeResponse,
  samlId,
  verifiesWithXmlsec1,
  type ResponseOptions,
  type Signer,
} from './saml-responses.js';
export { tamperNameId, wrapResponse, type WrapVariant } from './saml-attacks.js';

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
