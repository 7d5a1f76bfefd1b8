import type { IncomingHttpHeaders } from 'node:http';
import { charsetVerdict, isUnsupportedMediaType } from './scim/content-type.js';

// Which surface answers a request. The API 3.0 is one path and the hot one, so
// it skips Express entirely; /scim/v2, /_emulator and /saml/sp stay on Express routers.
//
// The decision must match what Express's router did when it routed everything
// (app.use('/scim/v2'), app.use('/_emulator')): it matched the pathname that the
// `parseurl` package extracts, case-insensitively, as a whole-segment prefix.
// Request targets that `parseurl` does not take on its fast path (absolute-form
// URLs, `#`, odd whitespace) are left to Express itself, which still falls back
// to the API pipeline, so those rare cases route exactly as before.

const EXPRESS_PREFIX = /^\/(?:scim\/v2|_emulator|saml\/sp)(?:[/?]|$)/i;
// Characters that send `parseurl` down its slow path (see its `fastparse`).
const SLOW_PARSE = /[\t\n\f\r #\u00a0\ufeff]/;

/** True when Express must see the request: a SCIM or control path, or a target only Express parses the same way. */
export function needsExpress(url: string): boolean {
  if (url === '/') return false; // every POST the SDKs send
  if (url.charCodeAt(0) !== 0x2f /* / */) return true;
  return EXPRESS_PREFIX.test(url) || SLOW_PARSE.test(url);
}

// `GET /scim/v2/Users[?query]`, the SCIM read identity providers repeat most
// (a look-up by userName before every push), is answered without Express by
// scim/read-fast-path.ts, with the same steps and answers as the router
// (which matches the path case-insensitively, with or without a trailing slash).
const SCIM_USERS_LIST = /^\/scim\/v2\/users\/?(?:\?|$)/i;

/** True for a request the direct SCIM read path answers; everything else under /scim/v2 stays on Express. */
export function isScimUsersList(method: string | undefined, url: string): boolean {
  return method === 'GET' && SCIM_USERS_LIST.test(url) && !SLOW_PARSE.test(url);
}

/**
 * `POST /scim/v2/Users[?query]` (the same path rules) is answered without
 * Express by scim/write-fast-path.ts, which reads the body as body-parser
 * does, when it can decide the body as body-parser would: no Content-Encoding
 * (body-parser inflates gzip, deflate, br), and a Content-Type that is refused
 * outright (415) or whose charset scim/content-type.ts can judge. The rest
 * stays on Express and its body-parser.
 */
export function isScimUsersCreate(method: string | undefined, url: string, headers: IncomingHttpHeaders): boolean {
  if (method !== 'POST' || !SCIM_USERS_LIST.test(url) || SLOW_PARSE.test(url)) return false;
  if (headers['content-encoding'] !== undefined) return false;
  const contentType = headers['content-type'];
  return isUnsupportedMediaType(contentType) || charsetVerdict(contentType) !== null;
}
