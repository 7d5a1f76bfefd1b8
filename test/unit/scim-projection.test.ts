import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_RESOURCE,
  USER_RESOURCE,
  USER_SCHEMA,
  compareForSort,
  makeSortComparator,
  paginate,
  parseSortOrder,
  projectAttributes,
  renderSchemaResource,
  validatePaging,
  type JsonObject,
  type ProjectionOptions,
} from '../../src/scim/engine/index.js';
import { expectScimError } from '../helpers/scim-engine.js';

const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const meta = { resourceType: 'User', created: '2024-01-01T00:00:00Z', lastModified: '2024-01-01T00:00:00Z', location: '/Users/u-1' };

const user: JsonObject = {
  schemas: [CORE_USER, ENT],
  id: 'u-1',
  externalId: 'ext-1',
  userName: 'alice',
  password: 's3cret',
  name: { givenName: 'Alice', familyName: 'Smith' },
  emails: [{ value: 'a@example.com', type: 'work', primary: true }],
  active: true,
  [ENT]: { department: 'Eng', employeeNumber: '7' },
  meta,
};
const always = { schemas: [CORE_USER, ENT], id: 'u-1', meta };

describe('projectAttributes', () => {
  it.each<[string, ProjectionOptions, JsonObject]>([
    ['default drops returned:never (password)', {}, (({ password: _p, ...rest }) => rest)(user)],
    ['attributes keeps only those plus id/schemas/meta', { attributes: 'userName' }, { ...always, userName: 'alice' }],
    ['attribute names are case-insensitive', { attributes: 'USERNAME,Active' }, { ...always, userName: 'alice', active: true }],
    ['a sub-attribute keeps only that part', { attributes: 'name.givenName' }, { ...always, name: { givenName: 'Alice' } }],
    ['a multi-valued sub-attribute', { attributes: ['emails.value'] }, { ...always, emails: [{ value: 'a@example.com' }] }],
    ['an extension attribute by URN', { attributes: `${ENT}:department` }, { ...always, [ENT]: { department: 'Eng' } }],
    ['a whole extension by URN', { attributes: ENT }, { ...always, [ENT]: { department: 'Eng', employeeNumber: '7' } }],
    ['password is not returned even when asked for', { attributes: 'password,userName' }, { ...always, userName: 'alice' }],
    ['unknown names are ignored', { attributes: 'userName,shoeSize' }, { ...always, userName: 'alice' }],
    ['excludedAttributes cannot drop always-returned attributes', { excludedAttributes: 'id,meta,schemas,name,emails,active,externalId,userName' },
      { ...always, [ENT]: { department: 'Eng', employeeNumber: '7' } }],
    ['excluding a sub-attribute', { excludedAttributes: 'name.familyName,emails.type,emails.primary,' + ENT },
      { ...always, externalId: 'ext-1', userName: 'alice', name: { givenName: 'Alice' }, emails: [{ value: 'a@example.com' }], active: true }],
  ])('%s', (_name, options, expected) => {
    expect(projectAttributes(user, options, USER_RESOURCE)).toEqual(expected);
  });

  it('Entra: GET /Groups?excludedAttributes=members', () => {
    const group: JsonObject = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], id: 'g-1', displayName: 'G', members: [{ value: 'u-1' }], meta: { resourceType: 'Group' } };
    expect(projectAttributes(group, { excludedAttributes: 'members' }, GROUP_RESOURCE)).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], id: 'g-1', displayName: 'G', meta: { resourceType: 'Group' },
    });
  });

  it('does not mutate its input', () => {
    const copy = structuredClone(user);
    projectAttributes(user, { attributes: 'userName' }, USER_RESOURCE);
    expect(user).toEqual(copy);
  });

  // The default projection skips copying what it keeps; it must still give exactly what the general one gives for an empty selection.
  it.each<[string, JsonObject, typeof USER_RESOURCE]>([
    ['a full user', user, USER_RESOURCE],
    ['attribute names in odd case, an unknown attribute, nulls', { ...user, UserName: 'bob', PASSWORD: 'x', nickName: null, futureAttr: { a: 1 } }, USER_RESOURCE],
    ['an empty extension object is left out', { ...user, [ENT]: {} }, USER_RESOURCE],
    ['an extension with an unknown key', { ...user, [ENT]: { department: 'Eng', custom: 'kept' } }, USER_RESOURCE],
    ['emails with extra sub-attributes', { ...user, emails: [{ value: 'a@example.com', display: 'A', extra: 1 }, 'not an object'] }, USER_RESOURCE],
    ['a group', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], id: 'g-1', displayName: 'Eng', members: [{ value: 'u-1', display: 'alice' }], meta }, GROUP_RESOURCE],
  ])('the default projection equals the general projection with nothing selected: %s', (_name, resource, schema) => {
    // An exclusion that names no known attribute selects nothing but takes the general path.
    expect(projectAttributes(resource, {}, schema)).toEqual(projectAttributes(resource, { excludedAttributes: 'noSuchAttribute' }, schema));
    expect(projectAttributes(resource, { attributes: [], excludedAttributes: ' , ' }, schema)).toEqual(projectAttributes(resource, { excludedAttributes: 'noSuchAttribute' }, schema));
  });
});

