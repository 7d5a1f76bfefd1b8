/**
 * Reads an IdP signing certificate into the facts Identity Center lists
 * (ListExternalSAMLIdPCertificates), from PEM or from the bare base64 that IdP
 * metadata carries. node:crypto's X509Certificate does the parsing; the few
 * fields it does not expose are read from the DER (see der.ts).
 */
import { X509Certificate, createHash } from 'node:crypto';

import { decodeStrictBase64 } from './base64.js';
import { DerError, TAG, decodeInteger, decodeOid, decodeString, decodeTime, derChildren, expectTag, readDer, type DerValue } from './der.js';

/** What the emulator stores and shows about one certificate. */
export interface CertificateFacts {
  /** Normalised PEM: one BEGIN/END CERTIFICATE block, 64-column base64 lines, trailing newline. */
  pem: string;
  /** The bare base64 DER body (no header, no line breaks), as metadata and API members carry it. */
  base64: string;
  /** SHA-256 of the DER, lowercase hex: the identity used to refuse duplicates. */
  fingerprintSha256: string;
  /** Serial number in decimal, as the real service prints it (Java BigInteger style). */
  serialNumber: string;
  /** Serial number in uppercase hex, as `openssl x509 -serial` prints it. */
  serialNumberHex: string;
  /** Issuer DN in RFC 2253 form, most specific first: `CN=okta,OU=SSOProvider,O=Okta`. */
  issuer: string;
  /** Subject DN, same form as `issuer`. */
  subject: string;
  /** X.509 version as people count it: 3 for a v3 certificate. */
  version: number;
  /** JCA-style name such as `SHA256withRSA` (the real service's style), or the dotted OID when unknown. */
  signatureAlgorithm: string;
  /** The signature algorithm's OID, for callers that want the exact value. */
  signatureAlgorithmOid: string;
  /** Start of validity, ISO 8601 UTC. */
  notBefore: string;
  /** End of validity, ISO 8601 UTC. */
  notAfter: string;
  /** The subject public key as SPKI PEM. */
  publicKey: string;
}

/** The input is not certificate text at all (maps to InvalidParameterValue.X509CertificateFormatError). */
export class CertificateFormatError extends Error {
  override readonly name = 'CertificateFormatError';
}

/** The input looks like a certificate but cannot be parsed (maps to FailedOperation.X509CertificateParsingFailed). */
export class CertificateParseError extends Error {
  override readonly name = 'CertificateParseError';
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)(?:-----END \1-----|$)/;

/**
 * Parses a certificate given as PEM (CRLF, indentation and stray whitespace
 * tolerated) or as a bare base64 DER body, and returns its facts.
 * Throws CertificateFormatError or CertificateParseError.
 */
export function inspectCertificate(input: string): CertificateFacts {
  const der = certificateDer(input);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch (error) {
    throw new CertificateParseError(`the certificate cannot be parsed: ${(error as Error).message}`);
  }
  try {
    return factsOf(cert, der);
  } catch (error) {
    if (error instanceof DerError || error instanceof RangeError) {
      throw new CertificateParseError(`the certificate cannot be parsed: ${error.message}`);
    }
    throw error;
  }
}

/** Turns a DER body into normalised PEM (64-column lines), as certificates are stored and shown. */
export function toCertificatePem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function certificateDer(input: string): Buffer {
  if (typeof input !== 'string' || input.trim() === '') throw new CertificateFormatError('the certificate is empty');
  const text = input.trim();
  const blocks = text.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;
  if (blocks > 1) throw new CertificateFormatError(`expected one certificate, found ${blocks} (upload each certificate on its own)`);
  const block = PEM_BLOCK.exec(text);
  if (block) {
    if (block[1] !== 'CERTIFICATE') {
      throw new CertificateFormatError(`expected a CERTIFICATE PEM block, found ${block[1]}`);
    }
    if (!block[0].includes('-----END CERTIFICATE-----')) {
      throw new CertificateParseError('the PEM block has no -----END CERTIFICATE----- line');
    }
    const der = decodeStrictBase64(block[2]!);
    if (!der) throw new CertificateParseError('the PEM body is not valid base64');
    return der;
  }
  const der = decodeStrictBase64(text);
  if (!der) throw new CertificateFormatError('expected a PEM certificate (-----BEGIN CERTIFICATE-----) or its base64 body');
  return der;
}

