import type { ServerResponse } from 'node:http';
import { ApiError, type Language } from '../errors/api-error.js';
import { endWithText } from '../http/end-with-text.js';
import { memberText, stringify } from './json-fragments.js';

export interface ErrorBody {
  Response: { Error: { Code: string; Message: string }; RequestId: string };
}

export function successBody(result: object, requestId: string): { Response: Record<string, unknown> } {
  return { Response: { ...result, RequestId: requestId } };
}

/**
 * The JSON text of `successBody(result, requestId)`, made without copying the
 * result into a new envelope: the result's own text, with RequestId as its
 * last member. Handlers never return a RequestId; if one did, the envelope's
 * would replace it in place, as in successBody.
 */
export function successText(result: object, requestId: string): string {
  // Two levels below the envelope and Response: what stringify(successBody(…)) would look through.
  const inner = Object.hasOwn(result, 'RequestId') ? undefined : memberText(result, 2);
  if (inner === undefined) return stringify(successBody(result, requestId))!;
  return `{"Response":{${inner}${inner === '' ? '' : ','}"RequestId":${JSON.stringify(requestId)}}}`;
}

export function errorBody(error: ApiError, language: Language, requestId: string): ErrorBody {
  return { Response: { Error: { Code: error.code, Message: error.localizedMessage(language) }, RequestId: requestId } };
}

/**
 * Writes an API response (its JSON text: successText, or an errorBody
 * serialised) by hand: exactly `Content-Type: application/json` (Express
 * would append `; charset=utf-8`, and the official Python SDK then mistakes
 * an error envelope for a success) and always HTTP 200, because the SDKs
 * treat any other status as a transport failure.
 *
 * The body goes out as text (see endWithText).
 */
export function writeJsonText(res: ServerResponse, payload: string, extraHeaders: Record<string, string> = {}, status = 200): void {
  res.writeHead(status, {
    ...extraHeaders,
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(payload, 'utf8')),
  });
  endWithText(res, payload);
}
