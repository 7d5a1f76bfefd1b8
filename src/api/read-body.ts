import type { IncomingMessage } from 'node:http';
import { ApiError } from '../errors/api-error.js';

export const LIMITS = {
  /** GET: the whole URL. */
  getUrlBytes: 32 * 1024,
  /** v1 (form) POST body. */
  v1BodyBytes: 1024 * 1024,
  /** API 3.0 (TC3) POST body. */
  tc3BodyBytes: 10 * 1024 * 1024,
} as const;

function humanSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${bytes / 1024} KB`;
}

/** Raised once the body passes its limit; the caller answers and closes the connection. */
export class BodyTooLargeError extends ApiError {
  constructor(limit: number, kind: string) {
    super('requestTooLarge', { limit: humanSize(limit), kind });
  }
}

export function checkUrlSize(url: string): void {
  if (Buffer.byteLength(url) > LIMITS.getUrlBytes) throw new BodyTooLargeError(LIMITS.getUrlBytes, 'GET');
}

/**
 * Reads the raw body (the TC3 signature covers its exact bytes), stopping as soon
 * as it passes `limit` rather than buffering whatever a client sends.
 */
export function readBody(req: IncomingMessage, limit: number, kind: string): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(new BodyTooLargeError(limit, kind));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error: Error | null) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      if (error) reject(error);
      // Nearly every API body arrives in one chunk: no need to copy it.
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop reading; keep the socket drained so the error response can still be sent.
        req.resume();
        finish(new BodyTooLargeError(limit, kind));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(null);
    const onError = (error: Error) => finish(error);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
