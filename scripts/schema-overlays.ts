/**
 * Hand-written constraint overlays for the generated request schemas.
 *
 * The API reference only gives us structure (member names, types, required);
 * value constraints live in the documentation prose, which we must not copy.
 * So the few constraints we enforce in the schema layer are restated here by
 * hand and merged into `schemas/organization/2021-03-31/<Action>.json` by
 * scripts/gen-schemas.ts.
 *
 * Shape: action -> member path -> extra JSON Schema keywords.
 * Member path syntax:
 *   - `Member`       the member's own schema (for a list member: the array);
 *   - `Member[]`     the items of a list member;
 *   - `Member.Sub`   a member of the nested object. Nested objects are shared
 *                    `definitions` within one action's file, so this applies to
 *                    every use of that object in the action.
 * An overlay may only add keywords: redefining a generated keyword (`type`,
 * `minimum` of a uint64, ...) is rejected by the generator, as is a path that
 * names no member, so a reference update cannot silently orphan an overlay.
 *
 * Deliberately NOT here, because the domain checks them (with a dedicated
 * error code where the reference has one, and so that the SCIM surface, which
 * does not go through these schemas, gets the same rules):
 *   - enums for UserStatus / NewUserStatus (CreateUser, UpdateUserStatus),
 *     NewStatus (UpdateSCIMCredentialStatus, InvalidParameter.UserScimCredentialStatusError)
 *     and SCIMSynchronizationStatus (UpdateSCIMSynchronizationStatus,
 *     InvalidParameter.ScimSyncStatusError);
 *   - the 64/128 character limits of CreateUser.UserName and CreateGroup.GroupName
 *     (InvalidParameter.UsernameFormatError / InvalidParameter.GroupNameFormatError);
 *   - CreateSCIMCredential.ExpireDuration (1 hour .. 99 years, checked in the domain).
 * UpdateUser / UpdateGroup get no lengths here: their reference documents state
 * none, so the domain applies the CreateUser/CreateGroup limits to updates too.
 */

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Extra JSON Schema keywords for one member. */
export type SchemaKeywords = Readonly<Record<string, JsonValue>>;

/** action -> member path -> keywords */
export type SchemaOverlays = Readonly<Record<string, Readonly<Record<string, SchemaKeywords>>>>;

/** "Maximum number of data entries per page. Value range: 1-100." */
const PAGE_SIZE: SchemaKeywords = { minimum: 1, maximum: 100 };

export const SCHEMA_OVERLAYS: SchemaOverlays = {
  // Identity Center list actions of users and groups. (ListSCIMCredentials has no paging members.)
  ListUsers: { MaxResults: PAGE_SIZE },
  ListGroups: { MaxResults: PAGE_SIZE },
  ListGroupMembers: { MaxResults: PAGE_SIZE },
  ListJoinedGroupsForUser: { MaxResults: PAGE_SIZE },

  // Maximum lengths stated in the CreateUser / CreateGroup reference documents.
  CreateUser: {
    FirstName: { maxLength: 64 },
    LastName: { maxLength: 64 },
    DisplayName: { maxLength: 256 },
    Description: { maxLength: 1024 },
    Email: { maxLength: 128 },
  },
  CreateGroup: {
    Description: { maxLength: 1024 },
  },
};
