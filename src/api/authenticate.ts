import { ApiError } from '../errors/api-error.js';
import type { Account } from '../domain/entities.js';
import { isV1SignatureMethod, parseTc3Authorization, verifyTc3, verifyV1, type VerifyResult } from './signature/index.js';
import type { ParsedRequest, RawRequest } from './parse-request.js';
import type { AuthMode } from '../config.js';


/** Requests signed more than this far from the server's clock are refused in strict mode. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/** Used only when the fixtures define no account at all. */
export const BUILT_IN_ACCOUNT: Account = {
  uin: '100000000001',
  appId: 1250000000,
  name: 'default',
  secretId: 'AKIDEMULATORDEFAULT000000000000000',
  secretKey: 'emulatorDefaultSecretKey0000000000',
};

/** The accounts a request may act as: looked up, never listed, on every request. */
export interface AccountDirectory {
  /** The fixtures' first account: who a permissive request with an unknown SecretId acts as. */
  first(): Account | undefined;
  bySecretId(secretId: string): Account | undefined;
}

export interface AuthInput {
  mode: AuthMode;
  raw: RawRequest;
  parsed: ParsedRequest;
  accounts: AccountDirectory;
  now: Date;
}

/**
 * Decides which account a request acts as.
 *
 * permissive: the request must still look signed (a well-formed TC3 Authorization,
 *   `Authorization: SKIP`, or v1 SecretId+Signature); the signature is not checked.
 *   A SecretId from the fixtures acts as its account, any other as the first account.
 * strict: the SecretId must be in the fixtures, the timestamp within 300 s, and the
 *   signature must verify with that account's SecretKey.
 */
export function authenticate({ mode, raw, parsed, accounts, now }: AuthInput): Account {
  const credentials = parsed.credentials;
  const defaultAccount = accounts.first() ?? BUILT_IN_ACCOUNT;
  const bySecretId = (secretId: string) => accounts.bySecretId(secretId);

  switch (credentials.kind) {
    case 'none':
      throw new ApiError('missingAuthorization');
    case 'skip':
      if (mode === 'strict') throw new ApiError('skipSignNotAllowed');
      return defaultAccount;
    case 'tc3': {
      const auth = parseTc3Authorization(credentials.authorization);
      if (!auth) throw new ApiError('malformedAuthorization');
      if (mode === 'permissive') return bySecretId(auth.secretId) ?? defaultAccount;
      const account = bySecretId(auth.secretId);
      if (!account) throw new ApiError('secretIdNotFound', { secretId: auth.secretId });
      checkTimestamp(parsed.timestamp, now);
      const result = verifyTc3(
        {
          method: raw.method,
          canonicalUri: raw.path,
          rawQueryString: raw.rawQuery,
          headers: raw.headers,
          body: raw.body,
          authorization: auth,
          timestamp: parsed.timestamp ?? '',
        },
        account.secretKey,
      );
      return accepted(result, account);
    }
    case 'v1': {
      if (!isV1SignatureMethod(credentials.signatureMethod)) {
        throw new ApiError('unsupportedSignatureMethod', { method: credentials.signatureMethod });
      }
      if (mode === 'permissive') return bySecretId(credentials.secretId) ?? defaultAccount;
      const account = bySecretId(credentials.secretId);
      if (!account) throw new ApiError('secretIdNotFound', { secretId: credentials.secretId });
      checkTimestamp(parsed.timestamp, now);
      const result = verifyV1(
        {
          method: raw.method,
          host: raw.headers.host ?? '',
          path: raw.path,
          params: { ...credentials.signedParams, Signature: credentials.signature },
        },
        account.secretKey,
      );
      return accepted(result, account);
    }
  }
}

function accepted(result: VerifyResult, account: Account): Account {
  if (result.ok) return account;
  if (result.reason === 'malformed') throw new ApiError('malformedAuthorization');
  if (result.reason === 'scope-date') throw new ApiError('scopeDateMismatch', { secretId: account.secretId });
  throw new ApiError('signatureFailure', { secretId: account.secretId });
}

function checkTimestamp(timestamp: string | undefined, now: Date): void {
  if (timestamp === undefined || timestamp === '') throw new ApiError('missingTimestamp');
  if (!/^\d{1,12}$/.test(timestamp)) throw new ApiError('invalidTimestamp', { timestamp });
  const skew = Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp));
  if (skew > MAX_CLOCK_SKEW_SECONDS) throw new ApiError('signatureExpired', { timestamp, skew });
}
