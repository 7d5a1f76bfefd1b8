/** What replaces a secret in the request journal. */
export const REDACTED = '[redacted]';

/**
 * Parameter names whose values are secrets or credentials: CredentialSecret,
 * SecretKey, Password, Authorization, Signature, any *Token… but not the
 * identifiers beside them (SecretId, CredentialId) nor a listing's NextToken.
 */
const SECRET_NAME = /secret|passw(or)?d|pwd|authorization|signature|token|credential$/i;
const NOT_SECRET = /^(secretid|nexttoken)$/i;

/**
 * The journal keeps 1000 entries; a request may carry 10 MB of parameters.
 * Each entry keeps at most this many values, strings of at most this many
 * characters, so the journal stays small whatever is sent.
 */
const MAX_VALUES = 500;
const MAX_STRING = 256;
const MAX_DEPTH = 32;

/**
 * A copy of `value` with every secret-named member's value replaced, fit to
 * show anywhere; long strings and large documents are shortened (saying so).
 */
export function redact(value: unknown): unknown {
  const budget = { left: MAX_VALUES };
  return copy(value, 0, budget);
}

/** `password`, `emails[type eq "work"].password`, `urn:…:User:password`: the attribute a SCIM PATCH path ends in. */
function lastAttribute(path: string): string {
  const withoutFilters = path.replace(/\[[^\]]*\]/g, '');
  return withoutFilters.split(/[.:]/).pop() ?? '';
}

const isSecretName = (name: string) => SECRET_NAME.test(name) && !NOT_SECRET.test(name);

/** A SCIM PATCH operation whose path names a secret attribute: its value is that secret. */
function isSecretOperation(entries: readonly [string, unknown][]): boolean {
  const path = entries.find(([name]) => name.toLowerCase() === 'path')?.[1];
  return typeof path === 'string' && isSecretName(lastAttribute(path));
}

function copy(value: unknown, depth: number, budget: { left: number }): unknown {
  budget.left -= 1;
  // A bearer credential is a secret under any member name (a SCIM key pasted into a field).
  if (typeof value === 'string' && /^bearer\s/i.test(value)) return REDACTED;
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… (${value.length - MAX_STRING} more characters)` : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      if (budget.left <= 0) {
        out.push(`… (${value.length - out.length} more items)`);
        break;
      }
      out.push(copy(item, depth + 1, budget));
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  const entries = Object.entries(value as Record<string, unknown>);
  const secretValue = isSecretOperation(entries);
  for (let i = 0; i < entries.length; i += 1) {
    if (budget.left <= 0) {
      out['…'] = `${entries.length - i} more members`;
      break;
    }
    const [name, member] = entries[i]!;
    // A flag or a count beside a secret's name (NeedResetPassword: true) is not the secret.
    const secret = (isSecretName(name) && typeof member !== 'boolean' && member !== null) || (secretValue && name.toLowerCase() === 'value');
    out[name] = secret ? REDACTED : copy(member, depth + 1, budget);
  }
  return out;
}
