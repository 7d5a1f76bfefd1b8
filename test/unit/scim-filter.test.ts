import {
  GROUP_RESOURCE,
  MAX_FILTER_DEPTH,
  USER_RESOURCE,
  compileFilter,
  matchesFilter,
  parseFilter,
  type JsonObject,
} from '../../src/scim/engine/index.js';
import { expectScimError } from '../helpers/scim-engine.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const alice: JsonObject = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT],
  id: 'u-1',
  externalId: 'EXT-1',
  userName: 'Alice@Example.com',
  name: { givenName: 'Alice', familyName: 'Smith', formatted: 'Alice Smith' },
  displayName: 'Alice Smith',
  emails: [
    { value: 'alice@example.com', type: 'work', primary: true },
    { value: 'alice@home.org', type: 'home' },
  ],
  active: true,
  [ENT]: { department: 'Engineering', employeeNumber: '1001', manager: { value: 'u-2' } },
  meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z', lastModified: '2024-06-01T12:00:00Z' },
};
const bob: JsonObject = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: 'u-2',
  userName: 'bob',
  title: 'CTO',
  active: false,
  emails: [],
  meta: { resourceType: 'User', created: '2023-05-01T09:00:00+02:00', lastModified: '2024-01-02T00:00:00.000Z' },
};
const users = [alice, bob];

const group: JsonObject = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
  id: 'g-1',
  displayName: 'Engineering',
  members: [{ value: 'u-1', display: 'Alice Smith' }, { value: 'u-2' }],
  meta: { resourceType: 'Group' },
};

const matchingIds = (filter: string): string[] => {
  const match = compileFilter(filter, USER_RESOURCE);
  return users.filter(match).map((u) => String(u['id']));
};

describe('parseFilter: structure', () => {
  it.each([
    ['and binds tighter than or', 'title pr or userName pr and active pr', { kind: 'or', left: { kind: 'present', attrPath: 'title' }, right: { kind: 'and', left: { kind: 'present', attrPath: 'userName' }, right: { kind: 'present', attrPath: 'active' } } }],
    ['parentheses override precedence', '(title pr or userName pr) and active pr', { kind: 'and', left: { kind: 'or' }, right: { kind: 'present' } }],
    ['operator keywords are case-insensitive', 'userName EQ "x" AnD active Eq TRUE', { kind: 'and', left: { op: 'eq', value: 'x' }, right: { op: 'eq', value: true } }],
    ['not takes a parenthesised filter', 'not (active eq false)', { kind: 'not', filter: { kind: 'compare', op: 'eq', value: false } }],
    ['not without a space', 'not(title pr)', { kind: 'not' }],
    ['JSON string escapes', String.raw`displayName eq "a\"b\\c\u00e9"`, { value: 'a"b\\cé' }],
    ['numbers', 'x eq -1.5e2', { value: -150 }],
    ['null literal', 'title eq null', { value: null }],
    ['value path', 'emails[type eq "work" and primary eq true]', { kind: 'valuePath', attrPath: 'emails', filter: { kind: 'and' } }],
    ['value path then sub-attribute', 'emails[type eq "work"].value eq "a@b.c"', { kind: 'valuePath', then: { kind: 'compare', attrPath: 'value', value: 'a@b.c' } }],
    ['schema URN prefix', `${ENT}:manager.value eq "u-2"`, { attrPath: `${ENT}:manager.value` }],
    ['extra whitespace', '  userName   eq   "x"  ', { kind: 'compare' }],
  ])('%s', (_name, text, shape) => {
    expect(parseFilter(text)).toMatchObject(shape);
  });
});

