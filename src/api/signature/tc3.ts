// TC3-HMAC-SHA256 verification for the Tencent Cloud API 3.0.
//
// The server side has to reproduce what each official client signed, and the
// clients disagree in small ways (see the notes on `verifyTc3`), so this module
// rebuilds the canonical request from what the client *declared* (Authorization
// header) and *sent* (headers, raw query, raw body) instead of from what a
// client ought to have sent.
import { createHmac, hash, timingSafeEqual } from 'node:crypto';

export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';

/** Outcome shared by `verifyTc3` and `verifyV1`, so the caller maps reasons to API errors in one place. */
export type VerifyResult =
  | { ok: true }
  | { ok: false; reason: VerifyFailureReason };

/**
 * - `bad-signature`: well-formed request whose signature does not match (wrong key, tampered data).
 * - `unsupported-method`: v1 `SignatureMethod` other than HmacSHA1 / HmacSHA256.
 * - `malformed`: a part the signature depends on is missing or unusable.
 */
export type VerifyFailureReason = 'bad-signature' | 'unsupported-method' | 'malformed' | 'scope-date';

export interface Tc3Authorization {
  algorithm: typeof TC3_ALGORITHM;
  secretId: string;
  /** `YYYY-MM-DD` exactly as in the credential scope. */
  date: string;
  /** Service as the client put it in the scope (`organization`, but also `127` or `localhost:9000` for SDKs pointed at an emulator). */
  service: string;
  /** `<date>/<service>/tc3_request`. */
  credentialScope: string;
  /** The SignedHeaders value exactly as sent: it is itself part of the canonical request. */
  signedHeadersRaw: string;
  /** Lower-cased header names, in the client's order. */
  signedHeaders: readonly string[];
  /** Hex signature as sent (not case-normalised). */
  signature: string;
}

