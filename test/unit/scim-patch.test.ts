import {
  GROUP_RESOURCE,
  PATCH_OP_SCHEMA,
  USER_RESOURCE,
  applyPatch,
  type JsonObject,
  type ResourceSchema,
  type ScimErrorType,
} from '../../src/scim/engine/index.js';
import { expectScimError } from '../helpers/scim-engine.js';

/** Frozen inputs make any mutation of the caller's object throw. */
function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v) as unknown[]) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const patch = (...Operations: JsonObject[]): JsonObject => ({ schemas: [PATCH_OP_SCHEMA], Operations });

const user = deepFreeze<JsonObject>({
  schemas: [CORE_USER],
  id: 'u-1',
  externalId: 'ext-1',
  userName: 'alice@example.com',
  name: { givenName: 'Alice', familyName: 'Smith', middleName: 'J' },
  displayName: 'Alice Smith',
  emails: [
    { value: 'alice@example.com', type: 'work', primary: true },
    { value: 'alice@home.org', type: 'home' },
  ],
  active: true,
  meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z', lastModified: '2024-01-01T00:00:00Z' },
});

const group = deepFreeze<JsonObject>({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
  id: 'g-1',
  displayName: 'Engineering',
  members: [{ value: 'u-1', display: 'Alice Smith' }, { value: '89bb1940-b905-4575-9e7f-6f887cfb368e' }],
  meta: { resourceType: 'Group' },
});

type Case = [name: string, resource: JsonObject, schema: ResourceSchema, body: JsonObject, expected: JsonObject];

