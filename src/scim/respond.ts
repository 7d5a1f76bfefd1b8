import type { Response } from 'express';
import { ApiError } from '../errors/api-error.js';
import { StoreWriteError } from '../store/errors.js';
import { ScimError, type JsonValue } from './engine/index.js';

export const SCIM_CONTENT_TYPE = 'application/scim+json';

/** Writes a SCIM response: application/scim+json on every answer, errors included. */
export function sendScim(res: Response, status: number, body: JsonValue | object | null, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  if (body === null) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { ...headers, 'Content-Type': SCIM_CONTENT_TYPE, 'Content-Length': String(payload.length) });
  res.end(payload);
}

/**
 * The domain speaks Tencent Cloud error codes; an identity provider needs
 * SCIM statuses and scimTypes. One table-like function translates.
 */
export function scimErrorOf(error: ApiError): ScimError {
  const code = error.code;
  const detail = `${error.localizedMessage('en-US')} (${code})`;
  if (/AlreadyExist/.test(code)) return new ScimError(409, 'uniqueness', detail);
  if (/NotExist|NotFound/.test(code)) return new ScimError(404, undefined, detail);
  if (/LimitExceeded|OverUpperLimit/.test(code)) return new ScimError(400, undefined, detail);
  if (code.startsWith('InvalidParameter') || /FormatError/.test(code)) return new ScimError(400, 'invalidValue', detail);
  if (code === 'InternalError') return new ScimError(500, undefined, detail);
  return new ScimError(400, undefined, detail);
}

export function asScimError(error: unknown): ScimError | undefined {
  if (error instanceof ScimError) return error;
  if (error instanceof ApiError) return scimErrorOf(error);
  if (error instanceof StoreWriteError) return new ScimError(500, undefined, 'The change could not be written to the data file and was not applied.');
  return undefined;
}
