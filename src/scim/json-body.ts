import { ScimError, isJsonObject } from './engine/index.js';
import { MAX_SCIM_BODY_BYTES } from './discovery.js';
import { isUnsupportedMediaType, mediaTypeOf } from './content-type.js';

/**
 * The SCIM answers about a write's body, shared by the router (which reads
 * bodies with body-parser) and the direct write path (read-json-body.ts, which
 * reads them the way body-parser does), so both give the same errors.
 */

export const WRITE_METHODS: readonly string[] = ['POST', 'PUT', 'PATCH'];

/** 415 for a Content-Type that is neither SCIM nor plain JSON (none at all is accepted). */
export function unsupportedMediaType(contentType: string | undefined): ScimError | undefined {
  if (!isUnsupportedMediaType(contentType)) return undefined;
  return new ScimError(415, undefined, `Content-Type ${mediaTypeOf(contentType)} is not supported: use application/scim+json.`);
}

/** A body-parser error (or the direct reader's, which carries the same `type`s) as a SCIM error. */
export function bodyReadError(error: { type?: string; message?: string }): ScimError {
  if (error.type === 'entity.too.large') return new ScimError(413, undefined, `The request body is larger than ${MAX_SCIM_BODY_BYTES} bytes.`);
  if (error.type === 'entity.parse.failed') return new ScimError(400, 'invalidSyntax', `The request body is not valid JSON: ${error.message ?? ''}`);
  return new ScimError(400, 'invalidSyntax', 'The request body could not be read.');
}

/** Every SCIM write carries one JSON object. */
export function requireJsonObject(body: unknown): void {
  if (!isJsonObject(body)) throw new ScimError(400, 'invalidSyntax', 'The request body must be a JSON object.');
}
