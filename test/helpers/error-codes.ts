/**
 * The Tencent Cloud API 3.0 common error codes: every action of every service
 * may return them, so the per-action error lists of the reference (and the
 * model built from it) do not repeat them.
 */
export const COMMON_ERROR_CODES: ReadonlySet<string> = new Set([
  'ActionOffline',
  'AuthFailure.InvalidAuthorization',
  'AuthFailure.InvalidSecretId',
  'AuthFailure.MFAFailure',
  'AuthFailure.SecretIdNotFound',
  'AuthFailure.SignatureExpire',
  'AuthFailure.SignatureFailure',
  'AuthFailure.TokenFailure',
  'AuthFailure.UnauthorizedOperation',
  'DryRunOperation',
  'FailedOperation',
  'InternalError',
  'InvalidAction',
  'InvalidParameter',
  'InvalidParameterValue',
  'InvalidRequest',
  'IpInBlacklist',
  'IpNotInWhitelist',
  'LimitExceeded',
  'MissingParameter',
  'NoSuchProduct',
  'NoSuchVersion',
  'RequestLimitExceeded',
  'RequestSizeLimitExceeded',
  'ResourceInUse',
  'ResourceInsufficient',
  'ResourceNotFound',
  'ResourceUnavailable',
  'ResponseSizeLimitExceeded',
  'ServiceUnavailable',
  'UnauthorizedOperation',
  'UnknownParameter',
  'UnsupportedOperation',
  'UnsupportedProtocol',
  'UnsupportedRegion',
]);

/**
 * Codes the emulator returns for an action whose reference entry does not list
 * them, each with the reason. Anything else an implemented action returns must
 * be a common code or one the reference lists for that action.
 */
export const UNDOCUMENTED_BUT_RETURNED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  OpenIdentityCenter: {
    'InvalidParameterValue.ZoneNameFormatError': 'the reference lists it for UpdateZone only; the same ZoneName rule applies when opening',
  },
  CreateSCIMCredential: {
    'FailedOperation.IdentityCenterNotOpen': 'every other ZoneId action lists it; the reference entry of this one omits it',
    'FailedOperation.ZoneIdNotExist': 'every other ZoneId action lists it; the reference entry of this one omits it',
  },
  ListGroupMembers: {
    'InvalidParameter.NextTokenInvalid': 'ListUsers and ListGroups list it for the same NextToken paging',
  },
  ListJoinedGroupsForUser: {
    'InvalidParameter.NextTokenInvalid': 'ListUsers and ListGroups list it for the same NextToken paging',
  },
  GetExternalSAMLIdentityProvider: {
    'FailedOperation.ZoneIdNotExist': 'every ZoneId action of the user and group APIs lists it; the SAML entries omit it',
  },
};
