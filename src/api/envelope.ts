import type { ServerResponse } from 'node:http';
import { ApiError, type Language } from '../errors/api-error.js';

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
 */
export function writeJson(
  res: ServerResponse,
  body: unknown,
  extraHeaders: Record<string, string> = {},
  status = 200,
): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    ...extraHeaders,
    'Content-Type': 'application/json',
    'Content-Length': String(payload.length),
  });
  res.end(payload);
}
