/**
 * Microsoft Entra ID as the identity provider: the request sequences Microsoft
 * documents, replayed literally against the emulator.
 *
 * Sources:
 *  - [TUT] Microsoft Learn, "Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft
 *    Entra ID" (MicrosoftDocs/entra-docs: docs/identity/app-provisioning/use-scim-to-provision-users-and-groups.md),
 *    section "SCIM protocol requests and responses": User Operations and Group Operations.
 *  - [COMPAT] Microsoft Learn, "Known issues and resolutions with SCIM 2.0 protocol compliance of the
 *    Microsoft Entra user provisioning service" (application-provisioning-config-problem-scim-compatibility.md):
 *    what the provisioning service sends without and with the aadOptscim062020 flag.
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
  q,
  scimEmulator,
  type Json,
  type ScimEmulator,
} from '../helpers/scim.js';

let t: ScimEmulator;
beforeEach(async () => {
  t = await scimEmulator();
});
afterEach(() => t.close());

const ZoneId = DEMO_ZONE_ID;
const USER_NAME = 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee';
const WORK_EMAIL = 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com';

/** [TUT] Create User > Request: the literal body. */
const ENTRA_CREATE_USER = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: USER_NAME,
  active: true,
  emails: [{ primary: true, type: 'work', value: WORK_EMAIL }],
  meta: { resourceType: 'User' },
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  roles: [],
};

/** [TUT] Create Group > Request: the literal body (with Microsoft's extra schema URI). */
const ENTRA_CREATE_GROUP = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
  externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
  displayName: 'displayName',
  meta: { resourceType: 'Group' },
};

async function entraCreatesUser(): Promise<Json> {
  const res = await t.scim('POST', '/Users', ENTRA_CREATE_USER);
  expect(res.status).toBe(201);
  return res.body as Json;
}

async function entraCreatesGroup(): Promise<Json> {
  const res = await t.scim('POST', '/Groups', ENTRA_CREATE_GROUP);
  expect(res.status).toBe(201);
  return res.body as Json;
}

async function apiUser(userId: string): Promise<Json> {
  return ok(await t.emu.call('GetUser', { ZoneId, UserId: userId })).UserInfo as Json;
}

const patchBody = (...Operations: Json[]) => ({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations });

