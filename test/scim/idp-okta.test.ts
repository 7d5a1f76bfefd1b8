/**
 * Okta as the identity provider: the request sequences of Okta's public SCIM
 * documentation, replayed literally (bodies, query strings, headers) against
 * the emulator.
 *
 * Sources:
 *  - [REF] Okta, "SCIM 2.0 Protocol Reference" (developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20/;
 *    okta/okta-developer-docs: packages/@okta/vuepress-site/docs/reference/scim/scim-20/index.md)
 *  - [SPEC] Okta, "Build your SCIM API service" > "Test your SCIM API": the Okta SCIM 2.0 SPEC
 *    Runscope suite (Required Tests: Test Users endpoint, Get Users/{id}, invalid User by username /
 *    by ID, random user doesn't exist, create, verify, recreate -> 409, username case sensitivity,
 *    Groups endpoint, 401, 404), with its example variables (UserIdThatDoesNotExist
 *    010101001010101011001010101011, randomUsernameCaps).
 */
import { DEMO_ZONE_ID, ok } from '../helpers/api.js';
import {
  URN,
  createUser,
  expectListResponse,
  expectPatched,
  expectScimError,
  getResource,
  memberIds,
  scimEmulator,
  type Json,
  type ScimCall,
  type ScimEmulator,
} from '../helpers/scim.js';

let t: ScimEmulator;
/** Requests with the headers Okta's client sends. */
let okta: ScimCall;
beforeEach(async () => {
  t = await scimEmulator();
  okta = (method, path, body, headers = {}) =>
    t.scim(method, path, body, {
      'User-Agent': 'Okta SCIM Client 1.0.0',
      Accept: 'application/scim+json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/scim+json; charset=utf-8' }),
      ...headers,
    });
});
afterEach(() => t.close());

const ZoneId = DEMO_ZONE_ID;

/** [REF] "Create the User": the literal request body. */
const OKTA_CREATE_USER = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: 'test.user@okta.local',
  name: { givenName: 'Test', familyName: 'User' },
  emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
  displayName: 'Test User',
  locale: 'en-US',
  externalId: '00ujl29u0le5T6Aj10h7',
  groups: [],
  password: '1mz050nq',
  active: true,
};

/** [REF] "Determine if the User already exists": the literal request line. */
const OKTA_LOOKUP = '/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100';

async function oktaCreatesTestUser(): Promise<Json> {
  const res = await okta('POST', '/Users', OKTA_CREATE_USER);
  expect(res.status).toBe(201);
  return res.body as Json;
}

async function apiUser(userId: string): Promise<Json> {
  return ok(await t.emu.call('GetUser', { ZoneId, UserId: userId })).UserInfo as Json;
}

