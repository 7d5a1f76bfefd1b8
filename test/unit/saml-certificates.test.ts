/**
 * inspectCertificate reads the facts ListExternalSAMLIdPCertificates shows from
 * PEM or bare base64, and tells "not a certificate" from "a broken certificate".
 * Every fact is checked against what the openssl CLI reads from the same file.
 */
import { X509Certificate } from 'node:crypto';

import { CertificateFormatError, CertificateParseError, inspectCertificate } from '../../src/saml/certificates.js';
import { makeKeyAndCertificate, opensslX509 } from '../helpers/saml-idp.js';

const OKTA_SUBJECT = '/C=US/ST=California/L=San Francisco/O=Okta/OU=SSOProvider/CN=dev-123456';
const okta = makeKeyAndCertificate({ subject: OKTA_SUBJECT, serial: '0x018C2A4F5E6D7B80', digest: 'sha256' });

/** `openssl x509 -noout -<field>` answers `field=value`; this returns the value. */
function openssl(pem: string, ...flags: string[]): string {
  return opensslX509(pem, flags).trim().replace(/^[a-zA-Z]+=/, '');
}

/** openssl prints `Nov 30 06:40:33 2026 GMT`; the facts use ISO instants. */
function opensslDate(pem: string, flag: '-startdate' | '-enddate'): string {
  return new Date(openssl(pem, flag)).toISOString();
}