function factsOf(cert: X509Certificate, der: Buffer): CertificateFacts {
  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
  const certificate = expectTag(readDer(der), TAG.sequence, 'Certificate SEQUENCE');
  // Bytes after the certificate would make the same certificate look new to the fingerprint check.
  if (certificate.encoded.length !== der.length) throw new DerError('unexpected bytes after the certificate');
  const [tbs, signatureAlgorithm] = derChildren(certificate);
  const tbsFields = derChildren(expectTag(tbs, TAG.sequence, 'TBSCertificate SEQUENCE'));
  // version [0] EXPLICIT Version DEFAULT v1: absent means v1 (0).
  let version = 0n;
  if (tbsFields[0]?.tag === TAG.contextExplicit0) {
    version = decodeInteger(expectTag(derChildren(tbsFields.shift()!)[0], TAG.integer, 'Version INTEGER').contents);
  }
  const [serial, , issuer, validity, subject] = tbsFields;
  const [notBefore, notAfter] = derChildren(expectTag(validity, TAG.sequence, 'Validity SEQUENCE'));
  if (!notBefore || !notAfter) throw new DerError('Validity needs notBefore and notAfter');
  const algorithmOid = decodeOid(
    expectTag(derChildren(expectTag(signatureAlgorithm, TAG.sequence, 'AlgorithmIdentifier'))[0], TAG.oid, 'algorithm OID').contents,
  );
  const serialValue = decodeInteger(expectTag(serial, TAG.integer, 'serialNumber INTEGER').contents);
  return {
    pem: toCertificatePem(der),
    base64: der.toString('base64'),
    fingerprintSha256: createHash('sha256').update(der).digest('hex'),
    serialNumber: serialValue.toString(10),
    serialNumberHex: evenHex(serialValue),
    issuer: formatName(expectTag(issuer, TAG.sequence, 'issuer Name')),
    subject: formatName(expectTag(subject, TAG.sequence, 'subject Name')),
    version: Number(version) + 1,
    signatureAlgorithm: SIGNATURE_ALGORITHMS[algorithmOid] ?? algorithmOid,
    signatureAlgorithmOid: algorithmOid,
    notBefore: decodeTime(notBefore).toISOString(),
    notAfter: decodeTime(notAfter).toISOString(),
    publicKey: cert.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Uppercase hex padded to whole bytes, as openssl prints a serial. */
function evenHex(value: bigint): string {
  const hex = value.toString(16).toUpperCase();
  return hex.length % 2 === 0 ? hex : `0${hex}`;
}

/** Java's names (the real service runs on them), by OID. */
const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'MD5withRSA',
  '1.2.840.113549.1.1.5': 'SHA1withRSA',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.113549.1.1.11': 'SHA256withRSA',
  '1.2.840.113549.1.1.12': 'SHA384withRSA',
  '1.2.840.113549.1.1.13': 'SHA512withRSA',
  '1.2.840.113549.1.1.14': 'SHA224withRSA',
  '1.2.840.10045.4.1': 'SHA1withECDSA',
  '1.2.840.10045.4.3.2': 'SHA256withECDSA',
  '1.2.840.10045.4.3.3': 'SHA384withECDSA',
  '1.2.840.10045.4.3.4': 'SHA512withECDSA',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};

/** The attribute keywords RFC 2253 (and Java's X500Principal) print by name; any other type prints as its OID. */
const NAME_KEYWORDS: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
};

/** RFC 2253: RDNs last-to-first joined by ',', multi-valued RDNs by '+', unknown types as OID=#hex of the DER value. */
function formatName(name: DerValue): string {
  return derChildren(name)
    .reverse()
    .map((rdn) =>
      derChildren(expectTag(rdn, TAG.set, 'RelativeDistinguishedName SET'))
        .map((atv) => {
          const [type, value] = derChildren(expectTag(atv, TAG.sequence, 'AttributeTypeAndValue'));
          const oid = decodeOid(expectTag(type, TAG.oid, 'attribute type').contents);
          if (!value) throw new DerError('attribute without a value');
          const keyword = NAME_KEYWORDS[oid];
          const text = keyword ? decodeString(value) : undefined;
          return text === undefined ? `${keyword ?? oid}=#${value.encoded.toString('hex')}` : `${keyword}=${escapeRfc2253(text)}`;
        })
        .join('+'),
    )
    .join(',');
}

function escapeRfc2253(value: string): string {
  return value
    .replace(/[,+"\\<>;]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ');
}
