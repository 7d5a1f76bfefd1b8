/**
 * Strict base64 for the values SAML and the API carry (certificates, metadata
 * documents, SAMLResponse): Buffer.from(…, 'base64') silently skips garbage,
 * and a config that "decodes" to noise should be refused as what it is.
 */

/** Decodes standard base64, ignoring whitespace (line-wrapped values); undefined when the text is not base64. */
export function decodeStrictBase64(text: string): Buffer | undefined {
  const body = text.replace(/\s+/g, '');
  if (body === '' || body.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return undefined;
  return Buffer.from(body, 'base64');
}