describe('inspectCertificate: the facts agree with `openssl x509`', () => {
  const facts = inspectCertificate(okta.certificatePem);

  test('serial number: decimal (as the real service prints it) and hex (as openssl prints it)', () => {
    expect(facts.serialNumberHex).toBe(openssl(okta.certificatePem, '-serial'));
    expect(facts.serialNumber).toBe(BigInt('0x018C2A4F5E6D7B80').toString());
    expect(facts.serialNumber).toBe('111510611152436096');
  });

  test('issuer and subject in RFC 2253 form, most specific first, equal to openssl -nameopt RFC2253', () => {
    expect(facts.subject).toBe('CN=dev-123456,OU=SSOProvider,O=Okta,L=San Francisco,ST=California,C=US');
    expect(facts.subject).toBe(openssl(okta.certificatePem, '-subject', '-nameopt', 'RFC2253'));
    expect(facts.issuer).toBe(openssl(okta.certificatePem, '-issuer', '-nameopt', 'RFC2253'));
  });

  test('version 3, the SHA256withRSA signature algorithm, and the validity as ISO instants', () => {
    const text = opensslX509(okta.certificatePem, ['-text']);
    expect(text).toMatch(/Version: 3 \(0x2\)/);
    expect(facts.version).toBe(3);
    expect(text).toMatch(/Signature Algorithm: sha256WithRSAEncryption/);
    expect(facts.signatureAlgorithm).toBe('SHA256withRSA');
    expect(facts.signatureAlgorithmOid).toBe('1.2.840.113549.1.1.11');
    expect(facts.notBefore).toBe(opensslDate(okta.certificatePem, '-startdate'));
    expect(facts.notAfter).toBe(opensslDate(okta.certificatePem, '-enddate'));
  });

  test('the public key is the SPKI PEM openssl extracts, and the fingerprint is the SHA-256 of the DER', () => {
    expect(facts.publicKey).toBe(opensslX509(okta.certificatePem, ['-pubkey']));
    const opensslFingerprint = openssl(okta.certificatePem, '-fingerprint', '-sha256').replace(/^.*=/, '');
    expect(facts.fingerprintSha256).toBe(opensslFingerprint.replace(/:/g, '').toLowerCase());
  });

  test('the normalised PEM has 64-column lines and is the same certificate', () => {
    const lines = facts.pem.trim().split('\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
    expect(lines.at(-1)).toBe('-----END CERTIFICATE-----');
    expect(lines.slice(1, -2).every((l) => l.length === 64)).toBe(true);
    expect(facts.pem).toBe(okta.certificatePem); // openssl writes PEM the same way
    expect(facts.base64).toBe(okta.certificateBase64);
  });

  test('a v1 certificate signed with SHA-1 reads as version 1, SHA1withRSA', () => {
    const v1 = makeKeyAndCertificate({ subject: '/CN=legacy idp', version: 1, digest: 'sha1', serial: '7' });
    expect(opensslX509(v1.certificatePem, ['-text'])).toMatch(/Version: 1 \(0x0\)/);
    const v1Facts = inspectCertificate(v1.certificatePem);
    expect(v1Facts).toMatchObject({ version: 1, signatureAlgorithm: 'SHA1withRSA', serialNumber: '7', subject: 'CN=legacy idp' });
  });

  test('an attribute RFC 2253 has no keyword for (emailAddress, as in Okta certificates) prints as OID=#hex of its DER value', () => {
    const withEmail = makeKeyAndCertificate({ subject: `${OKTA_SUBJECT}/emailAddress=info@okta.com` });
    const ia5 = Buffer.concat([Buffer.from([0x16, 'info@okta.com'.length]), Buffer.from('info@okta.com')]).toString('hex');
    expect(inspectCertificate(withEmail.certificatePem).subject).toBe(
      `1.2.840.113549.1.9.1=#${ia5},CN=dev-123456,OU=SSOProvider,O=Okta,L=San Francisco,ST=California,C=US`,
    );
  });

  test('RFC 2253 special characters in a value are escaped, and UTF-8 text is kept', () => {
    const odd = makeKeyAndCertificate({ subject: '/O=Acme\\, Inc./CN=Zoë <idp>' });
    expect(inspectCertificate(odd.certificatePem).subject).toBe('CN=Zoë \\<idp\\>,O=Acme\\, Inc.');
  });
});

describe('inspectCertificate accepts the ways a certificate is pasted', () => {
  const expected = inspectCertificate(okta.certificatePem);

  test.each([
    ['CRLF line ends', okta.certificatePem.replace(/\n/g, '\r\n')],
    ['indented lines and blank lines around', `\n\n   ${okta.certificatePem.split('\n').join('\n    ')}\n\n`],
    ['the whole body on one line', `-----BEGIN CERTIFICATE-----${okta.certificateBase64}-----END CERTIFICATE-----`],
    ['bare base64 on one line (as in <ds:X509Certificate>)', okta.certificateBase64],
    ['bare base64 wrapped at 76 columns', (okta.certificateBase64.match(/.{1,76}/g) ?? []).join('\n')],
  ])('%s', (_label, input) => {
    expect(inspectCertificate(input)).toEqual(expected);
  });

  test('node:crypto agrees on the public key it reads from the normalised PEM', () => {
    expect(new X509Certificate(expected.pem).publicKey.export({ type: 'spki', format: 'pem' })).toBe(expected.publicKey);
  });
});

describe('inspectCertificate: format errors (not certificate text) differ from parse errors (a broken certificate)', () => {
  test.each([
    ['empty text', ''],
    ['blanks only', '  \n '],
    ['prose', 'this is not a certificate'],
    ['a private key PEM', okta.privateKeyPem],
    ['base64 with characters outside the alphabet', 'MIIB$$$$'],
    ['two certificates (a chain) pasted together', okta.certificatePem + makeKeyAndCertificate().certificatePem],
  ])('CertificateFormatError for %s', (_label, input) => {
    expect(() => inspectCertificate(input)).toThrow(CertificateFormatError);
  });

  test.each([
    ['a PEM whose body lost a line', dropLine(okta.certificatePem, 5)],
    ['a PEM without its END line', okta.certificatePem.replace('-----END CERTIFICATE-----', '')],
    ['a PEM body that is not base64', '-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----'],
    ['valid base64 that is not a certificate', Buffer.from('hello, certificate').toString('base64')],
    ['a certificate with one DER byte changed', flipByte(okta.certificateBase64, 4)],
    ['a certificate followed by extra bytes (would dodge the duplicate check)', Buffer.concat([Buffer.from(okta.certificateBase64, 'base64'), Buffer.from([0, 0, 0])]).toString('base64')],
  ])('CertificateParseError for %s', (_label, input) => {
    expect(() => inspectCertificate(input)).toThrow(CertificateParseError);
  });
});

function flipByte(base64: string, index: number): string {
  const der = Buffer.from(base64, 'base64');
  der[index] = der[index]! ^ 0xff;
  return der.toString('base64');
}

function dropLine(pem: string, index: number): string {
  const lines = pem.split('\n');
  lines.splice(index, 1);
  return lines.join('\n');
}
