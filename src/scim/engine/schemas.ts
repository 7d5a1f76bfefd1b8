/**
 * The User, EnterpriseUser and Group schemas of RFC 7643 (section 8.7.1 shapes), plus the
 * common attributes id/externalId/meta. `renderSchemaResource` turns one into a /Schemas entry.
 */
import type { AttributeDefinition, AttributeType, JsonObject, ResourceSchema, SchemaDefinition } from './types.js';

export const CORE_USER_SCHEMA_ID = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const CORE_GROUP_SCHEMA_ID = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_USER_SCHEMA_ID = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const SCHEMA_SCHEMA_ID = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

type Options = Partial<Omit<AttributeDefinition, 'name' | 'type'>>;

function attr(name: string, type: AttributeType, description: string, opts: Options = {}): AttributeDefinition {
  const base: AttributeDefinition = {
    name, type, multiValued: false, description, required: false, caseExact: false,
    mutability: 'readWrite', returned: 'default', uniqueness: 'none',
  };
  return { ...base, ...opts };
}
const str = (name: string, description: string, opts: Options = {}): AttributeDefinition =>
  attr(name, 'string', description, opts);
const complex = (name: string, description: string, subAttributes: readonly AttributeDefinition[], opts: Options = {}) =>
  attr(name, 'complex', description, { ...opts, subAttributes });

/** The value/display/type/primary quartet shared by emails, phoneNumbers, ims, photos, ... */
function multi(name: string, description: string, types: readonly string[], valueOpts: Options = {}): AttributeDefinition {
  return complex(name, description, [
    str('value', `The ${name} value.`, valueOpts),
    str('display', 'A human-readable name, primarily used for display purposes.'),
    str('type', 'A label indicating the function of the value.', { canonicalValues: types }),
    attr('primary', 'boolean', 'Whether this is the primary or preferred value; at most one value is primary.'),
  ], { multiValued: true });
}

export const COMMON_ATTRIBUTES: readonly AttributeDefinition[] = [
  str('id', 'Unique identifier for the resource, assigned by the service provider.', {
    caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server',
  }),
  str('externalId', 'Identifier of the resource as defined by the provisioning client.', { caseExact: true }),
  complex('meta', 'Resource metadata.', [
    str('resourceType', 'The name of the resource type.', { caseExact: true, mutability: 'readOnly' }),
    attr('created', 'dateTime', 'When the resource was added to the service provider.', { mutability: 'readOnly' }),
    attr('lastModified', 'dateTime', 'When the resource was last modified.', { mutability: 'readOnly' }),
    attr('location', 'reference', 'The URI of the resource.', { caseExact: true, mutability: 'readOnly', referenceTypes: ['uri'] }),
    str('version', 'The version (ETag) of the resource.', { caseExact: true, mutability: 'readOnly' }),
  ], { mutability: 'readOnly', returned: 'always' }),
];

