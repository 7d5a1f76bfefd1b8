import type { ServerResponse } from 'node:http';
import { ApiError } from '../errors/api-error.js';
import { sendText } from '../http/send-text.js';
import { StoreWriteError } from '../store/errors.js';
import type { MessageKey } from '../errors/messages.js';
import { ScimError, type JsonValue, type ScimErrorType } from './engine/index.js';

export const SCIM_CONTENT_TYPE = 'application/scim+json';

/** Writes a SCIM response: application/scim+json on every answer, errors included. */
export function sendScim(res: ServerResponse, status: number, body: JsonValue | object | null, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  if (body === null) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  sendText(res, status, { ...headers, 'Content-Type': SCIM_CONTENT_TYPE }, JSON.stringify(body));
}

type ScimStatus = { status: number; scimType?: ScimErrorType };

/**
 * The domain speaks Tencent Cloud error codes; an identity provider needs SCIM
 * statuses and scimTypes (RFC 7644 3.12). One explicit table, by message key:
 * a new domain error that reaches SCIM gets 400 until it is placed here.
 */
const SCIM_STATUS: Partial<Record<MessageKey, ScimStatus>> = {
  usernameTaken: { status: 409, scimType: 'uniqueness' },
  emailTaken: { status: 409, scimType: 'uniqueness' },
  groupNameTaken: { status: 409, scimType: 'uniqueness' },
  groupUserAlreadyExists: { status: 409, scimType: 'uniqueness' },
  userNotFound: { status: 404 },
  groupNotFound: { status: 404 },
  groupUserNotExist: { status: 404 },
  zoneIdNotExist: { status: 404 },
  usernameFormat: { status: 400, scimType: 'invalidValue' },
  groupNameFormat: { status: 400, scimType: 'invalidValue' },
  fieldTooLong: { status: 400, scimType: 'invalidValue' },
  userStatusInvalid: { status: 400, scimType: 'invalidValue' },
  userTypeInvalid: { status: 400, scimType: 'invalidValue' },
  groupTypeInvalid: { status: 400, scimType: 'invalidValue' },
  // Quotas: the request is well-formed, the zone is full.
  userQuotaReached: { status: 400 },
  groupQuotaReached: { status: 400 },
  groupMemberQuotaReached: { status: 400 },
  // A rule about the record's state, not its values.
  userStillInGroups: { status: 400, scimType: 'mutability' },
  groupHasMembers: { status: 400, scimType: 'mutability' },
  groupTypeUserTypeMismatch: { status: 400, scimType: 'invalidValue' },
  internalError: { status: 500 },
  storeWriteFailed: { status: 500 },
};

export function scimErrorOf(error: ApiError): ScimError {
  const mapped = SCIM_STATUS[error.key] ?? { status: 400 };
  return new ScimError(mapped.status, mapped.scimType, `${error.localizedMessage('en-US')} (${error.code})`);
}

export function asScimError(error: unknown): ScimError | undefined {
  if (error instanceof ScimError) return error;
  if (error instanceof ApiError) return scimErrorOf(error);
  if (error instanceof StoreWriteError) return new ScimError(500, undefined, 'The change could not be written to the data file and was not applied.');
  return undefined;
}