describe('matchesFilter: IdP filters', () => {
  it.each([
    ['Okta/Entra/OneLogin userName lookup is case-insensitive', 'userName eq "alice@example.com"', ['u-1']],
    ['Entra externalId lookup is case-exact (hit)', 'externalId eq "EXT-1"', ['u-1']],
    ['Entra externalId lookup is case-exact (miss)', 'externalId eq "ext-1"', []],
    ['Entra email lookup via value path and sub-attribute', 'emails[type eq "work"].value eq "alice@example.com"', ['u-1']],
    ['value path then sub-attribute must hold on the same element', 'emails[type eq "home"].value eq "alice@example.com"', []],
    ['Entra "and" of two lookups', 'userName eq "bob" and active eq false', ['u-2']],
    ['id is case-exact', 'id eq "U-1"', []],
  ])('%s: %s', (_name, filter, expected) => {
    expect(matchingIds(filter)).toEqual(expected);
  });

  it('Okta/Entra group lookup by displayName', () => {
    expect(matchesFilter(group, 'displayName eq "engineering"', GROUP_RESOURCE)).toBe(true);
  });
  it('Entra membership check: id eq ... and members[value eq ...]', () => {
    expect(matchesFilter(group, 'id eq "g-1" and members[value eq "u-2"]', GROUP_RESOURCE)).toBe(true);
    expect(matchesFilter(group, 'id eq "g-1" and members[value eq "u-9"]', GROUP_RESOURCE)).toBe(false);
  });
});

describe('matchesFilter: RFC 7644 3.4.2.2 semantics', () => {
  it.each([
    ['co on a dotted multi-valued sub-attribute', 'emails.value co "HOME"', ['u-1']],
    ['a multi-valued complex attribute compares its value sub-attribute', 'emails co "home.org"', ['u-1']],
    ['sw on a single-valued sub-attribute', 'name.familyName sw "sm"', ['u-1']],
    ['ew', 'userName ew ".COM"', ['u-1']],
    ['ne matches an unassigned attribute', 'title ne "CTO"', ['u-1']],
    ['pr is false for a missing attribute', 'title pr', ['u-2']],
    ['pr is false for an empty array', 'emails pr', ['u-1']],
    ['eq null means unassigned', 'title eq null', ['u-1']],
    ['ne null means assigned', 'title ne null', ['u-2']],
    ['gt on dateTime compares instants', 'meta.lastModified gt "2024-01-01T23:00:00-02:00"', ['u-1']],
    ['eq on dateTime ignores representation', 'meta.lastModified eq "2024-01-02T00:00:00Z"', ['u-2']],
    ['le on dateTime with an offset', 'meta.created le "2023-05-01T07:00:00Z"', ['u-2']],
    ['gt on strings is lexicographic and case-insensitive', 'userName gt "B"', ['u-2']],
    ['lt on strings', 'userName lt "b"', ['u-1']],
    ['boolean eq', 'active eq true', ['u-1']],
    ['boolean given as a "True" string', 'active eq "True"', ['u-1']],
    ['not', 'not (active eq true)', ['u-2']],
    ['or', 'userName eq "bob" or externalId eq "EXT-1"', ['u-1', 'u-2']],
    ['value path with and inside', 'emails[type eq "work" and primary eq true]', ['u-1']],
    ['value path with or inside', 'emails[type eq "other" or value ew "org"]', ['u-1']],
    ['value path then pr', 'emails[type eq "home"].primary pr', []],
    ['core schema URN prefix', 'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "ALICE"', ['u-1']],
    ['enterprise URN prefix', `${ENT}:department eq "engineering"`, ['u-1']],
    ['unprefixed enterprise attribute', 'manager.value eq "u-2"', ['u-1']],
    ['attribute names are case-insensitive', 'USERNAME eq "bob" and Name.FamilyName pr', []],
    ['meta.resourceType', 'meta.resourceType eq "User"', ['u-1', 'u-2']],
  ])('%s: %s', (_name, filter, expected) => {
    expect(matchingIds(filter)).toEqual(expected);
  });
});

