// HmacSHA1 / HmacSHA256 ("v1") signature verification for the Tencent Cloud API.
//
// Parameters travel in the query string (GET) or a form-urlencoded body (POST)
// together with `Signature`; the caller hands them over already URL-decoded.
import { createHmac } from 'node:crypto';
import { safeEqualText, type VerifyResult } from './tc3.js';

export type V1SignatureMethod = 'HmacSHA1' | 'HmacSHA256';

export interface V1VerifyInput {
  /** HTTP method as received. */
  method: string;
  /** Host header as received: the SDKs sign their endpoint, port included. */
  host: string;
  /** Request path, normally '/'. */
  path: string;
  /** Every received parameter, URL-decoded, `Signature` included. */
  params: Readonly<Record<string, string>>;
}

const HASH_BY_METHOD: Readonly<Record<V1SignatureMethod, 'sha1' | 'sha256'>> = {
  HmacSHA1: 'sha1',
  HmacSHA256: 'sha256',
};

/**
 * Verifies a v1 signature: base64(HMAC(secretKey, METHOD + host + path + '?' + k=v&...)),
 * over every parameter but `Signature`, keys in byte order, values NOT URL-encoded.
 *
 * Every received parameter is signed, empty values included: the Node and
 * Python SDKs send and sign empty values, and the Go SDK leaves them out of
 * both the wire and the string to sign, so "sign what arrived" fits all three
 * (this is also why Region/Token/Language are signed exactly when present).
 *
 * The Python SDK signs keys with every '_' replaced by '.', while sending the
 * original key; when a key holds '_', that spelling is tried as well.
 */
export function verifyV1(input: V1VerifyInput, secretKey: string): VerifyResult {
  const signature = input.params['Signature'];
  if (signature === undefined || signature === '') return { ok: false, reason: 'malformed' };

  // The SDKs always send SignatureMethod; the API documents HmacSHA1 as the default.
  const declared = input.params['SignatureMethod'] ?? 'HmacSHA1';
  if (!isV1SignatureMethod(declared)) return { ok: false, reason: 'unsupported-method' };
  const hash = HASH_BY_METHOD[declared];

  const entries = Object.entries(input.params).filter(([key]) => key !== 'Signature');
  const variants = [entries];
  if (entries.some(([key]) => key.includes('_'))) {
    // Later keys win on collision, like the dict the Python SDK builds.
    const dotted = new Map(entries.map(([key, value]) => [key.replace(/_/g, '.'), value] as const));
    variants.push([...dotted.entries()]);
  }

  const prefix = `${input.method.toUpperCase()}${input.host}${input.path}?`;
  let matched = false;
  for (const variant of variants) {
    const stringToSign = prefix + canonicalParamString(variant);
    const expected = createHmac(hash, secretKey).update(stringToSign, 'utf8').digest('base64');
    // No early exit, so timing does not tell which variant matched.
    matched = safeEqualText(expected, signature) || matched;
  }
  return matched ? { ok: true } : { ok: false, reason: 'bad-signature' };
}

export function isV1SignatureMethod(value: string): value is V1SignatureMethod {
  return Object.hasOwn(HASH_BY_METHOD, value);
}

/** `k=v` pairs joined by '&', keys in UTF-8 byte order (Go `sort.Strings`; equal to JS/Python order for the ASCII keys the API uses). */
function canonicalParamString(entries: readonly (readonly [string, string])[]): string {
  return [...entries]
    .sort(([a], [b]) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}
