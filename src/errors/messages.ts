/**
 * Message templates, keyed by what went wrong. Several keys may share one
 * Tencent Cloud code (e.g. every kind of "InvalidParameter"); the code is the
 * contract clients read, the text is ours and says which parameter and why.
 */
export interface MessageTemplate {
  readonly code: string;
  readonly en: string;
  readonly zh: string;
}

const define = <T extends Record<string, MessageTemplate>>(table: T): T => table;

export const MESSAGES = define({
  // --- protocol ---------------------------------------------------------
  missingAction: {
    code: 'MissingParameter',
    en: 'The request names no action: send the X-TC-Action header (API 3.0) or the Action parameter (v1).',
    zh: '请求未指定接口：请传入 X-TC-Action 请求头（API 3.0）或 Action 参数（v1）。',
  },
  missingVersion: {
    code: 'MissingParameter',
    en: 'The request names no API version: send the X-TC-Version header or the Version parameter (this service: {expected}).',
    zh: '请求未指定接口版本：请传入 X-TC-Version 请求头或 Version 参数（本服务版本：{expected}）。',
  },
  invalidAction: {
    code: 'InvalidAction',
    en: 'The action `{action}` does not exist.',
    zh: '接口 `{action}` 不存在。',
  },
  noSuchVersion: {
    code: 'NoSuchVersion',
    en: 'The action `{action}` is not available in API version `{version}` (supported: {supported}).',
    zh: '接口 `{action}` 在版本 `{version}` 中不存在（支持的版本：{supported}）。',
  },
  notImplemented: {
    code: 'UnsupportedOperation',
    en: 'The action `{action}` is part of the real API but the emulator does not implement it yet.',
    zh: '接口 `{action}` 属于真实 API，但模拟器尚未实现。',
  },
  wrongPath: {
    code: 'InvalidAction',
    en: 'The API is served at `/`, not at `{path}`.',
    zh: 'API 的地址是 `/`，而不是 `{path}`。',
  },
  unsupportedMethod: {
    code: 'UnsupportedProtocol',
    en: 'HTTP method {method} is not supported: use GET or POST.',
    zh: '不支持 HTTP 方法 {method}：请使用 GET 或 POST。',
  },
  unsupportedContentType: {
    code: 'InvalidParameter',
    en: 'Content-Type `{contentType}` is not supported: use application/json (API 3.0) or application/x-www-form-urlencoded (v1).',
    zh: '不支持的 Content-Type `{contentType}`：请使用 application/json（API 3.0）或 application/x-www-form-urlencoded（v1）。',
  },
  malformedJson: {
    code: 'InvalidParameter',
    en: 'The request body is not valid JSON (it breaks off at character {position}).',
    zh: '请求体不是合法的 JSON（在第 {position} 个字符处出错）。',
  },
  bodyNotObject: {
    code: 'InvalidParameter',
    en: 'The request body must be a JSON object.',
    zh: '请求体必须是 JSON 对象。',
  },
  nameEmptySegment: {
    code: 'InvalidParameter',
    en: 'The parameter name `{name}` is malformed: it has an empty segment.',
    zh: '参数名 `{name}` 格式错误：包含空的层级。',
  },
  nameReservedWord: {
    code: 'InvalidParameter',
    en: 'The parameter name `{name}` is malformed: it uses a reserved word.',
    zh: '参数名 `{name}` 格式错误：使用了保留字。',
  },
  nameTooDeep: {
    code: 'InvalidParameter',
    en: 'The parameter name `{name}` is malformed: it is nested more than {max} levels deep.',
    zh: '参数名 `{name}` 格式错误：嵌套超过 {max} 层。',
  },
  nameValueAndMembers: {
    code: 'InvalidParameter',
    en: 'The parameter name `{name}` is malformed: `{prefix}` is given both a plain value and nested members.',
    zh: '参数名 `{name}` 格式错误：`{prefix}` 同时给出了普通值和嵌套成员。',
  },
  nameIndexesAndMembers: {
    code: 'InvalidParameter',
    en: 'The parameter name `{name}` is malformed: it mixes list indexes and member names.',
    zh: '参数名 `{name}` 格式错误：混用了列表下标和成员名。',
  },
  headersTooLarge: {
    code: 'RequestSizeLimitExceeded',
    en: 'The request line and headers are larger than the emulator accepts.',
    zh: '请求行和请求头超过模拟器允许的大小。',
  },
  malformedHttp: {
    code: 'InvalidParameter',
    en: 'The HTTP request is malformed.',
    zh: 'HTTP 请求格式错误。',
  },
  requestTimedOut: {
    code: 'InvalidParameter',
    en: 'The request was not received in full within {seconds} s.',
    zh: '未能在 {seconds} 秒内收到完整的请求。',
  },
  headTimedOut: {
    code: 'InvalidParameter',
    en: 'The request line and headers were not received within {seconds} s.',
    zh: '未能在 {seconds} 秒内收到请求行和请求头。',
  },
  hostMissing: {
    code: 'InvalidParameter',
    en: 'An HTTP/1.1 request must have a `Host` header.',
    zh: 'HTTP/1.1 请求必须带有 `Host` 请求头。',
  },
  expectationFailed: {
    code: 'InvalidParameter',
    en: 'The `Expect` header asks for what the emulator does not support: only `100-continue` is.',
    zh: '模拟器不支持 `Expect` 请求头所要求的期望：仅支持 `100-continue`。',
  },
  requestTooLarge: {
    code: 'RequestSizeLimitExceeded',
    en: 'The request is larger than the {limit} allowed for {kind} requests.',
    zh: '请求大小超过 {kind} 请求允许的 {limit}。',
  },
  // --- authentication ---------------------------------------------------
  missingAuthorization: {
    code: 'AuthFailure.InvalidAuthorization',
    en: 'The request is not signed: send an Authorization header (TC3-HMAC-SHA256) or the SecretId and Signature parameters (v1).',
    zh: '请求未签名：请传入 Authorization 请求头（TC3-HMAC-SHA256）或 SecretId 与 Signature 参数（v1）。',
  },
  malformedAuthorization: {
    code: 'AuthFailure.InvalidAuthorization',
    en: 'The Authorization header is malformed: expected `TC3-HMAC-SHA256 Credential=<SecretId>/<date>/<service>/tc3_request, SignedHeaders=<headers>, Signature=<hex>`.',
    zh: 'Authorization 请求头格式错误：应为 `TC3-HMAC-SHA256 Credential=<SecretId>/<date>/<service>/tc3_request, SignedHeaders=<headers>, Signature=<hex>`。',
  },
  skipSignNotAllowed: {
    code: 'AuthFailure.InvalidAuthorization',
    en: 'Unsigned requests (Authorization: SKIP) are accepted only in permissive auth mode.',
    zh: '未签名请求（Authorization: SKIP）仅在 permissive 鉴权模式下被接受。',
  },
  missingTimestamp: {
    code: 'MissingParameter',
    en: 'The request carries no timestamp: send X-TC-Timestamp (API 3.0) or Timestamp (v1).',
    zh: '请求缺少时间戳：请传入 X-TC-Timestamp（API 3.0）或 Timestamp（v1）。',
  },
  invalidTimestamp: {
    code: 'InvalidParameter',
    en: 'The timestamp `{timestamp}` is not a Unix time in seconds.',
    zh: '时间戳 `{timestamp}` 不是以秒为单位的 Unix 时间。',
  },
  signatureExpired: {
    code: 'AuthFailure.SignatureExpire',
    en: 'The request timestamp {timestamp} is {skew} seconds away from the server time; at most 300 seconds are allowed.',
    zh: '请求时间戳 {timestamp} 与服务器时间相差 {skew} 秒，最多允许 300 秒。',
  },
  secretIdNotFound: {
    code: 'AuthFailure.SecretIdNotFound',
    en: 'The SecretId `{secretId}` is not known to this emulator (strict auth mode: keys come from the fixtures).',
    zh: 'SecretId `{secretId}` 不存在（strict 鉴权模式：密钥来自 fixtures）。',
  },
  scopeDateMismatch: {
    code: 'AuthFailure.SignatureFailure',
    en: 'The date in the credential scope of `{secretId}` is not the UTC date of X-TC-Timestamp.',
    zh: '`{secretId}` 凭证范围中的日期不是 X-TC-Timestamp 对应的 UTC 日期。',
  },
  signatureFailure: {
    code: 'AuthFailure.SignatureFailure',
    en: 'The request signature does not match the one computed with the SecretKey of `{secretId}`.',
    zh: '请求签名与使用 `{secretId}` 的 SecretKey 计算出的签名不一致。',
  },
  unsupportedSignatureMethod: {
    code: 'AuthFailure.SignatureFailure',
    en: 'The SignatureMethod `{method}` is not supported: use HmacSHA1 or HmacSHA256.',
    zh: '不支持的 SignatureMethod `{method}`：请使用 HmacSHA1 或 HmacSHA256。',
  },
  // --- schema validation --------------------------------------------------
  missingParameter: {
    code: 'MissingParameter',
    en: 'The required parameter `{name}` is missing.',
    zh: '缺少必填参数 `{name}`。',
  },
  unknownParameter: {
    code: 'UnknownParameter',
    en: 'The parameter `{name}` is not defined for action {action}.',
    zh: '接口 {action} 未定义参数 `{name}`。',
  },
  wrongType: {
    code: 'InvalidParameter',
    en: 'The parameter `{name}` must be {expected}.',
    zh: '参数 `{name}` 的类型必须为{expectedZh}。',
  },
  valueOutOfRange: {
    code: 'InvalidParameterValue',
    en: 'The parameter `{name}` {rule}.',
    zh: '参数 `{name}` 的取值不合法：{ruleZh}。',
  },
  // --- unexpected -----------------------------------------------------------
  internalError: {
    code: 'InternalError',
    en: 'The emulator failed to handle the request (see its log for RequestId {requestId}).',
    zh: '模拟器处理请求失败（请在日志中查找 RequestId {requestId}）。',
  },
  storeWriteFailed: {
    code: 'InternalError',
    en: 'The change could not be written to the data file and was not applied.',
    zh: '变更未能写入数据文件，未被应用。',
  },
  // --- emulator control plane: rate limits and injected faults -------------------
  requestLimitExceeded: {
    code: 'RequestLimitExceeded',
    en: 'The action {action} was called more than {limit} times in one second by account {uin}: slow down and retry.',
    zh: '账号 {uin} 每秒调用接口 {action} 超过 {limit} 次：请降低频率后重试。',
  },
  /** An error a fault rule injects. Its code is the rule's (see InjectedFaultError); this entry's code is only a fallback. */
  injectedFault: {
    code: 'InternalError',
    en: '{message}',
    zh: '{message}（模拟器注入的故障）',
  },
  /** The same, for a rule that gives no message. */
  injectedFaultDefault: {
    code: 'InternalError',
    en: 'The emulator was told to fail this request with {code} (an injected fault).',
    zh: '模拟器按注入的故障规则以 {code} 拒绝了此请求。',
  },
  // --- Identity Center: zones ------------------------------------------------
  identityCenterNotOpen: {
    code: 'FailedOperation.IdentityCenterNotOpen',
    en: 'Identity Center is not open for account {uin}: call OpenIdentityCenter first.',
    zh: '账号 {uin} 尚未开通 CIC 服务：请先调用 OpenIdentityCenter。',
  },
  identityCenterAlreadyOpen: {
    code: 'FailedOperation.IdentityCenterAlreadyOpen',
    en: 'Identity Center is already open for account {uin} (zone {zoneId}).',
    zh: '账号 {uin} 已开通 CIC 服务（空间 {zoneId}）。',
  },
  zoneIdNotExist: {
    code: 'FailedOperation.ZoneIdNotExist',
    en: 'The zone `{zoneId}` does not exist in this account.',
    zh: '空间 `{zoneId}` 在当前账号下不存在。',
  },
  zoneNameFormat: {
    code: 'InvalidParameterValue.ZoneNameFormatError',
    en: 'The zone name `{zoneName}` is invalid: use 2-64 lowercase letters, digits and hyphens, not starting or ending with a hyphen and without two hyphens in a row.',
    zh: '空间名 `{zoneName}` 不合法：应为 2-64 位小写字母、数字和连字符，不能以连字符开头或结尾，且不能包含连续的连字符。',
  },
  zoneNameTaken: {
    code: 'InvalidParameterValue.IdentityCenterZoneNameAlreadyExist',
    en: 'The zone name `{zoneName}` is already in use: zone names are globally unique.',
    zh: '空间名 `{zoneName}` 已被使用：空间名全局唯一。',
  },
  scimSyncStatusInvalid: {
    code: 'InvalidParameter.ScimSyncStatusError',
    en: 'The SCIM synchronization status `{status}` is invalid: use Enabled or Disabled.',
    zh: 'SCIM 同步状态 `{status}` 不合法：请使用 Enabled 或 Disabled。',
  },
  // --- Identity Center: SCIM credentials -------------------------------------
  scimCredentialLimit: {
    code: 'LimitExceeded.ScimCredentialLimitExceeded',
    en: 'The zone `{zoneId}` already has {limit} SCIM keys (disabled keys count too): delete one before creating another.',
    zh: '空间 `{zoneId}` 已有 {limit} 个 SCIM 密钥（已禁用的也计入）：请先删除一个再创建。',
  },
  scimCredentialNotFound: {
    code: 'InvalidParameter.ScimCredentialNotFound',
    en: 'The SCIM key `{credentialId}` does not exist in zone `{zoneId}`.',
    zh: 'SCIM 密钥 `{credentialId}` 在空间 `{zoneId}` 中不存在。',
  },
  scimCredentialStatusInvalid: {
    code: 'InvalidParameter.UserScimCredentialStatusError',
    en: 'The SCIM key status `{status}` is invalid: use Enabled or Disabled.',
    zh: 'SCIM 密钥状态 `{status}` 不合法：请使用 Enabled 或 Disabled。',
  },
  expireDurationOutOfRange: {
    code: 'InvalidParameterValue',
    en: 'ExpireDuration must be between {min} seconds (1 hour) and {max} seconds (99 years); got {value}.',
    zh: 'ExpireDuration 必须介于 {min} 秒（1 小时）与 {max} 秒（99 年）之间，实际为 {value}。',
  },
  // --- Identity Center: SAML single sign-on ------------------------------------
  samlIdpNotFound: {
    code: 'ResourceNotFound.SAMLIdentityProviderNotFound',
    en: 'The zone `{zoneId}` has no SAML identity provider configured: call SetExternalSAMLIdentityProvider first.',
    zh: '空间 `{zoneId}` 尚未配置 SAML 身份提供商：请先调用 SetExternalSAMLIdentityProvider。',
  },
  samlClearWhileEnabled: {
    code: 'FailedOperation.SSoStatusEnableNotClearIdentityProvider',
    en: 'SSO is enabled in zone `{zoneId}`: set SSOStatus to Disabled before clearing the identity provider.',
    zh: '空间 `{zoneId}` 已启用 SSO：请先将 SSOStatus 设为 Disabled，再清除身份提供商配置。',
  },
  samlMetadataNotBase64: {
    code: 'FailedOperation.DecodeMetadataDocumentFailed',
    en: 'EncodedMetadataDocument is not a base64-encoded document: {reason}.',
    zh: 'EncodedMetadataDocument 不是 base64 编码的文档：{reason}。',
  },
  samlMetadataNotXml: {
    code: 'FailedOperation.XMLDataUnmarshalFailed',
    en: 'The metadata document is not well-formed XML: {reason}.',
    zh: '元数据文档不是格式正确的 XML：{reason}。',
  },
  samlMetadataNotIdp: {
    code: 'FailedOperation.MetadataCosParsingFailed',
    en: 'The metadata document is not usable SAML 2.0 identity provider metadata: {reason}.',
    zh: '元数据文档不是可用的 SAML 2.0 身份提供商元数据：{reason}。',
  },
  ssoStatusInvalid: {
    code: 'InvalidParameterValue.SSoStatusInvalid',
    en: 'SSOStatus `{status}` is invalid: use Enabled or Disabled.',
    zh: 'SSOStatus `{status}` 不合法：取值应为 Enabled 或 Disabled。',
  },
  ssoIncomplete: {
    code: 'MissingParameter',
    en: 'SSO cannot be enabled without {missing} (give them as parameters or in a metadata document).',
    zh: '缺少 {missing}，无法启用 SSO（可通过参数或元数据文档提供）。',
  },
  samlUrlInvalid: {
    code: 'InvalidParameterValue',
    en: 'The parameter `{name}` must be an http:// or https:// URL, got `{value}`.',
    zh: '参数 `{name}` 必须是 http:// 或 https:// URL，实际为 `{value}`。',
  },
  samlEntityIdInvalid: {
    code: 'InvalidParameterValue',
    en: 'EntityId must be 1 to {max} characters without control characters.',
    zh: 'EntityId 长度须为 1 到 {max} 个字符，且不含控制字符。',
  },
  x509Format: {
    code: 'InvalidParameterValue.X509CertificateFormatError',
    en: 'X509Certificate is not a PEM certificate (`-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----`, or its base64 body).',
    zh: 'X509Certificate 不是 PEM 格式的证书（`-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----`，或其 base64 内容）。',
  },
  x509Parse: {
    code: 'FailedOperation.X509CertificateParsingFailed',
    en: 'The X.509 certificate could not be parsed: {reason}.',
    zh: 'X.509 证书解析失败：{reason}。',
  },
  x509Exists: {
    code: 'FailedOperation.X509CertificateAlreadyExist',
    en: 'This certificate is already configured in zone `{zoneId}` as `{certificateId}`.',
    zh: '该证书已在空间 `{zoneId}` 中配置为 `{certificateId}`。',
  },
  x509Limit: {
    code: 'FailedOperation.X509CertificateLimitExceeded',
    en: 'The zone `{zoneId}` already has {limit} SAML signing certificates: remove one before adding another.',
    zh: '空间 `{zoneId}` 已有 {limit} 个 SAML 签名证书：请先移除一个再添加。',
  },
  x509Minimum: {
    code: 'FailedOperation.X509CertificateMinimumRequired',
    en: 'SSO is enabled in zone `{zoneId}`, which needs at least one SAML signing certificate.',
    zh: '空间 `{zoneId}` 已启用 SSO，至少需要一个 SAML 签名证书。',
  },
  x509NotFound: {
    code: 'ResourceNotFound.X509CertificateNotFound',
    en: 'The certificate `{certificateId}` does not exist in zone `{zoneId}`.',
    zh: '证书 `{certificateId}` 在空间 `{zoneId}` 中不存在。',
  },
  // --- Identity Center: users, groups, memberships, listings -------------------
  fieldTooLong: {
    code: 'InvalidParameterValue',
    en: '`{name}` can be at most {max} characters long; got {length}.',
    zh: '`{name}` 最多 {max} 个字符，实际为 {length} 个。',
  },
  usernameFormat: {
    code: 'InvalidParameter.UsernameFormatError',
    en: 'The user name `{userName}` is invalid: use 1-64 letters, digits and the characters + = , . @ - _.',
    zh: '用户名 `{userName}` 不合法：应为 1-64 位字母、数字及字符 + = , . @ - _。',
  },
  usernameTaken: {
    code: 'InvalidParameter.UsernameAlreadyExists',
    en: 'The user name `{userName}` is already used in zone `{zoneId}` (user names are compared case-insensitively).',
    zh: '用户名 `{userName}` 在空间 `{zoneId}` 中已被使用（用户名不区分大小写）。',
  },
  emailTaken: {
    code: 'InvalidParameter.EmailAlreadyExists',
    en: 'The e-mail address `{email}` is already used by another user in zone `{zoneId}` (compared case-insensitively).',
    zh: '邮箱 `{email}` 已被空间 `{zoneId}` 中的其他用户使用（不区分大小写）。',
  },
  userStatusInvalid: {
    code: 'InvalidParameterValue',
    en: 'The user status `{status}` is invalid: use Enabled or Disabled.',
    zh: '用户状态 `{status}` 不合法：请使用 Enabled 或 Disabled。',
  },
  userTypeInvalid: {
    code: 'InvalidParameter.UserTypeError',
    en: 'The user type `{type}` is invalid: use Manual or Synchronized.',
    zh: '用户类型 `{type}` 不合法：请使用 Manual 或 Synchronized。',
  },
  userQuotaReached: {
    code: 'FailedOperation.UserOverUpperLimit',
    en: 'The zone `{zoneId}` already has {limit} users, its quota: delete a user before creating another.',
    zh: '空间 `{zoneId}` 已有 {limit} 个用户，达到配额：请先删除用户再创建。',
  },
  userNotFound: {
    code: 'ResourceNotFound.UserNotExist',
    en: 'The user `{userId}` does not exist in zone `{zoneId}`.',
    zh: '用户 `{userId}` 在空间 `{zoneId}` 中不存在。',
  },
  synchronizedUserNotUpdate: {
    code: 'FailedOperation.SynchronizedUserNotUpdate',
    en: 'The user `{userId}` is synchronized by SCIM and SCIM synchronization is enabled: change it in the identity provider, or disable SCIM synchronization first.',
    zh: '用户 `{userId}` 由 SCIM 同步且 SCIM 同步已启用：请在身份提供商处修改，或先关闭 SCIM 同步。',
  },
  synchronizedUserNotDelete: {
    code: 'FailedOperation.SynchronizedUserNotDelete',
    en: 'The user `{userId}` is synchronized by SCIM and SCIM synchronization is enabled: delete it in the identity provider, or disable SCIM synchronization first.',
    zh: '用户 `{userId}` 由 SCIM 同步且 SCIM 同步已启用：请在身份提供商处删除，或先关闭 SCIM 同步。',
  },
  userStillInGroups: {
    code: 'InvalidParameter.UserAlreadyExistsGroup',
    en: 'The user `{userId}` still belongs to {count} user group(s): remove it from them before deleting it.',
    zh: '用户 `{userId}` 仍属于 {count} 个用户组：请先将其移出用户组再删除。',
  },
  groupNameFormat: {
    code: 'InvalidParameter.GroupNameFormatError',
    en: 'The user group name `{groupName}` is invalid: use 1-128 letters, digits and hyphens.',
    zh: '用户组名称 `{groupName}` 不合法：应为 1-128 位字母、数字和连字符。',
  },
  groupNameTaken: {
    code: 'InvalidParameter.GroupNameAlreadyExists',
    en: 'The user group name `{groupName}` is already used in zone `{zoneId}` (compared case-insensitively).',
    zh: '用户组名称 `{groupName}` 在空间 `{zoneId}` 中已被使用（不区分大小写）。',
  },
  groupTypeInvalid: {
    code: 'InvalidParameterValue',
    en: 'The user group type `{type}` is invalid: use Manual or Synchronized.',
    zh: '用户组类型 `{type}` 不合法：请使用 Manual 或 Synchronized。',
  },
  groupQuotaReached: {
    code: 'FailedOperation.GroupOverUpperLimit',
    en: 'The zone `{zoneId}` already has {limit} user groups, its quota: delete a group before creating another.',
    zh: '空间 `{zoneId}` 已有 {limit} 个用户组，达到配额：请先删除用户组再创建。',
  },
  groupMemberQuotaReached: {
    code: 'FailedOperation.GroupUserCountOverUpperLimit',
    en: 'The user group `{groupId}` would have more than {limit} members, its quota.',
    zh: '用户组 `{groupId}` 的成员将超过配额 {limit} 个。',
  },
  groupNotFound: {
    code: 'InvalidParameter.GroupNotExist',
    en: 'The user group `{groupId}` does not exist in zone `{zoneId}`.',
    zh: '用户组 `{groupId}` 在空间 `{zoneId}` 中不存在。',
  },
  groupHasMembers: {
    code: 'FailedOperation.DeleteGroupNotAllowExistUser',
    en: 'The user group `{groupId}` still has {count} member(s): remove them before deleting it.',
    zh: '用户组 `{groupId}` 仍有 {count} 个成员：请先移除成员再删除。',
  },
  synchronizedGroupNotUpdate: {
    code: 'FailedOperation.SynchronizedGroupNotUpdate',
    en: 'The user group `{groupId}` is synchronized by SCIM and SCIM synchronization is enabled: change it in the identity provider, or disable SCIM synchronization first.',
    zh: '用户组 `{groupId}` 由 SCIM 同步且 SCIM 同步已启用：请在身份提供商处修改，或先关闭 SCIM 同步。',
  },
  synchronizedGroupNotDelete: {
    code: 'FailedOperation.SynchronizedGroupNotDelete',
    en: 'The user group `{groupId}` is synchronized by SCIM and SCIM synchronization is enabled: delete it in the identity provider, or disable SCIM synchronization first.',
    zh: '用户组 `{groupId}` 由 SCIM 同步且 SCIM 同步已启用：请在身份提供商处删除，或先关闭 SCIM 同步。',
  },
  synchronizedGroupNotAddUser: {
    code: 'FailedOperation.SynchronizedGroupNotAddUser',
    en: 'The user group `{groupId}` is synchronized by SCIM and SCIM synchronization is enabled: add members in the identity provider, or disable SCIM synchronization first.',
    zh: '用户组 `{groupId}` 由 SCIM 同步且 SCIM 同步已启用：请在身份提供商处添加成员，或先关闭 SCIM 同步。',
  },
  synchronizedGroupNotRemoveUser: {
    code: 'FailedOperation.SynchronizedGroupNotRemoveUser',
    en: 'The user group `{groupId}` is synchronized by SCIM and SCIM synchronization is enabled: remove members in the identity provider, or disable SCIM synchronization first.',
    zh: '用户组 `{groupId}` 由 SCIM 同步且 SCIM 同步已启用：请在身份提供商处移除成员，或先关闭 SCIM 同步。',
  },
  groupTypeUserTypeMismatch: {
    code: 'FailedOperation.GroupTypeUserTypeNotMatch',
    en: 'The user `{userId}` is of type {userType} and cannot join the {groupType} user group `{groupId}`: synchronized groups take only synchronized users.',
    zh: '用户 `{userId}` 的类型为 {userType}，不能加入类型为 {groupType} 的用户组 `{groupId}`：同步的用户组只能包含同步的用户。',
  },
  groupUserAlreadyExists: {
    code: 'InvalidParameter.GroupUserAlreadyExists',
    en: 'The user `{userId}` is already a member of the user group `{groupId}`.',
    zh: '用户 `{userId}` 已是用户组 `{groupId}` 的成员。',
  },
  groupUserNotExist: {
    code: 'InvalidParameter.GroupUserNotExist',
    en: 'The user `{userId}` is not a member of the user group `{groupId}`.',
    zh: '用户 `{userId}` 不是用户组 `{groupId}` 的成员。',
  },
  listParamInvalid: {
    code: 'InvalidParameter.ParamError',
    en: 'The parameter `{name}` is invalid: use {allowed}.',
    zh: '参数 `{name}` 不合法：取值应为 {allowed}。',
  },
  nextTokenInvalid: {
    code: 'InvalidParameter.NextTokenInvalid',
    en: 'The NextToken is not one this service issued (it is malformed or was altered): pass the NextToken of the previous page unchanged.',
    zh: 'NextToken 不是本服务签发的（格式错误或被修改）：请原样传入上一页返回的 NextToken。',
  },
  nextTokenOtherQuery: {
    code: 'InvalidParameter.NextTokenInvalid',
    en: 'The NextToken belongs to a different listing: keep every parameter except NextToken and MaxResults as in the first request.',
    zh: 'NextToken 属于另一个查询：除 NextToken 与 MaxResults 外，其他参数须与首次请求保持一致。',
  },
});

export type MessageKey = keyof typeof MESSAGES;