describe('applyPatch: requests real IdPs send', () => {
  it.each<Case>([
    ['Okta deactivates a user with a path-less replace', user, USER_RESOURCE,
      patch({ op: 'replace', value: { active: false } }), { active: false }],
    ['Okta renames a group, echoing its id', group, GROUP_RESOURCE,
      patch({ op: 'replace', value: { id: 'g-1', displayName: 'Test SCIMv2' } }), { id: 'g-1', displayName: 'Test SCIMv2' }],
    ['Okta removes a member with a value filter', group, GROUP_RESOURCE,
      patch({ op: 'remove', path: 'members[value eq "89bb1940-b905-4575-9e7f-6f887cfb368e"]' }),
      { members: [{ value: 'u-1', display: 'Alice Smith' }] }],
    ['Okta adds members (existing ones are not duplicated)', group, GROUP_RESOURCE,
      patch({ op: 'add', path: 'members', value: [{ value: '23a35c27-23d3-4c03-b4c5-6443c09e7173', display: 'test.user@okta.local' }, { value: 'u-1' }] }),
      { members: [{ value: 'u-1', display: 'Alice Smith' }, { value: '89bb1940-b905-4575-9e7f-6f887cfb368e' }, { value: '23a35c27-23d3-4c03-b4c5-6443c09e7173', display: 'test.user@okta.local' }] }],
    ['Entra updates a work email and the family name ("Replace" capitalised)', user, USER_RESOURCE,
      patch(
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      ),
      { emails: [{ value: 'updatedEmail@microsoft.com', type: 'work', primary: true }, { value: 'alice@home.org', type: 'home' }], name: { givenName: 'Alice', familyName: 'updatedFamilyName', middleName: 'J' } }],
    ['Entra disables a user with a boolean', user, USER_RESOURCE,
      patch({ op: 'Replace', path: 'active', value: false }), { active: false }],
    ['Entra disables a user with the string "False"', user, USER_RESOURCE,
      patch({ op: 'Replace', path: 'active', value: 'False' }), { active: false }],
    ['Entra adds a manager as a one-element array with a null $ref', user, USER_RESOURCE,
      patch({ op: 'Add', path: 'manager', value: [{ $ref: null, value: '2819c223-7f76-453a-919d-413861904646' }] }),
      { schemas: [CORE_USER, ENT], [ENT]: { manager: { value: '2819c223-7f76-453a-919d-413861904646' } } }],
    ['Entra sets extension attributes by URN-prefixed path', user, USER_RESOURCE,
      patch(
        { op: 'Add', path: `${ENT}:employeeNumber`, value: '701984' },
        { op: 'Replace', path: `${ENT}:manager.value`, value: 'u-9' },
      ),
      { schemas: [CORE_USER, ENT], [ENT]: { employeeNumber: '701984', manager: { value: 'u-9' } } }],
    ['Entra path-less Add with dotted and URN-prefixed keys', user, USER_RESOURCE,
      patch({ op: 'Add', value: { displayName: 'Barbara Jensen', 'name.givenName': 'Barbara', [`${ENT}:department`]: 'Sales', active: 'True' } }),
      { displayName: 'Barbara Jensen', name: { givenName: 'Barbara', familyName: 'Smith', middleName: 'J' }, active: true, [ENT]: { department: 'Sales' } }],
    ['Entra adds an email whose type is not there yet (element created from the filter)', user, USER_RESOURCE,
      patch({ op: 'Add', path: 'emails[type eq "other"].value', value: 'alice@other.net' }),
      { emails: [{ value: 'alice@example.com', type: 'work', primary: true }, { value: 'alice@home.org', type: 'home' }, { type: 'other', value: 'alice@other.net' }] }],
    ['Entra renames a group', group, GROUP_RESOURCE,
      patch({ op: 'Replace', path: 'displayName', value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName' }),
      { displayName: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName' }],
    ['Entra adds a member with a null $ref', group, GROUP_RESOURCE,
      patch({ op: 'Add', path: 'members', value: [{ $ref: null, value: 'f648f8d5-ea3e-4ccb-a17c-6f7e8ab1b0b4' }] }),
      { members: [{ value: 'u-1', display: 'Alice Smith' }, { value: '89bb1940-b905-4575-9e7f-6f887cfb368e' }, { value: 'f648f8d5-ea3e-4ccb-a17c-6f7e8ab1b0b4' }] }],
    ['Entra removes members listed in value', group, GROUP_RESOURCE,
      patch({ op: 'Remove', path: 'members', value: [{ $ref: null, value: '89bb1940-b905-4575-9e7f-6f887cfb368e' }, { value: 'not-a-member' }] }),
      { members: [{ value: 'u-1', display: 'Alice Smith' }] }],
    ['OneLogin full-ish path-less replace with a nested extension object', user, USER_RESOURCE,
      patch({ op: 'replace', value: {
        schemas: [CORE_USER, ENT], userName: 'alice@example.com', externalId: 'ext-1',
        name: { givenName: 'Alicia', familyName: 'Smith' }, displayName: 'Alicia Smith',
        emails: [{ value: 'alicia@example.com', type: 'work', primary: true }], active: true,
        title: 'Engineer', [ENT]: { department: 'R&D', employeeNumber: '42' },
      } }),
      { schemas: [CORE_USER, ENT], name: { givenName: 'Alicia', familyName: 'Smith', middleName: 'J' }, displayName: 'Alicia Smith',
        emails: [{ value: 'alicia@example.com', type: 'work', primary: true }], title: 'Engineer', [ENT]: { department: 'R&D', employeeNumber: '42' } }],
  ])('%s', (_name, resource, schema, body, expected) => {
    const result = applyPatch(resource, body, schema);
    expect(result.changed).toBe(true);
    expect(result.resource).toMatchObject(expected);
  });
});

describe('applyPatch: RFC 7644 3.5.2 semantics', () => {
  it.each<[string, JsonObject, (r: JsonObject) => void]>([
    ['add on a multi-valued attribute appends and skips identical values',
      patch({ op: 'add', path: 'emails', value: [{ value: 'alice@home.org', type: 'home' }, { value: 'a@b.c', type: 'other' }] }),
      (r) => expect(r['emails']).toHaveLength(3)],
    ['add of a single object to a multi-valued attribute wraps it',
      patch({ op: 'add', path: 'phoneNumbers', value: { value: '+1 555', type: 'work' } }),
      (r) => expect(r['phoneNumbers']).toEqual([{ value: '+1 555', type: 'work' }])],
    ['a new primary value clears the old primary flag',
      patch({ op: 'add', path: 'emails', value: { value: 'new@example.com', type: 'work', primary: true } }),
      (r) => expect(r['emails']).toEqual([
        { value: 'alice@example.com', type: 'work', primary: false }, { value: 'alice@home.org', type: 'home' },
        { value: 'new@example.com', type: 'work', primary: true }])],
    ['replace on a multi-valued attribute replaces all values',
      patch({ op: 'replace', path: 'emails', value: [{ value: 'only@example.com' }] }),
      (r) => expect(r['emails']).toEqual([{ value: 'only@example.com' }])],
    ['replace with a filter and no sub-attribute replaces the matching element',
      patch({ op: 'replace', path: 'emails[type eq "home"]', value: { value: 'h@x.org', type: 'home' } }),
      (r) => expect(r['emails']).toEqual([{ value: 'alice@example.com', type: 'work', primary: true }, { value: 'h@x.org', type: 'home' }])],
    ['replace on a complex attribute merges sub-attributes',
      patch({ op: 'replace', path: 'name', value: { givenName: 'Al' } }),
      (r) => expect(r['name']).toEqual({ givenName: 'Al', familyName: 'Smith', middleName: 'J' })],
    ['remove with a filter removes matching elements',
      patch({ op: 'remove', path: 'emails[type eq "home"]' }),
      (r) => expect(r['emails']).toEqual([{ value: 'alice@example.com', type: 'work', primary: true }])],
    ['remove of a sub-attribute',
      patch({ op: 'remove', path: 'name.middleName' }),
      (r) => expect(r['name']).toEqual({ givenName: 'Alice', familyName: 'Smith' })],
    ['remove of a filtered sub-attribute',
      patch({ op: 'remove', path: 'emails[type eq "work"].primary' }),
      (r) => expect(r['emails']).toEqual([{ value: 'alice@example.com', type: 'work' }, { value: 'alice@home.org', type: 'home' }])],
    ['removing the last value leaves the attribute unassigned',
      patch({ op: 'remove', path: 'emails' }),
      (r) => expect(r).not.toHaveProperty('emails')],
    ['replace with null unassigns',
      patch({ op: 'replace', path: 'displayName', value: null }),
      (r) => expect(r).not.toHaveProperty('displayName')],
    ['attribute names and paths are case-insensitive and stored canonically',
      patch({ op: 'replace', path: 'Name.GivenName', value: 'Al' }, { op: 'replace', value: { DISPLAYNAME: 'Al S' } }),
      (r) => expect(r).toMatchObject({ name: { givenName: 'Al' }, displayName: 'Al S' })],
    ['core schema URN prefix',
      patch({ op: 'replace', path: `${CORE_USER}:displayName`, value: 'X' }),
      (r) => expect(r['displayName']).toBe('X')],
    ['a whole extension object by its URN path',
      patch({ op: 'add', path: ENT, value: { department: 'Ops', manager: 'u-7' } }),
      (r) => expect(r[ENT]).toEqual({ department: 'Ops', manager: { value: 'u-7' } })],
    ['removing the last extension attribute drops the extension and its schema URN',
      patch({ op: 'add', path: `${ENT}:department`, value: 'Ops' }, { op: 'remove', path: `${ENT}:department` }),
      (r) => { expect(r).not.toHaveProperty(ENT); expect(r['schemas']).toEqual([CORE_USER]); }],
    ['read-only sub-attributes inside a value are ignored',
      patch({ op: 'add', path: 'manager', value: { value: 'u-2', displayName: 'Bob' } }),
      (r) => expect(r[ENT]).toEqual({ manager: { value: 'u-2' } })],
    ['numbers sent for string attributes are stringified',
      patch({ op: 'add', path: `${ENT}:employeeNumber`, value: 42 }),
      (r) => expect(r[ENT]).toEqual({ employeeNumber: '42' })],
  ])('%s', (_name, body, check) => {
    check(applyPatch(user, body, USER_RESOURCE).resource);
  });

  it.each<[string, JsonObject, ResourceSchema, JsonObject]>([
    ['removing a member that is not there (idempotent retry)', group, GROUP_RESOURCE, patch({ op: 'remove', path: 'members[value eq "gone"]' })],
    ['replacing a value with itself', user, USER_RESOURCE, patch({ op: 'replace', value: { active: true, id: 'u-1' } })],
    ['adding a member who is already in the group', group, GROUP_RESOURCE, patch({ op: 'add', path: 'members', value: [{ value: 'u-1' }] })],
    ['removing an attribute that is not set', user, USER_RESOURCE, patch({ op: 'remove', path: 'title' })],
  ])('reports changed=false for %s', (_name, resource, schema, body) => {
    const result = applyPatch(resource, body, schema);
    expect(result.changed).toBe(false);
    expect(result.resource).toEqual(resource);
    expect(result.resource).not.toBe(resource);
  });
});

describe('applyPatch: malformed or forbidden requests', () => {
  it.each<[string, JsonObject, ResourceSchema, unknown, ScimErrorType]>([
    ['body is not an object', user, USER_RESOURCE, 'nope', 'invalidSyntax'],
    ['body is null', user, USER_RESOURCE, null, 'invalidSyntax'],
    ['schemas missing', user, USER_RESOURCE, { Operations: [{ op: 'add', path: 'title', value: 'x' }] }, 'invalidSyntax'],
    ['schemas without the PatchOp URN', user, USER_RESOURCE, { schemas: [CORE_USER], Operations: [{ op: 'add', path: 'title', value: 'x' }] }, 'invalidSyntax'],
    ['Operations missing', user, USER_RESOURCE, { schemas: [PATCH_OP_SCHEMA] }, 'invalidSyntax'],
    ['Operations empty', user, USER_RESOURCE, patch(), 'invalidSyntax'],
    ['Operations not an array', user, USER_RESOURCE, { schemas: [PATCH_OP_SCHEMA], Operations: { op: 'add' } }, 'invalidSyntax'],
    ['operation not an object', user, USER_RESOURCE, { schemas: [PATCH_OP_SCHEMA], Operations: ['add'] }, 'invalidSyntax'],
    ['unknown op', user, USER_RESOURCE, patch({ op: 'move', path: 'title', value: 'x' }), 'invalidSyntax'],
    ['op missing', user, USER_RESOURCE, patch({ path: 'title', value: 'x' }), 'invalidSyntax'],
    ['path not a string', user, USER_RESOURCE, patch({ op: 'add', path: 42, value: 'x' }), 'invalidPath'],
    ['add without value', user, USER_RESOURCE, patch({ op: 'add', path: 'title' }), 'invalidValue'],
    ['remove without path', user, USER_RESOURCE, patch({ op: 'remove' }), 'noTarget'],
    ['remove the required userName', user, USER_RESOURCE, patch({ op: 'remove', path: 'userName' }), 'invalidValue'],
    ['replace userName with an empty string', user, USER_RESOURCE, patch({ op: 'replace', path: 'userName', value: '' }), 'invalidValue'],
    ['remove the required group displayName', group, GROUP_RESOURCE, patch({ op: 'remove', path: 'displayName' }), 'invalidValue'],
    ['replace id', user, USER_RESOURCE, patch({ op: 'replace', path: 'id', value: 'u-2' }), 'mutability'],
    ['path-less replace with a different id', user, USER_RESOURCE, patch({ op: 'replace', value: { id: 'u-2' } }), 'mutability'],
    ['remove id', user, USER_RESOURCE, patch({ op: 'remove', path: 'id' }), 'mutability'],
    ['replace meta.lastModified', user, USER_RESOURCE, patch({ op: 'replace', path: 'meta.lastModified', value: '2030-01-01T00:00:00Z' }), 'mutability'],
    ['add to the read-only groups attribute', user, USER_RESOURCE, patch({ op: 'add', path: 'groups', value: [{ value: 'g-1' }] }), 'mutability'],
    ['change a member value (immutable)', group, GROUP_RESOURCE, patch({ op: 'replace', path: 'members[value eq "u-1"].value', value: 'u-3' }), 'mutability'],
    ['replace through a filter that matches nothing', user, USER_RESOURCE, patch({ op: 'replace', path: 'emails[type eq "other"].value', value: 'x@y.z' }), 'noTarget'],
    ['replace a sub-attribute of an empty multi-valued attribute', user, USER_RESOURCE, patch({ op: 'replace', path: 'phoneNumbers.value', value: '1' }), 'noTarget'],
    ['unknown attribute', user, USER_RESOURCE, patch({ op: 'add', path: 'shoeSize', value: '9' }), 'invalidPath'],
    ['unknown sub-attribute', user, USER_RESOURCE, patch({ op: 'add', path: 'name.nickname', value: 'x' }), 'invalidPath'],
    ['unknown schema URN', user, USER_RESOURCE, patch({ op: 'add', path: 'urn:example:2.0:User:x', value: 'x' }), 'invalidPath'],
    ['malformed value filter', user, USER_RESOURCE, patch({ op: 'remove', path: 'emails[type eq]' }), 'invalidPath'],
    ['unterminated value filter', user, USER_RESOURCE, patch({ op: 'remove', path: 'emails[type eq "work"' }), 'invalidPath'],
    ['value filter on a single-valued attribute', user, USER_RESOURCE, patch({ op: 'remove', path: 'name[givenName eq "Alice"]' }), 'invalidPath'],
    ['unknown sub-attribute after a value filter', user, USER_RESOURCE, patch({ op: 'remove', path: 'emails[type eq "work"].nope' }), 'invalidPath'],
    ['garbage after a value filter', user, USER_RESOURCE, patch({ op: 'remove', path: 'emails[type eq "work"]x' }), 'invalidPath'],
    ['empty path', user, USER_RESOURCE, patch({ op: 'remove', path: '' }), 'invalidPath'],
    ['filter in a path-less key', user, USER_RESOURCE, patch({ op: 'add', value: { 'emails[type eq "work"].value': 'x' } }), 'invalidPath'],
    ['boolean that is not true/false', user, USER_RESOURCE, patch({ op: 'replace', path: 'active', value: 'yes' }), 'invalidValue'],
    ['object for a string attribute', user, USER_RESOURCE, patch({ op: 'replace', path: 'displayName', value: { a: 1 } }), 'invalidValue'],
    ['unknown sub-attribute inside a value', user, USER_RESOURCE, patch({ op: 'add', path: 'emails', value: [{ value: 'a@b.c', kind: 'x' }] }), 'invalidValue'],
    ['path-less value that is not an object', user, USER_RESOURCE, patch({ op: 'replace', value: 'x' }), 'invalidValue'],
    ['two managers', user, USER_RESOURCE, patch({ op: 'add', path: 'manager', value: [{ value: 'a' }, { value: 'b' }] }), 'invalidValue'],
    ['extension URN set to a non-object', user, USER_RESOURCE, patch({ op: 'add', value: { [ENT]: 'x' } }), 'invalidValue'],
    ['boolean for a string attribute', user, USER_RESOURCE, patch({ op: 'replace', path: 'displayName', value: true }), 'invalidValue'],
    ['array for a single-valued simple attribute', user, USER_RESOURCE, patch({ op: 'replace', path: 'title', value: ['a'] }), 'invalidValue'],
  ])('%s', (_name, resource, schema, body, scimType) => {
    expectScimError(() => applyPatch(resource, body, schema), 400, scimType);
  });

  it('is atomic: a failing later operation applies nothing and leaves the input untouched', () => {
    const body = patch({ op: 'replace', path: 'displayName', value: 'Changed' }, { op: 'replace', path: 'id', value: 'x' });
    expectScimError(() => applyPatch(user, body, USER_RESOURCE), 400, 'mutability');
    expect(user['displayName']).toBe('Alice Smith');
  });

  it('renders the error as a SCIM error body', () => {
    const err = expectScimError(() => applyPatch(user, patch({ op: 'remove' }), USER_RESOURCE), 400, 'noTarget');
    expect(err.toScimErrorBody()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'noTarget', detail: err.detail,
    });
  });
});
