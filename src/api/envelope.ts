import type { ServerResponse } from 'node:http';
import { ApiError, type Language } from '../errors/api-error.js';
import { stringify } from './json-fragments.js';

export interface ErrorBody {
  Response: { Error: { Code: string; Message: string }; RequestId: string };
}

export function successBody(result: object, requestId: string): { Response: Record<string, unknown> } {
  return { Response: { ...result, RequestId: requestId } };
}

export function errorBody(error: ApiError, language: Language, requestId: string): ErrorBody {
  return { Response: { Error: { Code: error.code, Message: error.localizedMessage(language) }, RequestId: requestId } };
}

/**
 * Writes an API response by hand: exactly `Content-Type: application/json`
 * (Express would append `; charset=utf-8`, and the official Python SDK then
 * mistakes an error envelope for a success) and always HTTP 200, because the
 * SDKs treat any other status as a transport failure.
 *
 * The body goes out as a string: Node then sends head and body in one write,
 * where a Buffer costs a separate chunk and a writev. Objects whose JSON is
 * remembered (json-fragments.ts) are not serialised again.
 */
export function writeJson(
  res: ServerResponse,
  body: unknown,
  extraHeaders: Record<string, string> = {},
  status = 200,
): void {
  const payload = stringify(body) ?? 'null';
  res.writeHead(status, {
    ...extraHeaders,
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(payload, 'utf8')),
  });
  res.end(payload, 'utf8');
}