describe('Okta user provisioning', () => {
  // [REF] Create Users > Determine if the User already exists: an empty ListResponse means "create".
  test('the userName lookup before creation answers an empty ListResponse with integer counters', async () => {
    const res = await okta('GET', OKTA_LOOKUP);
    const body = expectListResponse(res);
    expect(body).toMatchObject({ totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  // [REF] Create the User: the literal body, 201 with the created user; Okta's password is never echoed.
  test('Okta\'s create-user request creates the user and the response echoes its profile', async () => {
    const res = await okta('POST', '/Users', OKTA_CREATE_USER);
    expect(res.status).toBe(201);
    const user = res.body as Json;
    expect(user).toMatchObject({
      schemas: expect.arrayContaining([URN.user]),
      id: expect.any(String),
      userName: 'test.user@okta.local',
      name: { givenName: 'Test', familyName: 'User' },
      emails: [expect.objectContaining({ primary: true, value: 'test.user@okta.local', type: 'work' })],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      active: true,
      meta: { resourceType: 'User' },
    });
    expect(user).not.toHaveProperty('password');
    expect(await apiUser(user.id as string)).toMatchObject({
      UserName: 'test.user@okta.local',
      FirstName: 'Test',
      LastName: 'User',
      DisplayName: 'Test User',
      Email: 'test.user@okta.local',
      UserStatus: 'Enabled',
      UserType: 'Synchronized',
    });
  });

  // [REF] "If the SCIM server does return a User object, Okta automatically matches the result".
  test('after creation the same lookup finds exactly that user', async () => {
    const user = await oktaCreatesTestUser();
    const body = expectListResponse(await okta('GET', OKTA_LOOKUP));
    expect(body.totalResults).toBe(1);
    expect(body.Resources[0]).toMatchObject({ id: user.id, userName: 'test.user@okta.local', active: true });
  });

  // [SPEC] "Username Case Sensitivity Check": the lookup with randomUsernameCaps finds the user.
  test('the lookup with the userName in capitals finds the same user', async () => {
    const user = await oktaCreatesTestUser();
    const res = await okta('GET', '/Users?filter=userName%20eq%20%22TEST.USER%40OKTA.LOCAL%22&startIndex=1&count=100');
    expect(expectListResponse(res).Resources.map((r) => r.id)).toEqual([user.id]);
  });

  // [REF] "If the User object that Okta tries to create already exists ... respond with an error schema" (409);
  // [SPEC] "Expect failure when recreating user with same values".
  test('creating the same user again is 409 with a SCIM error body', async () => {
    await oktaCreatesTestUser();
    expectScimError(await okta('POST', '/Users', OKTA_CREATE_USER), 409, 'uniqueness');
  });

  // [SPEC] "Create Okta user with realistic values" is sent as Content-Type application/json.
  test('a create sent as application/json is accepted too', async () => {
    const res = await okta('POST', '/Users', { ...OKTA_CREATE_USER, userName: 'runscope300hfluaklab151@example.com', emails: [{ primary: true, value: 'runscope300hfluaklab151@example.com', type: 'work' }], externalId: undefined }, { 'Content-Type': 'application/json' });
    expect(res.status).toBe(201);
  });

  // [SPEC] "Test Users endpoint" (GET /Users?count=1&startIndex=1) and "Get Users/{id}".
  test('the SPEC suite\'s first requests list one user and read it back by id', async () => {
    const user = await oktaCreatesTestUser();
    const first = expectListResponse(await okta('GET', '/Users?count=1&startIndex=1'));
    expect(first).toMatchObject({ totalResults: 1, itemsPerPage: 1, startIndex: 1 });
    const listed = first.Resources[0]!;
    expect(listed.id).toBe(user.id);
    expect(listed.name).toMatchObject({ givenName: 'Test', familyName: 'User' });
    expect(listed.emails[0].value).toBe('test.user@okta.local');
    expect(listed.active).toBe(true);
    expect(await getResource(okta, `/Users/${user.id as string}`)).toMatchObject({ id: user.id, userName: 'test.user@okta.local' });
  });

  // [SPEC] "Test invalid User by username" / "Make sure random user doesn't exist".
  test('a lookup for a userName that does not exist is 200 with totalResults 0', async () => {
    const res = await okta('GET', '/Users?filter=userName%20eq%20%22abcdefgh%40example.com%22&startIndex=1&count=100');
    expect(expectListResponse(res).totalResults).toBe(0);
  });

  // [SPEC] "Test invalid User by ID" / "Check status 404": the id 010101001010101011001010101011.
  test('GET of a user id that does not exist is 404 with a SCIM error body', async () => {
    expectScimError(await okta('GET', '/Users/010101001010101011001010101011'), 404);
  });

  // [SPEC] "Check status 401": a request without valid credentials.
  test('a request with a wrong token is 401 with status "401" in the SCIM error body', async () => {
    const res = await t.as('non-token')('GET', '/Users?filter=userName%20eq%20%22TEST.USER%40OKTA.LOCAL%22');
    expectScimError(res, 401);
  });

  // [SPEC] "Verify Groups endpoint": GET /Groups answers a ListResponse even with no groups.
  test('the Groups endpoint answers an empty ListResponse when there are no groups', async () => {
    const body = expectListResponse(await okta('GET', '/Groups?startIndex=1&count=100'));
    expect(body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  // [REF] Update a specific User (PUT): GET the user, change attributes, PUT the whole object back.
  test('update: Okta GETs the user and PUTs the whole object back with the changed names', async () => {
    const user = await oktaCreatesTestUser();
    const before = await getResource(okta, `/Users/${user.id as string}`);
    const res = await okta('PUT', `/Users/${user.id as string}`, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      id: user.id,
      userName: 'test.user@okta.local',
      name: { givenName: 'Another', middleName: 'Excited', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work', display: 'test.user@okta.local' }],
      active: true,
      groups: [],
      meta: { resourceType: 'User' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: user.id,
      userName: 'test.user@okta.local',
      name: { givenName: 'Another', middleName: 'Excited', familyName: 'User' },
      emails: [expect.objectContaining({ value: 'test.user@okta.local', display: 'test.user@okta.local' })],
      active: true,
    });
    expect((res.body as Json).meta.version).not.toBe(before.meta.version);
    expect(await apiUser(user.id as string)).toMatchObject({ FirstName: 'Another', LastName: 'User', UserStatus: 'Enabled' });
  });

  // [REF] Okta's PUT carries "groups": [] even for users in pushed groups; groups is readOnly
  // (RFC 7643 4.1.2), so it must not take the user out of its groups.
  test('a PUT carrying "groups": [] leaves the user\'s group memberships alone', async () => {
    const user = await oktaCreatesTestUser();
    const group = (await okta('POST', '/Groups', { schemas: [URN.group], displayName: 'Test-SCIMv2', members: [{ value: user.id }] })).body as Json;
    const current = await getResource(okta, `/Users/${user.id as string}`);
    const res = await okta('PUT', `/Users/${user.id as string}`, { ...current, groups: [], name: { givenName: 'Another', familyName: 'User' } });
    expect(res.status).toBe(200);
    expect(memberIds(await getResource(okta, `/Groups/${group.id as string}`))).toEqual([user.id]);
    expect((res.body as Json).groups).toEqual([expect.objectContaining({ value: group.id })]);
  });

  // [REF] Update a specific User (PATCH): "When a user is deactivated, Okta sends this request".
  test('deactivate: the path-less PATCH {"active": false} disables the user, who stays readable', async () => {
    const user = await oktaCreatesTestUser();
    const res = await okta('PATCH', `/Users/${user.id as string}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    const body = expectPatched(res);
    if (body) expect(body).toMatchObject({ id: user.id, userName: 'test.user@okta.local', active: false });
    expect((await apiUser(user.id as string)).UserStatus).toBe('Disabled');
    // [REF] Delete Users: "Okta doesn't perform DELETE operations" - the user must remain and be found by the lookup.
    expect((await getResource(okta, `/Users/${user.id as string}`)).active).toBe(false);
    expect(expectListResponse(await okta('GET', OKTA_LOOKUP)).Resources.map((r) => r.active)).toEqual([false]);
  });

  // [REF] "Activating a user" is sent through the same PATCH shape.
  test('reactivate: the path-less PATCH {"active": true} enables the user again', async () => {
    const user = await oktaCreatesTestUser();
    const path = `/Users/${user.id as string}`;
    expectPatched(await okta('PATCH', path, { schemas: [URN.patchOp], Operations: [{ op: 'replace', value: { active: false } }] }));
    expectPatched(await okta('PATCH', path, { schemas: [URN.patchOp], Operations: [{ op: 'replace', value: { active: true } }] }));
    expect((await apiUser(user.id as string)).UserStatus).toBe('Enabled');
  });

  // [REF] "For any custom app integrations created using the AIW ... this request is sent through a PUT".
  test('deactivate for App Integration Wizard apps: a PUT of the whole user with active false', async () => {
    const user = await oktaCreatesTestUser();
    const current = await getResource(okta, `/Users/${user.id as string}`);
    const res = await okta('PUT', `/Users/${user.id as string}`, { ...current, active: false });
    expect(res.status).toBe(200);
    expect((res.body as Json).active).toBe(false);
    expect((await apiUser(user.id as string)).UserStatus).toBe('Disabled');
  });

  // [REF] Retrieve Users: import page by page with count=100 and startIndex+100 until totalResults.
  test('import: paging with startIndex/count visits every user exactly once', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const user = await createUser(okta, { schemas: [URN.user], userName: `import.${i}@okta.local`, active: true });
      ids.add(user.id as string);
    }
    const seen: string[] = [];
    const pageSize = 2; // Okta uses 100; the pattern is the same.
    for (let startIndex = 1; ; startIndex += pageSize) {
      const page = expectListResponse(await okta('GET', `/Users?startIndex=${startIndex}&count=${pageSize}`));
      expect(page.totalResults).toBe(5);
      seen.push(...page.Resources.map((r) => r.id as string));
      if (startIndex + pageSize > page.totalResults) break;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(ids);
  });
});

describe('Okta group push', () => {
  /** [REF] Create Groups: the literal body uses the display name "Test SCIMv2". */
  const OKTA_CREATE_GROUP = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Test SCIMv2', members: [] };

  async function pushGroup(displayName = 'Test-SCIMv2'): Promise<Json> {
    const res = await okta('POST', '/Groups', { ...OKTA_CREATE_GROUP, displayName });
    expect(res.status).toBe(201);
    return res.body as Json;
  }

  // [REF] Create Groups, literal body. The API's own group-name rule (letters, digits, hyphens) does not
  // apply to names an identity provider pushes: "Test SCIMv2" is created as it is.
  test('Okta\'s literal group name "Test SCIMv2" (with a space) is provisioned as sent', async () => {
    const res = await okta('POST', '/Groups', OKTA_CREATE_GROUP);
    expect(res.status).toBe(201);
    const groups = ok(await t.emu.call('ListGroups', { ZoneId })).Groups as Json[];
    expect(groups).toEqual([expect.objectContaining({ GroupName: 'Test SCIMv2', GroupType: 'Synchronized' })]);
  });

  test('a pushed group name with control characters is refused with 400 invalidValue', async () => {
    expectScimError(await okta('POST', '/Groups', { ...OKTA_CREATE_GROUP, displayName: 'bad\u0007name' }), 400, 'invalidValue');
  });

  // [REF] Create Groups: 201 with the Group object "as it would for a GET".
  test('push: POST /Groups with "members": [] creates a Synchronized group', async () => {
    const res = await okta('POST', '/Groups', { ...OKTA_CREATE_GROUP, displayName: 'Test-SCIMv2' });
    expect(res.status).toBe(201);
    const group = res.body as Json;
    expect(group).toMatchObject({ schemas: [URN.group], id: expect.any(String), displayName: 'Test-SCIMv2', meta: { resourceType: 'Group' } });
    expect(group.members ?? []).toEqual([]);
    expect(await getResource(okta, `/Groups/${group.id as string}`)).toEqual(group);
    const groups = ok(await t.emu.call('ListGroups', { ZoneId })).Groups as Json[];
    expect(groups).toEqual([expect.objectContaining({ GroupId: group.id, GroupName: 'Test-SCIMv2', GroupType: 'Synchronized' })]);
  });

  // [REF] Retrieve Groups: GET /Groups?startIndex=1&count=100.
  test('retrieve groups lists the pushed group', async () => {
    const group = await pushGroup();
    const body = expectListResponse(await okta('GET', '/Groups?startIndex=1&count=100'));
    expect(body.Resources.map((g) => g.id)).toEqual([group.id]);
  });

  // [REF] Update specific Group membership: one PATCH that removes one member by filter and adds another.
  test('membership update: remove members[value eq ...] and add members in one PATCH', async () => {
    const group = await pushGroup();
    const testUser = await oktaCreatesTestUser();
    const leaving = await createUser(okta, { schemas: [URN.user], userName: 'leaving.user@okta.local', active: true });
    expectPatched(await okta('PATCH', `/Groups/${group.id as string}`, { schemas: [URN.patchOp], Operations: [{ op: 'add', path: 'members', value: [{ value: leaving.id }] }] }));

    const res = await okta('PATCH', `/Groups/${group.id as string}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'remove', path: `members[value eq "${leaving.id as string}"]` },
        { op: 'add', path: 'members', value: [{ value: testUser.id, display: 'test.user@okta.local' }] },
      ],
    });
    expectPatched(res);
    expect(memberIds(await getResource(okta, `/Groups/${group.id as string}`))).toEqual([testUser.id]);
    const members = ok(await t.emu.call('ListGroupMembers', { ZoneId, GroupId: group.id })).GroupMembers as Json[];
    expect(members.map((m) => m.UserId)).toEqual([testUser.id]);
  });

  // [REF] "You can also send a full push of the membership ... using the replace operation".
  test('full membership push: replace path members sets the member list', async () => {
    const group = await pushGroup();
    const a = await oktaCreatesTestUser();
    const b = await createUser(okta, { schemas: [URN.user], userName: 'second.user@okta.local', active: true });
    const c = await createUser(okta, { schemas: [URN.user], userName: 'third.user@okta.local', active: true });
    expectPatched(await okta('PATCH', `/Groups/${group.id as string}`, { schemas: [URN.patchOp], Operations: [{ op: 'add', path: 'members', value: [{ value: c.id }] }] }));
    const res = await okta('PATCH', `/Groups/${group.id as string}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        {
          op: 'replace',
          path: 'members',
          value: [
            { value: a.id, display: 'test.user@okta.local' },
            { value: b.id, display: 'test.user@okta.local' },
          ],
        },
      ],
    });
    expectPatched(res);
    expect(memberIds(await getResource(okta, `/Groups/${group.id as string}`))).toEqual([a.id, b.id].sort());
  });

  // [REF] Update a specific Group name: path-less replace carrying the group's id and new displayName.
  test('rename: the path-less PATCH {"id": ..., "displayName": ...} renames the group', async () => {
    const group = await pushGroup();
    const res = await okta('PATCH', `/Groups/${group.id as string}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { id: group.id, displayName: 'Test-SCIMv20' } }],
    });
    const body = expectPatched(res);
    if (body) expect(body).toMatchObject({ id: group.id, displayName: 'Test-SCIMv20' });
    expect((ok(await t.emu.call('GetGroup', { ZoneId, GroupId: group.id })).GroupInfo as Json).GroupName).toBe('Test-SCIMv20');
  });

  // [REF] "The group name update operation is triggered each time there is a group membership update":
  // re-sending the unchanged name must succeed and change nothing.
  test('the rename Okta repeats with every membership update is a harmless no-op', async () => {
    const group = await pushGroup();
    const res = await okta('PATCH', `/Groups/${group.id as string}`, {
      schemas: [URN.patchOp],
      Operations: [{ op: 'replace', value: { id: group.id, displayName: 'Test-SCIMv2' } }],
    });
    expectPatched(res);
    expect((await getResource(okta, `/Groups/${group.id as string}`)).meta.version).toBe(group.meta.version);
  });

  // [REF] For AIW apps group updates are a PUT.
  test('AIW apps rename and set members with PUT', async () => {
    const group = await pushGroup();
    const user = await oktaCreatesTestUser();
    const res = await okta('PUT', `/Groups/${group.id as string}`, {
      schemas: [URN.group],
      id: group.id,
      displayName: 'Test-SCIMv20',
      members: [{ value: user.id, display: 'test.user@okta.local' }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ displayName: 'Test-SCIMv20' });
    expect(memberIds(res.body as Json)).toEqual([user.id]);
  });

  // [REF] Delete a specific Group: "Unlink pushed group" with "Delete the group in the target app".
  test('unlink with delete: DELETE /Groups/<id> is 204 even with members; the users stay', async () => {
    const group = await pushGroup();
    const user = await oktaCreatesTestUser();
    expectPatched(await okta('PATCH', `/Groups/${group.id as string}`, { schemas: [URN.patchOp], Operations: [{ op: 'add', path: 'members', value: [{ value: user.id }] }] }));
    const res = await okta('DELETE', `/Groups/${group.id as string}`);
    expect(res.status).toBe(204);
    expectScimError(await okta('GET', `/Groups/${group.id as string}`), 404);
    expect((await getResource(okta, `/Users/${user.id as string}`)).active).toBe(true);
    expect(ok(await t.emu.call('ListGroups', { ZoneId })).Groups).toEqual([]);
  });
});
