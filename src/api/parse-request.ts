import { ApiError, type Language } from '../errors/api-error.js';
import { unflatten, type FlatValue, type Nested } from './unflatten.js';

/** The raw material of a request, independent of the HTTP framework. */
export interface RawRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The query string exactly as received, without `?`. */
  rawQuery: string;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export type Credentials =
  | { kind: 'tc3'; authorization: string }
  | { kind: 'skip' }
  | { kind: 'v1'; secretId: string; signature: string; signatureMethod: string; signedParams: Record<string, string> }
  | { kind: 'none' };

export interface ParsedRequest {
  style: 'tc3' | 'v1';
  action: string | undefined;
  version: string | undefined;
  region: string | undefined;
  language: Language;
  timestamp: string | undefined;
  credentials: Credentials;
  /** The action's own parameters (common parameters removed). */
  params: Record<string, unknown>;
  /** True when params came from a query string or form: every leaf is a string to coerce. */
  paramsAreStrings: boolean;
  traceId: string | undefined;
}

/** v1 common parameters: signed, but not part of any action's schema. */
const V1_COMMON = new Set([
  'Action',
  'Version',
  'Region',
  'Timestamp',
  'Nonce',
  'SecretId',
  'Signature',
  'SignatureMethod',
  'Token',
  'Language',
  'RequestClient',
]);

export function languageOf(value: string | undefined): Language {
  return value?.toLowerCase() === 'zh-cn' ? 'zh-CN' : 'en-US';
}

export function mediaType(headers: RawRequest['headers']): string {
  const value = headers['content-type'];
  // What every SDK sends: skip the split and the copies.
  if (value === 'application/json') return value;
  return (value ?? '').split(';')[0]!.trim().toLowerCase();
}

/** API 3.0 requests name their action in a header; everything else is the v1 protocol. */
export function isTc3Style(headers: RawRequest['headers']): boolean {
  return headers['x-tc-action'] !== undefined;
}

function parseQueryLike(text: string): Record<string, FlatValue> {
  const out: Record<string, FlatValue> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const previous = out[key];
    if (previous === undefined) out[key] = value;
    else out[key] = Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return out;
}

function single(value: FlatValue | undefined): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

function parseJsonBody(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // The engine's own text is English: pass on only where it stopped.
    const position = /position (\d+)/.exec((error as Error).message)?.[1] ?? String(text.length);
    throw new ApiError('malformedJson', { position });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ApiError('bodyNotObject');
  return parsed as Record<string, unknown>;
}

function parseTc3(raw: RawRequest): ParsedRequest {
  const h = raw.headers;
  let params: Record<string, unknown>;
  let paramsAreStrings = false;
  const type = mediaType(h);
  if (raw.method === 'GET') {
    params = unflatten(parseQueryLike(raw.rawQuery));
    paramsAreStrings = true;
  } else if (type === 'application/json' || (type === '' && raw.body.length === 0)) {
    params = parseJsonBody(raw.body);
  } else if (type === 'application/x-www-form-urlencoded') {
    params = unflatten(parseQueryLike(raw.body.toString('utf8')));
    paramsAreStrings = true;
  } else {
    throw new ApiError('unsupportedContentType', { contentType: type || '(none)' });
  }
  const authorization = h.authorization;
  const credentials: Credentials =
    authorization === undefined || authorization.trim() === ''
      ? { kind: 'none' }
      : authorization.trim() === 'SKIP'
        ? { kind: 'skip' }
        : { kind: 'tc3', authorization };
  return {
    style: 'tc3',
    action: h['x-tc-action'] || undefined,
    version: h['x-tc-version'] || undefined,
    region: h['x-tc-region'] || undefined,
    language: languageOf(h['x-tc-language']),
    timestamp: h['x-tc-timestamp'],
    credentials,
    params,
    paramsAreStrings,
    traceId: h['x-tc-traceid'],
  };
}

function parseV1(raw: RawRequest): ParsedRequest {
  let flat: Record<string, FlatValue>;
  if (raw.method === 'GET') {
    flat = parseQueryLike(raw.rawQuery);
  } else {
    const type = mediaType(raw.headers);
    if (type !== 'application/x-www-form-urlencoded' && !(type === '' && raw.body.length === 0)) {
      throw new ApiError('unsupportedContentType', { contentType: type || '(none)' });
    }
    flat = parseQueryLike(raw.body.toString('utf8'));
  }
  const signedParams: Record<string, string> = {};
  const own: Record<string, FlatValue> = {};
  for (const [key, value] of Object.entries(flat)) {
    if (key !== 'Signature') signedParams[key] = single(value) ?? '';
    if (!V1_COMMON.has(key)) own[key] = value;
  }
  const secretId = single(flat.SecretId);
  const signature = single(flat.Signature);
  const credentials: Credentials =
    secretId && signature
      ? { kind: 'v1', secretId, signature, signatureMethod: single(flat.SignatureMethod) ?? 'HmacSHA1', signedParams }
      : { kind: 'none' };
  const language = languageOf(single(flat.Language));
  let params: Record<string, Nested>;
  try {
    params = unflatten(own) as Record<string, Nested>;
  } catch (error) {
    // The parameters did not parse, but `Language` did: answer in it.
    if (error instanceof ApiError) error.language ??= language;
    throw error;
  }
  return {
    style: 'v1',
    action: single(flat.Action) || undefined,
    version: single(flat.Version) || undefined,
    region: single(flat.Region) || undefined,
    language,
    timestamp: single(flat.Timestamp),
    credentials,
    params,
    paramsAreStrings: true,
    traceId: raw.headers['x-tc-traceid'],
  };
}

export function parseRequest(raw: RawRequest): ParsedRequest {
  return isTc3Style(raw.headers) ? parseTc3(raw) : parseV1(raw);
}