describe('Entra user operations', () => {
  // [TUT] "Microsoft Entra ID makes requests to fetch a random user and group to ensure that the endpoint
  // and the credentials are valid ... as a part of the Test Connection flow"; Get User by query - Zero results.
  test('test connection: a query for a user that does not exist is 200 with an empty ListResponse', async () => {
    const res = await t.scim('GET', `/Users${q({ filter: 'userName eq "non-existent user"' })}`);
    const body = expectListResponse(res);
    expect(body.totalResults).toBe(0);
    expect((res.body as Json).Resources).toEqual([]);
  });

  // [TUT] Create User: 201 with the user; the response keeps externalId, name.formatted and the work e-mail.
  test("Entra's create-user request creates the user", async () => {
    const res = await t.scim('POST', '/Users', ENTRA_CREATE_USER);
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    const user = res.body as Json;
    expect(user).toMatchObject({
      schemas: expect.arrayContaining([URN.user]),
      id: expect.any(String),
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: USER_NAME,
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      active: true,
      emails: [expect.objectContaining({ value: WORK_EMAIL, type: 'work', primary: true })],
      meta: { resourceType: 'User', created: expect.any(String), lastModified: expect.any(String) },
    });
    expect(await apiUser(user.id as string)).toMatchObject({
      UserName: USER_NAME,
      FirstName: 'givenName',
      LastName: 'familyName',
      Email: WORK_EMAIL,
      UserStatus: 'Enabled',
      UserType: 'Synchronized',
    });
  });

  // [TUT] Get User: by id; "User not found. The detail isn't required, only status."
  test('get user by id returns it; an unknown id is 404 with status "404"', async () => {
    const user = await entraCreatesUser();
    expect(await getResource(t.scim, `/Users/${user.id as string}`)).toMatchObject({ id: user.id, userName: USER_NAME });
    expectScimError(await t.scim('GET', '/Users/5171a35d82074e068ce2'), 404);
  });

  // [TUT] Get User by query: userName eq; "Use userName or emails[type eq "work"] attributes to query users";
  // [TUT] /Users: "a GET to /Users with a filter must allow for both userName eq ... and emails[type eq "work"].value eq ...".
  test.each([
    [`userName eq "${USER_NAME}"`],
    [`emails[type eq "work"].value eq "${WORK_EMAIL}"`],
    ['externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"'],
    [`userName eq "${USER_NAME}" and externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"`],
  ])('get user by query: filter=%s finds the user', async (filter) => {
    const user = await entraCreatesUser();
    const body = expectListResponse(await t.scim('GET', `/Users${q({ filter })}`));
    expect(body).toMatchObject({ totalResults: 1, startIndex: 1 });
    expect(body.Resources.map((r) => r.id)).toEqual([user.id]);
  });

  // [TUT] Update User [Multi-valued properties]: Replace emails[type eq "work"].value and name.familyName.
  test('update multi-valued properties: Replace the work e-mail and the family name', async () => {
    const user = await entraCreatesUser();
    const res = await t.scim(
      'PATCH',
      `/Users/${user.id as string}`,
      patchBody(
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      ),
    );
    const body = expectPatched(res);
    const read = await getResource(t.scim, `/Users/${user.id as string}`);
    if (body) expect(body).toEqual(read);
    expect(read.name).toMatchObject({ familyName: 'updatedFamilyName', givenName: 'givenName' });
    expect(read.emails).toEqual([expect.objectContaining({ value: 'updatedEmail@microsoft.com', type: 'work', primary: true })]);
    expect(await apiUser(user.id as string)).toMatchObject({ LastName: 'updatedFamilyName', Email: 'updatedEmail@microsoft.com' });
  });

  // [TUT] Update User [Single-valued properties]: Replace userName.
  test('update single-valued properties: Replace userName renames the user', async () => {
    const user = await entraCreatesUser();
    const res = await t.scim('PATCH', `/Users/${user.id as string}`, patchBody({ op: 'Replace', path: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' }));
    expectPatched(res);
    expect((await getResource(t.scim, `/Users/${user.id as string}`)).userName).toBe('5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com');
    expect((await apiUser(user.id as string)).UserName).toBe('5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com');
  });

  // [TUT] Disable User: {"op": "Replace", "path": "active", "value": false}.
  test('disable user: Replace active with false', async () => {
    const user = await entraCreatesUser();
    expectPatched(await t.scim('PATCH', `/Users/${user.id as string}`, { Operations: [{ op: 'Replace', path: 'active', value: false }], schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'] }));
    expect((await getResource(t.scim, `/Users/${user.id as string}`)).active).toBe(false);
    expect((await apiUser(user.id as string)).UserStatus).toBe('Disabled');
  });

  // [COMPAT] "Requests made to disable users", without the feature flag: the value is the string "False".
  test('disable user without aadOptscim062020: Replace active with the string "False"', async () => {
    const user = await entraCreatesUser();
    expectPatched(await t.scim('PATCH', `/Users/${user.id as string}`, patchBody({ op: 'Replace', path: 'active', value: 'False' })));
    expect((await getResource(t.scim, `/Users/${user.id as string}`)).active).toBe(false);
    expect((await apiUser(user.id as string)).UserStatus).toBe('Disabled');
  });

  // [TUT] "Soft-deleting a user active=false and restoring the user active=true ... The user object should be
  // returned in a request whether or not the user is active."
  test('a disabled user is still returned by id and by query, and restoring sets active back to true', async () => {
    const user = await entraCreatesUser();
    const path = `/Users/${user.id as string}`;
    expectPatched(await t.scim('PATCH', path, patchBody({ op: 'replace', path: 'active', value: false })));
    expect((await getResource(t.scim, path)).active).toBe(false);
    expect(expectListResponse(await t.scim('GET', `/Users${q({ filter: `userName eq "${USER_NAME}"` })}`)).totalResults).toBe(1);
    expectPatched(await t.scim('PATCH', path, patchBody({ op: 'Replace', path: 'active', value: 'True' })));
    expect((await apiUser(user.id as string)).UserStatus).toBe('Enabled');
  });

  // [COMPAT] "Requests to replace multiple attributes", with the feature flag: a path-less replace whose
  // value uses dotted names and an enterprise-extension URN as keys.
  test('replace multiple attributes (aadOptscim062020): path-less value with dotted names and an extension URN', async () => {
    const user = await entraCreatesUser();
    const res = await t.scim(
      'PATCH',
      `/Users/${user.id as string}`,
      patchBody(
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'TestMhvaes@test.microsoft.com' },
        {
          op: 'replace',
          value: {
            displayName: 'Bjfe',
            'name.givenName': 'Kkom',
            'name.familyName': 'Unua',
            'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber': 'Aklq',
          },
        },
      ),
    );
    expectPatched(res);
    const read = await getResource(t.scim, `/Users/${user.id as string}`);
    expect(read).toMatchObject({
      displayName: 'Bjfe',
      name: { givenName: 'Kkom', familyName: 'Unua' },
      [URN.enterprise]: { employeeNumber: 'Aklq' },
      emails: [expect.objectContaining({ value: 'TestMhvaes@test.microsoft.com', type: 'work' })],
    });
    expect(await apiUser(user.id as string)).toMatchObject({ DisplayName: 'Bjfe', FirstName: 'Kkom', LastName: 'Unua', Email: 'TestMhvaes@test.microsoft.com' });
  });

  // [COMPAT] "Requests to replace multiple attributes", without the feature flag: one Replace per path,
  // including externalId and an extension attribute addressed by its full URN path.
  test('replace multiple attributes (default): one Replace per path, including an extension URN path', async () => {
    const user = await entraCreatesUser();
    const res = await t.scim(
      'PATCH',
      `/Users/${user.id as string}`,
      patchBody(
        { op: 'Replace', path: 'displayName', value: 'Pvlo' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'TestBcwqnm@test.microsoft.com' },
        { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
        { op: 'Replace', path: 'name.familyName', value: 'Pkqf' },
        { op: 'Replace', path: 'externalId', value: 'Eqpj' },
        { op: 'Replace', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber', value: 'Eqpj' },
      ),
    );
    expectPatched(res);
    const read = await getResource(t.scim, `/Users/${user.id as string}`);
    expect(read).toMatchObject({
      displayName: 'Pvlo',
      externalId: 'Eqpj',
      name: { givenName: 'Gtfd', familyName: 'Pkqf' },
      [URN.enterprise]: { employeeNumber: 'Eqpj' },
    });
    expect(expectListResponse(await t.scim('GET', `/Users${q({ filter: 'externalId eq "Eqpj"' })}`)).Resources.map((r) => r.id)).toEqual([user.id]);
  });

  // [COMPAT] "Requests to add a single-value string attribute": "Add" (default) and "add" (flag) of nickName.
  test.each([['Add'], ['add']])('add a single-value string attribute: op %s nickName', async (op) => {
    const user = await entraCreatesUser();
    expectPatched(await t.scim('PATCH', `/Users/${user.id as string}`, patchBody({ op, path: 'nickName', value: 'Babs' })));
    expect((await getResource(t.scim, `/Users/${user.id as string}`)).nickName).toBe('Babs');
  });

  // [TUT] Delete User: 204 No Content.
  test('delete user: 204, then the user is gone', async () => {
    const user = await entraCreatesUser();
    const res = await t.scim('DELETE', `/Users/${user.id as string}`);
    expect(res.status).toBe(204);
    expectScimError(await t.scim('GET', `/Users/${user.id as string}`), 404);
    expect(ok(await t.emu.call('ListUsers', { ZoneId })).Users).toEqual([]);
  });
});

describe('Entra group operations', () => {
  // [TUT] Test Connection fetches a random group; Get Group by displayName - the query form Entra uses.
  test('test connection: a group query by an unknown displayName is an empty ListResponse', async () => {
    const res = await t.scim('GET', `/Groups${q({ excludedAttributes: 'members', filter: 'displayName eq "6a1a5d45-8fd1-4b53-a4f6-1a2f2e1d8a77"' })}`);
    expect(expectListResponse(res).totalResults).toBe(0);
  });

  // [TUT] Create Group: "Groups are created with an empty members list"; 201 with the group.
  test("Entra's create-group request (with its extra schema URI) creates an empty Synchronized group", async () => {
    const res = await t.scim('POST', '/Groups', ENTRA_CREATE_GROUP);
    expect(res.status).toBe(201);
    const group = res.body as Json;
    expect(group).toMatchObject({
      schemas: [URN.group],
      id: expect.any(String),
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
      meta: { resourceType: 'Group' },
    });
    expect(group.members ?? []).toEqual([]);
    const groups = ok(await t.emu.call('ListGroups', { ZoneId })).Groups as Json[];
    expect(groups).toEqual([expect.objectContaining({ GroupId: group.id, GroupName: 'displayName', GroupType: 'Synchronized', MemberCount: 0 })]);
  });

  // [TUT] Get Group: GET /Groups/<id>?excludedAttributes=members.
  test('get group with excludedAttributes=members omits members even when there are some', async () => {
    const group = await entraCreatesGroup();
    const user = await entraCreatesUser();
    expectPatched(await t.scim('PATCH', `/Groups/${group.id as string}`, patchBody({ op: 'Add', path: 'members', value: [{ $ref: null, value: user.id }] })));
    const read = await getResource(t.scim, `/Groups/${group.id as string}?excludedAttributes=members`);
    expect(read).toMatchObject({ id: group.id, externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: 'displayName' });
    expect(read).not.toHaveProperty('members');
  });

  // [TUT] Get Group by displayName: GET /Groups?excludedAttributes=members&filter=displayName eq "displayName".
  test('get group by displayName, with members excluded', async () => {
    const group = await entraCreatesGroup();
    const res = await t.scim('GET', `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "displayName"')}`);
    const body = expectListResponse(res);
    expect(body).toMatchObject({ totalResults: 1, startIndex: 1 });
    expect(body.Resources[0]).toMatchObject({ id: group.id, displayName: 'displayName' });
    expect(body.Resources[0]).not.toHaveProperty('members');
  });

  // [TUT] "Requests to determine whether a reference attribute has a certain value are requests about the
  // members attribute": the membership check Entra runs before adding or removing a member.
  test('membership check: filter id eq <group> and members.value eq <user>', async () => {
    const group = await entraCreatesGroup();
    const user = await entraCreatesUser();
    const check = async () =>
      expectListResponse(
        await t.scim('GET', `/Groups${q({ filter: `id eq "${group.id as string}" and members.value eq "${user.id as string}"`, excludedAttributes: 'members' })}`),
      ).totalResults;
    expect(await check()).toBe(0);
    expectPatched(await t.scim('PATCH', `/Groups/${group.id as string}`, patchBody({ op: 'Add', path: 'members', value: [{ $ref: null, value: user.id }] })));
    expect(await check()).toBe(1);
  });

  // [TUT] Update Group [Non-member attributes]: Replace displayName (Microsoft expects 204, 200 is also accepted).
  test('update non-member attributes: Replace displayName renames the group', async () => {
    const group = await entraCreatesGroup();
    const res = await t.scim('PATCH', `/Groups/${group.id as string}`, patchBody({ op: 'Replace', path: 'displayName', value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName' }));
    expectPatched(res);
    expect((await getResource(t.scim, `/Groups/${group.id as string}`)).displayName).toBe('1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName');
    expect((ok(await t.emu.call('GetGroup', { ZoneId, GroupId: group.id })).GroupInfo as Json).GroupName).toBe('1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName');
  });

  // [TUT] Update Group [Add Members]: op "Add", path "members", value [{"$ref": null, "value": <id>}].
  test('add members: Add with "$ref": null adds the user', async () => {
    const group = await entraCreatesGroup();
    const user = await entraCreatesUser();
    const res = await t.scim('PATCH', `/Groups/${group.id as string}`, patchBody({ op: 'Add', path: 'members', value: [{ $ref: null, value: user.id }] }));
    expectPatched(res);
    expect(memberIds(await getResource(t.scim, `/Groups/${group.id as string}`))).toEqual([user.id]);
    const members = ok(await t.emu.call('ListGroupMembers', { ZoneId, GroupId: group.id })).GroupMembers as Json[];
    expect(members.map((m) => m.UserId)).toEqual([user.id]);
  });

  // [TUT] Update Group [Remove Members] and [COMPAT] "without feature flag": op "Remove", path "members",
  // value [{"$ref": null, "value": <id>}] removes only that member.
  test('remove members (default): Remove path members with a value list removes only those members', async () => {
    const group = await entraCreatesGroup();
    const user = await entraCreatesUser();
    const other = await createUser(t.scim, { schemas: [URN.user], userName: 'other.member@testuser.com' });
    expectPatched(await t.scim('PATCH', `/Groups/${group.id as string}`, patchBody({ op: 'Add', path: 'members', value: [{ $ref: null, value: user.id }, { $ref: null, value: other.id }] })));
    const res = await t.scim('PATCH', `/Groups/${group.id as string}`, patchBody({ op: 'Remove', path: 'members', value: [{ $ref: null, value: user.id }] }));
    expectPatched(res);
    expect(memberIds(await getResource(t.scim, `/Groups/${group.id as string}`))).toEqual([other.id]);
  });

  // [COMPAT] "Requests made to remove a group member", with the feature flag: path members[value eq "<id>"].
  test('remove members (aadOptscim062020): remove path members[value eq "<id>"]', async () => {
    const group = await entraCreatesGroup();
    const user = await entraCreatesUser();
    const other = await createUser(t.scim, { schemas: [URN.user], userName: 'other.member@testuser.com' });
    expectPatched(await t.scim('PATCH', `/Groups/${group.id as string}`, patchBody({ op: 'add', path: 'members', value: [{ value: user.id }, { value: other.id }] })));
    const res = await t.scim('PATCH', `/Groups/${group.id as string}`, patchBody({ op: 'remove', path: `members[value eq "${user.id as string}"]` }));
    expectPatched(res);
    expect(memberIds(await getResource(t.scim, `/Groups/${group.id as string}`))).toEqual([other.id]);
  });

  // Entra retries a membership PATCH it did not see answered; the second Add must not fail.
  test('a repeated Add of the same member succeeds and leaves one membership', async () => {
    const group = await entraCreatesGroup();
    const user = await entraCreatesUser();
    const add = patchBody({ op: 'Add', path: 'members', value: [{ $ref: null, value: user.id }] });
    expectPatched(await t.scim('PATCH', `/Groups/${group.id as string}`, add));
    expectPatched(await t.scim('PATCH', `/Groups/${group.id as string}`, add));
    expect(memberIds(await getResource(t.scim, `/Groups/${group.id as string}`))).toEqual([user.id]);
  });

  // [TUT] Delete Group: 204 No Content.
  test('delete group: 204 with members present; the group is gone and the users stay', async () => {
    const group = await entraCreatesGroup();
    const user = await entraCreatesUser();
    expectPatched(await t.scim('PATCH', `/Groups/${group.id as string}`, patchBody({ op: 'Add', path: 'members', value: [{ $ref: null, value: user.id }] })));
    const res = await t.scim('DELETE', `/Groups/${group.id as string}`);
    expect(res.status).toBe(204);
    expectScimError(await t.scim('GET', `/Groups/${group.id as string}`), 404);
    await getResource(t.scim, `/Users/${user.id as string}`);
  });
});

describe('Entra schema discovery', () => {
  // [TUT] Discover schema: GET /Schemas "Must return a list response"; attribute properties camel-cased.
  test('GET /Schemas returns a ListResponse whose attribute properties are camel-cased', async () => {
    const body = expectListResponse(await t.scim('GET', '/Schemas'));
    const user = body.Resources.find((s) => s.id === URN.user)!;
    const userName = (user.attributes as Json[]).find((a) => a.name === 'userName')!;
    expect(userName).toMatchObject({ type: 'string', multiValued: false, required: true, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'server' });
    // "If a value isn't present, don't send null values."
    expect(JSON.stringify(body)).not.toContain(':null');
  });
});