const u = (id: string, extra: JsonObject): JsonObject => ({ id, ...extra });
const people = [
  u('1', { userName: 'bob', meta: { lastModified: '2024-03-01T00:00:00Z' }, emails: [{ value: 'z@x' }, { value: 'b@x', primary: true }] }),
  u('2', { userName: 'Alice', meta: { lastModified: '2024-01-01T05:00:00+05:00' }, emails: [{ value: 'c@x' }] }),
  u('3', { meta: { lastModified: '2024-02-01T00:00:00Z' } }),
  u('4', { userName: 'carol', meta: { lastModified: '2023-12-31T23:30:00Z' } }),
];
const sortIds = (sortBy: string, order?: 'ascending' | 'descending'): string[] =>
  [...people].sort(makeSortComparator(sortBy, USER_RESOURCE, order)).map((p) => String(p['id']));

describe('sorting', () => {
  it.each<[string, string, 'ascending' | 'descending' | undefined, string[]]>([
    ['strings sort case-insensitively, unassigned last', 'userName', undefined, ['2', '1', '4', '3']],
    ['descending reverses, unassigned first', 'userName', 'descending', ['3', '4', '1', '2']],
    ['dateTime sorts as instants', 'meta.lastModified', 'ascending', ['4', '2', '3', '1']],
    ['multi-valued sorts by the primary value, else the first', 'emails.value', 'ascending', ['1', '2', '3', '4']],
    ['attribute names are case-insensitive', 'USERNAME', undefined, ['2', '1', '4', '3']],
  ])('%s', (_name, sortBy, order, expected) => {
    expect(sortIds(sortBy, order)).toEqual(expected);
  });

  it('compareForSort compares two resources', () => {
    expect(compareForSort(people[1] as JsonObject, people[0] as JsonObject, 'userName', USER_RESOURCE)).toBeLessThan(0);
    expect(compareForSort(people[2] as JsonObject, people[0] as JsonObject, 'userName', USER_RESOURCE)).toBeGreaterThan(0);
  });

  it.each([
    ['unknown sortBy', () => makeSortComparator('shoeSize', USER_RESOURCE)],
    ['complex sortBy', () => makeSortComparator('name', USER_RESOURCE)],
    ['bad sortOrder', () => parseSortOrder('up')],
  ])('%s is 400 invalidValue', (_name, fn) => {
    expectScimError(fn, 400, 'invalidValue');
  });

  it('parseSortOrder accepts any case and defaults to ascending', () => {
    expect(parseSortOrder('Descending')).toBe('descending');
    expect(parseSortOrder(undefined)).toBe('ascending');
  });
});

describe('validatePaging', () => {
  it.each<[string, unknown, unknown, { startIndex: number; count: number }]>([
    ['defaults', undefined, undefined, { startIndex: 1, count: 100 }],
    ['Okta connection test ?startIndex=1&count=2', '1', '2', { startIndex: 1, count: 2 }],
    ['startIndex below 1 means 1', '0', '10', { startIndex: 1, count: 10 }],
    ['negative startIndex means 1', -5, 10, { startIndex: 1, count: 10 }],
    ['negative count means 0', 1, '-1', { startIndex: 1, count: 0 }],
    ['count is capped', 1, '5000', { startIndex: 1, count: 1000 }],
    ['empty strings are absent', '', '', { startIndex: 1, count: 100 }],
  ])('%s', (_name, startIndex, count, expected) => {
    expect(validatePaging(startIndex, count)).toEqual(expected);
  });

  it.each([
    ['non-numeric startIndex', 'abc', '1'],
    ['fractional count', '1', '1.5'],
    ['repeated query parameter', ['1', '2'], '1'],
    ['NaN', Number.NaN, '1'],
  ])('%s is 400 invalidValue', (_name, startIndex, count) => {
    expectScimError(() => validatePaging(startIndex, count), 400, 'invalidValue');
  });

  it('honours options and paginates 1-based', () => {
    const paging = validatePaging('2', undefined, { defaultCount: 2, maxCount: 10 });
    expect(paginate(['a', 'b', 'c', 'd'], paging)).toEqual(['b', 'c']);
  });
});

describe('schema definitions', () => {
  it('render as RFC 7643 section 8.7.1 /Schemas entries', () => {
    const rendered = renderSchemaResource(USER_SCHEMA, '/v2/Schemas/' + CORE_USER);
    expect(rendered).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'], id: CORE_USER, name: 'User',
      meta: { resourceType: 'Schema', location: '/v2/Schemas/' + CORE_USER },
    });
    expect(rendered['attributes']).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'userName', type: 'string', required: true, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'server' }),
    ]));
    expect(renderSchemaResource(ENTERPRISE_USER_SCHEMA)['attributes']).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'manager', type: 'complex', subAttributes: expect.arrayContaining([expect.objectContaining({ name: 'value' })]) }),
    ]));
  });
});
