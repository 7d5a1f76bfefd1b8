import type { ServerResponse } from 'node:http';
import { ApiError, type Language } from '../errors/api-error.js';
import { sendText } from '../http/send-text.js';
import { TextPieces } from '../http/text-pieces.js';
import { stringify, writeMemberText } from './json-fragments.js';

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
export function successText(result: object, requestId: string): string | TextPieces {
  const out = new TextPieces();
  out.add('{"Response":{');
  // Two levels below the envelope and Response: what stringify(successBody(…)) would look through.
  const members = Object.hasOwn(result, 'RequestId') ? null : writeMemberText(result, 2, out);
  if (members === null) return stringify(successBody(result, requestId))!;
  out.add(`${members ? ',' : ''}"RequestId":${JSON.stringify(requestId)}}}`);
  return out;
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
 */
export function writeJsonText(res: ServerResponse, payload: string | TextPieces, extraHeaders: Record<string, string> = {}, status = 200): void {
  sendText(res, status, { ...extraHeaders, 'Content-Type': 'application/json' }, payload);
}