describe('parseFilter / compileFilter: malformed input is a 400 invalidFilter', () => {
  const deep = `${'('.repeat(MAX_FILTER_DEPTH + 1)}title pr${')'.repeat(MAX_FILTER_DEPTH + 1)}`;
  it.each([
    ['empty filter', '', /empty/],
    ['unterminated string', 'userName eq "bob', /unterminated string/],
    ['unknown operator', 'userName like "bob"', /unknown operator "like"/],
    ['missing operator', 'userName', /expected an operator/],
    ['missing value', 'userName eq', /expected a value/],
    ['bare word value', 'userName eq bob', /expected a value/],
    ['single-quoted string', "userName eq 'bob'", /double quotes/],
    ['trailing garbage', 'userName eq "bob" extra', /unexpected "extra"/],
    ['dangling and', 'userName eq "bob" and', /filter ended/],
    ['unbalanced open paren', '(userName pr', /missing "\)"/],
    ['unbalanced close paren', 'userName pr)', /unbalanced "\)"/],
    ['unclosed value path', 'emails[type eq "work"', /missing "\]"/],
    ['nested value paths', 'emails[type[value pr]]', /cannot be nested/],
    ['not without parentheses', 'not active eq true', /parenthesised/],
    ['too deep', deep, /deeper than/],
    ['bad number', 'x eq 1.2.3', /invalid number/],
    ['bad escape', String.raw`userName eq "a\q"`, /escape/],
    ['a raw control character in a string', 'userName eq "a\u0001b"', /control character/],
    ['a raw tab in a string', 'userName eq "a\tb"', /control character/],
    ['invalid attribute path', 'name..givenName pr', /not a valid attribute path/],
    ['string where a path belongs', '"bob" eq userName', /found a string/],
    ['too long', `userName eq "${'x'.repeat(9000)}"`, /longer than/],
  ])('%s', (_name, text, detail) => {
    const err = expectScimError(() => compileFilter(text, USER_RESOURCE), 400, 'invalidFilter');
    expect(err.detail).toMatch(detail);
  });

  it.each([
    ['boolean with gt', 'active gt true', /booleans only support/],
    ['boolean with a non-boolean value', 'active eq "yes"', /true or false/],
    ['complex attribute without sub-attribute', 'name eq "Alice"', /sub-attributes/],
    ['single-valued complex manager without sub-attribute', 'manager eq "u-2"', /sub-attributes/],
    ['unknown attribute', 'nickname2 eq "x"', /unknown attribute/],
    ['unknown sub-attribute', 'name.nope eq "x"', /no sub-attribute/],
    ['unknown schema URN', 'urn:example:custom:2.0:User:foo eq "x"', /schema URN/],
    ['number against a string attribute', 'userName eq 5', /quoted string/],
    ['invalid dateTime literal', 'meta.lastModified gt "yesterday"', /not a valid dateTime/],
    ['gt null', 'title gt null', /cannot compare with null/],
    ['unknown sub-attribute in a value path', 'emails[kind eq "work"]', /not a sub-attribute/],
    ['value path on a simple attribute', 'userName[value eq "x"]', /complex attribute/],
    ['value path on a sub-attribute', 'emails.value[type eq "work"]', /complex attribute/],
  ])('semantic error: %s', (_name, text, detail) => {
    const err = expectScimError(() => compileFilter(text, USER_RESOURCE), 400, 'invalidFilter');
    expect(err.detail).toMatch(detail);
  });

  it.each([
    ['escapes', String.raw`userName eq "a\"b\\c\u00e9"`, 'a"b\\cé'],
    ['a plain string', 'userName eq "bjensen@example.com"', 'bjensen@example.com'],
    ['non-ASCII text', 'userName eq "zoë 😀"', 'zoë 😀'],
    ['Unicode spaces between tokens (as /\\s/ reads them)', 'userName\u00a0eq\u2003"x"\ufeff', 'x'],
    ['ASCII spaces of every kind', '\t\n\u000b\u000c\ruserName eq "x" ', 'x'],
  ])('reads %s', (_name, text, value) => {
    expect(parseFilter(text)).toMatchObject({ kind: 'compare', attrPath: 'userName', op: 'eq', value });
  });

  it.each([[undefined], [42], [null], [{}]])('non-string filter %p', (input) => {
    expectScimError(() => parseFilter(input), 400, 'invalidFilter');
  });

  it('semantic errors surface even with no resources to match', () => {
    expectScimError(() => compileFilter('active gt true', USER_RESOURCE), 400, 'invalidFilter');
  });
});
