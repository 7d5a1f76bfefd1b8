/** What replaces a secret in the request journal. */
export const REDACTED = '[redacted]';

/**
 * Parameter names whose values are secrets or credentials: CredentialSecret,
 * SecretKey, Password, Authorization, Signature, any *Token… but not the
 * identifiers beside them (SecretId, CredentialId) nor a listing's NextToken.
 */
const SECRET_NAME = /secret|passw(or)?d|pwd|authorization|signature|token|credential$/i;
const NOT_SECRET = /^(secretid|nexttoken)$/i;

const MAX_DEPTH = 32;

/** A copy of `value` with every secret-named member's value replaced; safe to show anywhere. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(value as Record<string, unknown>)) {
    out[name] = SECRET_NAME.test(name) && !NOT_SECRET.test(name) ? REDACTED : redact(member, depth + 1);
  }
  return out;
}