/** Header map as Node's `IncomingMessage.headers` gives it: lower-cased names. */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface Tc3VerifyInput {
  /** HTTP method as received ('GET', 'POST', ...). */
  method: string;
  /** Request path; '/' for every API 3.0 call. */
  canonicalUri: string;
  /** Query string exactly as received, without the leading '?'. Only signed for GET. */
  rawQueryString: string;
  /** Lower-cased header names → values exactly as received. */
  headers: RequestHeaders;
  /** Raw request body bytes (empty for GET). */
  body: Uint8Array;
  authorization: Tc3Authorization;
  /** X-TC-Timestamp exactly as received. */
  timestamp: string | number;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HEX_RE = /^[0-9a-fA-F]+$/;
// RFC 7230 token characters (what a header name may be made of), `;`-separated.
const SIGNED_HEADERS_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?:;[!#$%&'*+\-.^_`|~0-9A-Za-z]+)*$/;
const WHITESPACE_RE = /\s/;

/**
 * Parses `TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request, SignedHeaders=a;b, Signature=<hex>`.
 * Returns null for anything that is not exactly that shape, so the caller can
 * answer with an authorization-format error before doing any crypto.
 */
export function parseTc3Authorization(header: string): Tc3Authorization | null {
  const trimmed = header.trim();
  // The algorithm, then whitespace: the same as "the text before the first whitespace is the algorithm".
  if (!trimmed.startsWith(TC3_ALGORITHM) || !WHITESPACE_RE.test(trimmed.charAt(TC3_ALGORITHM.length))) return null;

  let credential: string | undefined;
  let signedHeadersRaw: string | undefined;
  let signature: string | undefined;
  // SDKs send ", " between fields; hand-written clients sometimes omit the space or add more.
  for (const part of trimmed.slice(TC3_ALGORITHM.length).split(',')) {
    const item = part.trim();
    const eq = item.indexOf('=');
    if (eq <= 0) return null;
    const key = item.slice(0, eq);
    const value = item.slice(eq + 1);
    if (key === 'Credential' && credential === undefined) credential = value;
    else if (key === 'SignedHeaders' && signedHeadersRaw === undefined) signedHeadersRaw = value;
    else if (key === 'Signature' && signature === undefined) signature = value;
    else return null; // an unknown field, or one given twice
  }
  if (credential === undefined || signedHeadersRaw === undefined || signature === undefined) return null;

  const scope = credential.split('/');
  if (scope.length !== 4) return null;
  const [secretId, date, service, terminator] = scope as [string, string, string, string];
  if (secretId === '' || service === '' || terminator !== 'tc3_request') return null;
  if (!isCalendarDate(date)) return null;

  if (!SIGNED_HEADERS_RE.test(signedHeadersRaw)) return null;
  if (!HEX_RE.test(signature)) return null;

  return {
    algorithm: TC3_ALGORITHM,
    secretId,
    date,
    service,
    credentialScope: `${date}/${service}/tc3_request`,
    signedHeadersRaw,
    signedHeaders: signedHeadersRaw.toLowerCase().split(';'),
    signature,
  };
}

/**
 * Verifies a TC3 signature against `secretKey`.
 *
 * The canonical request is built from the headers listed in SignedHeaders. Two
 * of its inputs are ambiguous across clients, so a small set of candidates is
 * tried (each with a constant-time comparison); none of them lets a signature
 * made with another key, body, query or timestamp through:
 * - header values: the API documentation (and the doc-derived hand-written
 *   signers that sign `x-tc-action:<lower-cased action>`) lower-case them,
 *   while the SDKs sign them verbatim; values are tried lower-cased first,
 *   then as sent when that differs.
 * - host: the Python/Go SDKs and tccli sign the Host header as sent (with
 *   the port), but the Node SDK signs `URL.hostname` (no port) while sending
 *   `URL.host` (with the port); so when Host carries a port, the port-less
 *   form is tried as well.
 */
export function verifyTc3(input: Tc3VerifyInput, secretKey: string): VerifyResult {
  const auth = input.authorization;
  const timestamp = String(input.timestamp).trim();
  if (timestamp === '') return { ok: false, reason: 'malformed' };
  // The scope's date is the UTC date of X-TC-Timestamp; a signature over another day's key is refused, as the real service does.
  const seconds = Number(timestamp);
  if (!Number.isSafeInteger(seconds) || new Date(seconds * 1000).toISOString().slice(0, 10) !== auth.date) {
    return { ok: false, reason: 'scope-date' };
  }

  const method = input.method.toUpperCase();
  // Python/Go/docs use "" for POST; the Node SDK uses the URL's (always empty) query.
  const query = method === 'GET' ? input.rawQueryString : '';
  const payloadHash = isUnsignedPayload(input.headers)
    ? // Python/Go SDKs hash the marker itself rather than using it verbatim (unlike AWS SigV4).
      sha256Hex('UNSIGNED-PAYLOAD')
    : sha256Hex(input.body);

  const values: string[] = [];
  for (const name of auth.signedHeaders) {
    const value = headerValue(input.headers, name);
    if (value === undefined) return { ok: false, reason: 'malformed' };
    values.push(value);
  }

  const signingKey = deriveSigningKey(secretKey, auth.date, auth.service);
  // A hex SHA-256 HMAC is 64 characters; any other length cannot match, so there is nothing to compare.
  const provided = auth.signature.length === 64 ? Buffer.from(auth.signature, 'hex') : null;
  const head = `${method}\n${input.canonicalUri}\n${query}\n`;
  const tail = `${auth.signedHeadersRaw}\n${payloadHash}`;
  const scope = `${TC3_ALGORITHM}\n${timestamp}\n${auth.credentialScope}\n`;
  for (const canonicalHeaders of canonicalHeaderCandidates(auth.signedHeaders, values)) {
    const stringToSign = scope + sha256Hex(`${head}${canonicalHeaders}\n${tail}`);
    const expected = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest();
    // Stopping at a match tells the caller only what the answer says anyway (the signature is good);
    // a bad signature still costs every candidate, and each comparison is constant-time.
    if (provided !== null && timingSafeEqual(expected, provided)) return { ok: true };
  }
  return { ok: false, reason: 'bad-signature' };
}

/** Equal-length constant-time comparison of two ASCII strings; unequal lengths are simply unequal. */
export function safeEqualText(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/**
 * Derived keys, by secret key, date and service: a client signs every request
 * of a day with the same one, and deriving it costs three HMACs per request.
 */
const signingKeys = new Map<string, Buffer>();
/** A day's keys for a handful of accounts and service spellings; past this the cache starts over. */
const MAX_SIGNING_KEYS = 256;

function deriveSigningKey(secretKey: string, date: string, service: string): Buffer {
  // Length-prefixed, so no two different triples can spell the same key.
  const cacheKey = `${date.length}:${date}${service.length}:${service}${secretKey}`;
  const cached = signingKeys.get(cacheKey);
  if (cached) return cached;
  const kDate = createHmac('sha256', `TC3${secretKey}`).update(date, 'utf8').digest();
  const kService = createHmac('sha256', kDate).update(service, 'utf8').digest();
  const key = createHmac('sha256', kService).update('tc3_request', 'utf8').digest();
  if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.clear();
  signingKeys.set(cacheKey, key);
  return key;
}

/**
 * The distinct canonical-header blocks worth trying (see `verifyTc3`): at most
 * four, usually one or two, made one at a time since the first usually matches.
 */
function* canonicalHeaderCandidates(names: readonly string[], values: readonly string[]): Generator<string> {
  const hostIndex = names.indexOf('host');
  const hostVariants: (string | undefined)[] = [undefined];
  if (hostIndex >= 0) {
    const portless = stripPort(values[hostIndex] ?? '');
    if (portless !== undefined) hostVariants.push(portless);
  }
  const candidates: string[] = [];
  for (const lower of [true, false]) {
    for (const host of hostVariants) {
      let text = '';
      for (let i = 0; i < names.length; i += 1) {
        const raw = i === hostIndex && host !== undefined ? host : (values[i] ?? '');
        text += `${names[i]}:${lower ? raw.toLowerCase() : raw}\n`;
      }
      if (candidates.includes(text)) continue;
      candidates.push(text);
      yield text;
    }
  }
}

/** `127.0.0.1:9000` → `127.0.0.1`, `[::1]:9000` → `[::1]`; undefined when there is no port. */
function stripPort(host: string): string | undefined {
  const match = /^(.+):\d+$/.exec(host);
  if (!match) return undefined;
  const name = match[1] as string;
  // An unbracketed IPv6 literal has colons of its own: its tail is not a port.
  if (name.includes(':') && !name.startsWith('[')) return undefined;
  return name;
}

function headerValue(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  // Repeated headers are combined the way HTTP defines it; SDKs never repeat signed headers.
  const text = typeof value === 'string' ? value : value.join(',');
  return text.trim();
}

function isUnsignedPayload(headers: RequestHeaders): boolean {
  return headerValue(headers, 'x-tc-content-sha256') === 'UNSIGNED-PAYLOAD';
}

/** One-shot crypto.hash: no Hash object per call, which showed in profiles of strict mode. */
function sha256Hex(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex');
}

/** The last date that passed: clients sign a whole day's requests with the same one. */
let lastCalendarDate = '';

function isCalendarDate(text: string): boolean {
  if (text === lastCalendarDate) return true;
  if (!isCalendarDateUncached(text)) return false;
  lastCalendarDate = text;
  return true;
}

function isCalendarDateUncached(text: string): boolean {
  const match = DATE_RE.exec(text);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  // Rejects 2024-02-30 and friends, which the regex alone would accept.
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
