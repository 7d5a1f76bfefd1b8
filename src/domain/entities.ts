/**
 * The Identity Center records. Every record carries the account (Uin) or zone
 * it belongs to; times are ISO 8601 UTC instants (formatted at the edges).
 * Records are immutable: a change is a new record put in place of the old.
 */

export type EnabledStatus = 'Enabled' | 'Disabled';

export interface Account {
  readonly uin: string;
  readonly appId: number;
  readonly name: string;
  readonly secretId: string;
  readonly secretKey: string;
}

export interface Zone {
  readonly zoneId: string;
  readonly ownerUin: string;
  readonly zoneName: string;
  readonly scimSyncStatus: EnabledStatus;
  readonly createTime: string;
  readonly updateTime: string;
}

export interface ScimCredential {
  readonly credentialId: string;
  readonly zoneId: string;
  readonly type: 'BearerToken';
  readonly status: EnabledStatus;
  /** SHA-256 of the secret, hex: the secret itself is shown once and never stored. */
  readonly secretHash: string;
  readonly createTime: string;
  readonly expireTime: string;
  /** When a SCIM request last authenticated with this key; null if never. */
  readonly lastUsedTime: string | null;
}

export type UserType = 'Manual' | 'Synchronized';

export interface ScimEmail {
  readonly value: string;
  readonly type?: string;
  readonly primary?: boolean;
  readonly display?: string;
}

export interface User {
  readonly zoneId: string;
  readonly userId: string;
  readonly userName: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly displayName: string;
  readonly description: string;
  readonly email: string;
  readonly userStatus: EnabledStatus;
  readonly userType: UserType;
  readonly needResetPassword: boolean;
  readonly createTime: string;
  readonly updateTime: string;
  /** Bumped on every change; the SCIM ETag. */
  readonly version: number;
  /** SCIM-only attributes an identity provider sent that Identity Center has no column for. */
  readonly scim?: UserScimExtras;
}

export interface UserScimExtras {
  readonly externalId?: string;
  readonly emails?: readonly ScimEmail[];
  /** Other attributes (e.g. enterprise extension, phoneNumbers), kept so GET returns what was PUT. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface Group {
  readonly zoneId: string;
  readonly groupId: string;
  readonly groupName: string;
  readonly description: string;
  readonly groupType: UserType;
  readonly createTime: string;
  readonly updateTime: string;
  readonly version: number;
  readonly scim?: { readonly externalId?: string };
}

export interface Membership {
  readonly zoneId: string;
  readonly groupId: string;
  readonly userId: string;
  readonly joinTime: string;
}

/** Which SCIM key authenticated which request: lets a key rotation be checked. */
export interface ScimRequestRecord {
  /** Increasing; orders the log. */
  readonly seq: number;
  readonly time: string;
  readonly zoneId: string;
  readonly credentialId: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

/** A zone's external SAML identity provider (SetExternalSAMLIdentityProvider). At most one per zone. */
export interface SamlIdentityProvider {
  readonly zoneId: string;
  readonly entityId: string;
  readonly loginUrl: string;
  /** How the IdP takes AuthnRequests at loginUrl; absent means HTTP-Redirect (what a LoginUrl given by hand is taken to be). */
  readonly loginBinding?: 'HTTP-Redirect' | 'HTTP-POST';
  readonly ssoStatus: EnabledStatus;
  /** The metadata document as it was uploaded (base64); '' when configured field by field. */
  readonly encodedMetadataDocument: string;
  readonly createTime: string;
  readonly updateTime: string;
}

/** A signing certificate of a zone's identity provider. Its facts (issuer, validity, …) are read from the PEM when listed. */
export interface SamlCertificate {
  readonly certificateId: string;
  readonly zoneId: string;
  readonly pem: string;
  /** SHA-256 of the DER, hex: one certificate is added once. */
  readonly fingerprint: string;
  readonly createTime: string;
}

/** An AuthnRequest this emulator sent (SP-initiated login): a Response's InResponseTo must name one, once. */
export interface SamlLoginRequest {
  readonly requestId: string;
  readonly zoneId: string;
  readonly createTime: string;
  readonly expireTime: string;
  readonly relayState: string;
}

/** An assertion already accepted at the ACS, kept until it expires so a replay is refused. */
export interface SamlSeenAssertion {
  readonly zoneId: string;
  readonly assertionId: string;
  readonly expireTime: string;
}

/** A successful SAML sign-in, what the local user portal shows. */
export interface SamlSignIn {
  readonly sessionId: string;
  readonly zoneId: string;
  readonly userId: string;
  readonly userName: string;
  readonly nameId: string;
  readonly issuer: string;
  readonly signInTime: string;
  /** 'idp' (unsolicited Response) or 'sp' (answering our AuthnRequest). */
  readonly initiatedBy: 'idp' | 'sp';
}
