// How a SCIM write's Content-Type is judged, free of the SCIM engine and of
// Express: route-request.ts reads it at dispatch time (before anything is
// loaded), the router and the direct write path when they answer.

/** The media types a SCIM write may carry; none (no header) is accepted too. */
export const JSON_TYPES: readonly string[] = ['application/scim+json', 'application/json'];

/** The media type as the router has always compared it: before any `;`, trimmed, lower case ('' when none). */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** True when the router refuses the Content-Type with 415 before reading anything. */
export function isUnsupportedMediaType(contentType: string | undefined): boolean {
  const type = mediaTypeOf(contentType);
  return type !== '' && !JSON_TYPES.includes(type);
}

/**
 * One parameter, `charset=<token>`, as the `content-type` package that
 * body-parser uses would read it (blanks around `;` and `=`). Anything richer
 * (quoted values, more parameters, a stray `;`) is left to Express.
 */
const ONE_CHARSET_TOKEN = /^[^;]*;[ \t]*charset[ \t]*=[ \t]*([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*$/i;

/**
 * How body-parser's JSON parser (charset defaults to utf-8; it refuses any
 * charset not starting with `utf-`) would treat this Content-Type's charset:
 * 'utf-8' to decode as UTF-8, 'refused' for a charset it refuses, null when
 * only body-parser itself can tell (utf-16, utf-7... decoded by iconv-lite,
 * or parameters this check does not read).
 */
export function charsetVerdict(contentType: string | undefined): 'utf-8' | 'refused' | null {
  // body-parser reads no charset from an absent or empty header.
  if (contentType === undefined || !contentType.includes(';')) return 'utf-8';
  const match = ONE_CHARSET_TOKEN.exec(contentType);
  if (!match) return null;
  const charset = match[1]!.toLowerCase();
  if (charset === 'utf-8') return 'utf-8';
  return charset.startsWith('utf-') ? null : 'refused';
}