export const USER_SCHEMA: SchemaDefinition = {
  id: CORE_USER_SCHEMA_ID,
  name: 'User',
  description: 'User Account',
  attributes: [
    str('userName', 'Unique identifier for the User, used to authenticate. REQUIRED.', { required: true, uniqueness: 'server' }),
    complex('name', "The components of the user's real name.", [
      str('formatted', 'The full name, formatted for display.'),
      str('familyName', 'The family name of the User.'),
      str('givenName', 'The given name of the User.'),
      str('middleName', 'The middle name(s) of the User.'),
      str('honorificPrefix', "The honorific prefix(es) of the User, e.g. 'Ms.'."),
      str('honorificSuffix', "The honorific suffix(es) of the User, e.g. 'III'."),
    ]),
    str('displayName', 'The name of the User, suitable for display to end-users.'),
    str('nickName', 'The casual way to address the user.'),
    attr('profileUrl', 'reference', "A URI pointing to the User's online profile.", { referenceTypes: ['external'] }),
    str('title', "The user's title, such as 'Vice President'."),
    str('userType', 'The relationship between the organization and the user.'),
    str('preferredLanguage', "The User's preferred written or spoken language."),
    str('locale', "The User's default location, e.g. 'en-US'."),
    str('timezone', "The User's time zone in IANA format, e.g. 'America/Los_Angeles'."),
    attr('active', 'boolean', "The User's administrative status."),
    str('password', "The User's cleartext password; never returned.", { mutability: 'writeOnly', returned: 'never' }),
    multi('emails', 'Email addresses for the user.', ['work', 'home', 'other']),
    multi('phoneNumbers', 'Phone numbers for the User.', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    multi('ims', 'Instant messaging addresses for the User.', ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo']),
    multi('photos', 'URLs of images of the User.', ['photo', 'thumbnail']),
    complex('addresses', 'A physical mailing address for this User.', [
      str('formatted', 'The full mailing address, formatted for display.'),
      str('streetAddress', 'The full street address component.'),
      str('locality', 'The city or locality component.'),
      str('region', 'The state or region component.'),
      str('postalCode', 'The zip code or postal code component.'),
      str('country', 'The country name component.'),
      str('type', 'A label indicating the function of the address.', { canonicalValues: ['work', 'home', 'other'] }),
      attr('primary', 'boolean', 'Whether this is the primary address.'),
    ], { multiValued: true }),
    complex('groups', 'Groups to which the user belongs, direct or indirect.', [
      str('value', 'The id of the Group.', { mutability: 'readOnly' }),
      attr('$ref', 'reference', 'The URI of the Group.', { mutability: 'readOnly', referenceTypes: ['Group'] }),
      str('display', "The Group's display name.", { mutability: 'readOnly' }),
      str('type', "'direct' or 'indirect' membership.", { mutability: 'readOnly', canonicalValues: ['direct', 'indirect'] }),
    ], { multiValued: true, mutability: 'readOnly' }),
    multi('entitlements', 'Entitlements for the User.', []),
    multi('roles', 'Roles for the User.', []),
    multi('x509Certificates', 'X.509 certificates issued to the User.', []),
  ],
};

export const ENTERPRISE_USER_SCHEMA: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA_ID,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    str('employeeNumber', 'Numeric or alphanumeric identifier assigned to a person by the organization.'),
    str('costCenter', 'Identifies the name of a cost center.'),
    str('organization', 'Identifies the name of an organization.'),
    str('division', 'Identifies the name of a division.'),
    str('department', 'Identifies the name of a department.'),
    complex('manager', "The User's manager.", [
      str('value', 'The id of the SCIM resource representing the manager.'),
      attr('$ref', 'reference', 'The URI of the manager resource.', { referenceTypes: ['User'] }),
      str('displayName', "The manager's displayName.", { mutability: 'readOnly' }),
    ]),
  ],
};

export const GROUP_SCHEMA: SchemaDefinition = {
  id: CORE_GROUP_SCHEMA_ID,
  name: 'Group',
  description: 'Group',
  attributes: [
    str('displayName', 'A human-readable name for the Group. REQUIRED.', { required: true }),
    complex('members', 'A list of members of the Group.', [
      str('value', 'Identifier of the member of this Group.', { caseExact: true, mutability: 'immutable' }),
      attr('$ref', 'reference', 'The URI of the member resource.', { mutability: 'immutable', referenceTypes: ['User', 'Group'] }),
      str('display', 'The display name of the member.'),
      str('type', 'The type of the member resource.', { mutability: 'immutable', canonicalValues: ['User', 'Group'] }),
    ], { multiValued: true }),
  ],
};

export const USER_RESOURCE: ResourceSchema = {
  name: 'User',
  endpoint: '/Users',
  core: USER_SCHEMA,
  extensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
  common: COMMON_ATTRIBUTES,
};

export const GROUP_RESOURCE: ResourceSchema = {
  name: 'Group',
  endpoint: '/Groups',
  core: GROUP_SCHEMA,
  extensions: [],
  common: COMMON_ATTRIBUTES,
};

/** A schema as one entry of GET /Schemas (RFC 7643 section 8.7.1). */
export function renderSchemaResource(schema: SchemaDefinition, location?: string): JsonObject {
  const json = JSON.parse(JSON.stringify(schema)) as JsonObject;
  const meta: JsonObject = { resourceType: 'Schema' };
  if (location !== undefined) meta['location'] = location;
  return { schemas: [SCHEMA_SCHEMA_ID], ...json, meta };
}
