/**
 * OneLogin as the identity provider ("SCIM Provisioner with SAML (SCIM v2 Core / Enterprise)").
 *
 * Sources:
 *  - [FLOW] OneLogin Developers, "Step 2. Implement RESTful SCIM APIs for Your App"
 *    (developers.onelogin.com/scim/implement-scim-api): the calls OneLogin makes - Get User with
 *    userName filter, Create User, Get User by ID, Update User, Get Groups, Create Group, Patch Group,
 *    Delete User, Get Users - and the Example API Flow: on the initial connection OneLogin makes a
 *    Get User by userName request "using a userName filter value that it knows is non-existent" and
 *    accepts "an empty array of users or alternately a 404"; on provisioning it looks the user up by
 *    userName before creating it.
 *  - [SCHEMA] OneLogin Developers, "Step 1. Define Your SCIM User Schema"
 *    (developers.onelogin.com/scim/define-user-schema): the SCIM JSON templates OneLogin renders into
 *    request bodies ({$parameters.scimusername}, {$user.firstname}, {$user.lastname},
 *    {$user.display_name} = "firstname lastname", {$user.email}, {$parameters.title}, ...), including the
 *    Core template with its v1 schema URN and the Enterprise template.
 *  - [TEMPLATE] The SCIM v2 Enterprise JSON template that vendors publish for OneLogin's
 *    "SCIM Provisioner with SAML (SCIM v2 Enterprise)" connector (emails array, title, userType,
 *    timezone, addresses, enterprise extension with manager {value, displayName}, "active" and "id": null).
 *
 * The docs name the calls but do not print every body; where a body is not printed (Update User,
 * Patch Group), the tests send the rendered template (for Update User, as a PUT of the whole user) and
 * the RFC 7644 member PatchOp, and say so.
 */
import { DEMO_ZONE_ID, ok } from '../helpers/api.js';
import {
  URN,
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

/** A OneLogin user: what the template placeholders are rendered from. */
const person = { scimusername: 'katinka.kaiser@onelogin-example.com', firstname: 'Katinka', lastname: 'Kaiser', email: 'katinka.kaiser@onelogin-example.com' };

/** [SCHEMA] The OneLogin Core User Schema template, rendered (its schemas URN is SCIM 1.0's, as printed). */
function coreTemplate(p = person): Json {
  return {
    schemas: ['urn:scim:schemas:core:1.0'],
    userName: p.scimusername,
    name: { givenName: p.firstname, familyName: p.lastname, formatted: `${p.firstname} ${p.lastname}` },
  };
}

/** [TEMPLATE] The SCIM v2 Enterprise template, rendered; parameters with no value render as "". */
function enterpriseTemplate(p = person, over: { title?: string; department?: string; active?: string } = {}): Json {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
    userName: p.scimusername,
    name: { familyName: p.lastname, givenName: p.firstname },
    title: over.title ?? '',
    userType: '',
    timezone: '',
    emails: [{ value: p.email, type: 'work', primary: true }],
    addresses: [{ locality: 'Berlin', region: '', country: 'DE' }],
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
      organization: '',
      division: '',
      department: over.department ?? 'Tours',
      manager: { value: '', displayName: ' ' },
    },
    active: over.active ?? 'true',
    meta: { resourceType: 'User' },
    id: null,
  };
}

async function apiUser(userId: string): Promise<Json> {
  return ok(await t.emu.call('GetUser', { ZoneId, UserId: userId })).UserInfo as Json;
}

const lookup = (userName: string) => `/Users${q({ filter: `userName eq "${userName}"` })}`;

describe('OneLogin user provisioning', () => {
  // [FLOW] 1. Initial connection: Get User by a userName known not to exist; an empty list confirms the endpoint.
  test('initial connection: the lookup of a non-existent userName is 200 with an empty ListResponse', async () => {
    const res = await t.scim('GET', lookup('onelogin-connection-check-7d0b3c1e@example.invalid'));
    expect(expectListResponse(res)).toMatchObject({ totalResults: 0, Resources: [] });
  });

  // [FLOW] 2. Provisioning request: Get User by userName (none) -> Create User with the rendered template -> 201.
  test('provisioning: lookup finds nothing, Create User with the Enterprise template creates the user', async () => {
    expect(expectListResponse(await t.scim('GET', lookup(person.scimusername))).totalResults).toBe(0);
    const res = await t.scim('POST', '/Users', enterpriseTemplate());
    expect(res.status).toBe(201);
    const user = res.body as Json;
    expect(user).toMatchObject({
      id: expect.any(String),
      userName: person.scimusername,
      name: { givenName: 'Katinka', familyName: 'Kaiser' },
      emails: [expect.objectContaining({ value: person.email, type: 'work', primary: true })],
      active: true,
      [URN.enterprise]: expect.objectContaining({ department: 'Tours' }),
    });
    expect(await apiUser(user.id as string)).toMatchObject({
      UserName: person.scimusername,
      FirstName: 'Katinka',
      LastName: 'Kaiser',
      Email: person.email,
      UserStatus: 'Enabled',
      UserType: 'Synchronized',
    });
    // The next lookup finds the user, so OneLogin updates instead of creating again.
    expect(expectListResponse(await t.scim('GET', lookup(person.scimusername))).Resources.map((r) => r.id)).toEqual([user.id]);
  });

  // [SCHEMA] The Core template as printed in OneLogin's docs (schemas "urn:scim:schemas:core:1.0").
  test('the Core template, with its SCIM 1.0 schemas URN, still creates the user', async () => {
    const res = await t.scim('POST', '/Users', coreTemplate());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ userName: person.scimusername, name: { givenName: 'Katinka', familyName: 'Kaiser', formatted: 'Katinka Kaiser' } });
    expect((res.body as Json).schemas).toContain(URN.user);
  });

  // [SCHEMA] The Enterprise template in OneLogin's docs sends emails as one object, not an array.
  test('"emails" sent as a single object (OneLogin Enterprise template) is taken as one e-mail', async () => {
    const body = { ...coreTemplate(), emails: { value: person.email, type: 'work', primary: true }, title: 'Guide' };
    const res = await t.scim('POST', '/Users', body);
    expect(res.status).toBe(201);
    expect((res.body as Json).emails).toEqual([expect.objectContaining({ value: person.email, primary: true })]);
    expect((await apiUser((res.body as Json).id as string)).Email).toBe(person.email);
  });

  // [TEMPLATE] Empty parameters render as "" and "id" as null; neither may break the create.
  test('empty-string attributes and "id": null from the template are accepted', async () => {
    const res = await t.scim('POST', '/Users', enterpriseTemplate(person, { title: '', department: '' }));
    expect(res.status).toBe(201);
    expect((res.body as Json).id).toEqual(expect.any(String));
  });

  // [FLOW] Get User by ID.
  test('get user by id returns the provisioned user; an unknown id is 404', async () => {
    const created = (await t.scim('POST', '/Users', enterpriseTemplate())).body as Json;
    expect(await getResource(t.scim, `/Users/${created.id as string}`)).toMatchObject({ id: created.id, userName: person.scimusername });
    expectScimError(await t.scim('GET', '/Users/00000000000000000000'), 404);
  });

  // [FLOW] Update User: OneLogin re-renders the whole template after a change (here the last name and
  // title) and sends it to the user's URL - as a PUT, since a full template is a full representation.
  test('update user: a PUT of the re-rendered template updates the user', async () => {
    const created = (await t.scim('POST', '/Users', enterpriseTemplate())).body as Json;
    const changed = { ...person, lastname: 'Kaiser-Lind' };
    const res = await t.scim('PUT', `/Users/${created.id as string}`, enterpriseTemplate(changed, { title: 'Senior Guide' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.id, name: { familyName: 'Kaiser-Lind' }, title: 'Senior Guide' });
    expect((await apiUser(created.id as string)).LastName).toBe('Kaiser-Lind');
  });

  // [TEMPLATE] "active" rendered from {$user.active} is a quoted string; suspending the user in OneLogin
  // re-sends the template with it false.
  test('suspend: a PUT with "active": "false" disables the user; "true" re-enables', async () => {
    const created = (await t.scim('POST', '/Users', enterpriseTemplate())).body as Json;
    const path = `/Users/${created.id as string}`;
    const off = await t.scim('PUT', path, enterpriseTemplate(person, { active: 'false' }));
    expect(off.status).toBe(200);
    expect((off.body as Json).active).toBe(false);
    expect((await apiUser(created.id as string)).UserStatus).toBe('Disabled');
    expect((await t.scim('PUT', path, enterpriseTemplate(person, { active: 'true' }))).status).toBe(200);
    expect((await apiUser(created.id as string)).UserStatus).toBe('Enabled');
  });

  // [FLOW] Delete User.
  test('delete user: 204; the user is gone from SCIM and from Identity Center', async () => {
    const created = (await t.scim('POST', '/Users', enterpriseTemplate())).body as Json;
    const res = await t.scim('DELETE', `/Users/${created.id as string}`);
    expect(res.status).toBe(204);
    expectScimError(await t.scim('GET', `/Users/${created.id as string}`), 404);
    expect(ok(await t.emu.call('ListUsers', { ZoneId })).Users).toEqual([]);
  });

  // [FLOW] Get Users: the user import.
  test('get users lists every provisioned user', async () => {
    for (const name of ['anna', 'ben', 'cleo']) {
      const p = { scimusername: `${name}@onelogin-example.com`, firstname: name, lastname: 'Test', email: `${name}@onelogin-example.com` };
      expect((await t.scim('POST', '/Users', enterpriseTemplate(p))).status).toBe(201);
    }
    const body = expectListResponse(await t.scim('GET', '/Users'));
    expect(body.totalResults).toBe(3);
    expect(body.Resources.map((r) => r.userName).sort()).toEqual(['anna@onelogin-example.com', 'ben@onelogin-example.com', 'cleo@onelogin-example.com']);
  });
});

describe('OneLogin group provisioning', () => {
  async function provision(name: string): Promise<Json> {
    const p = { scimusername: `${name}@onelogin-example.com`, firstname: name, lastname: 'Test', email: `${name}@onelogin-example.com` };
    const res = await t.scim('POST', '/Users', enterpriseTemplate(p));
    expect(res.status).toBe(201);
    return res.body as Json;
  }

  // [FLOW] Get Groups: OneLogin reads the app's groups to offer them in its rules.
  test('get groups answers a ListResponse of the existing groups', async () => {
    expect(expectListResponse(await t.scim('GET', '/Groups'))).toMatchObject({ totalResults: 0, Resources: [] });
    ok(await t.emu.call('CreateGroup', { ZoneId, GroupName: 'pre-existing' }));
    const body = expectListResponse(await t.scim('GET', '/Groups'));
    expect(body.Resources.map((g) => g.displayName)).toEqual(['pre-existing']);
  });

  // [FLOW] Create Group.
  test('create group: POST /Groups with a displayName creates a Synchronized group', async () => {
    const res = await t.scim('POST', '/Groups', { schemas: [URN.group], displayName: 'field-staff' });
    expect(res.status).toBe(201);
    const groups = ok(await t.emu.call('ListGroups', { ZoneId })).Groups as Json[];
    expect(groups).toEqual([expect.objectContaining({ GroupId: (res.body as Json).id, GroupName: 'field-staff', GroupType: 'Synchronized' })]);
  });

  // [FLOW] Patch Group: OneLogin adds a provisioned user to the group (the RFC 7644 members add).
  test('patch group: add a member, then remove it', async () => {
    const group = (await t.scim('POST', '/Groups', { schemas: [URN.group], displayName: 'field-staff' })).body as Json;
    const anna = await provision('anna');
    const ben = await provision('ben');
    const gpath = `/Groups/${group.id as string}`;
    expectPatched(await t.scim('PATCH', gpath, { schemas: [URN.patchOp], Operations: [{ op: 'add', path: 'members', value: [{ value: anna.id }, { value: ben.id }] }] }));
    expect(memberIds(await getResource(t.scim, gpath))).toEqual([anna.id, ben.id].sort());
    expectPatched(await t.scim('PATCH', gpath, { schemas: [URN.patchOp], Operations: [{ op: 'remove', path: 'members', value: [{ value: anna.id }] }] }));
    expect(memberIds(await getResource(t.scim, gpath))).toEqual([ben.id]);
    const members = ok(await t.emu.call('ListGroupMembers', { ZoneId, GroupId: group.id })).GroupMembers as Json[];
    expect(members.map((m) => m.UserId)).toEqual([ben.id]);
  });

  // [FLOW] Delete User after Patch Group: deprovisioning a group member must not fail on the membership.
  test('delete user who is a group member: 204, and the group no longer lists the user', async () => {
    const group = (await t.scim('POST', '/Groups', { schemas: [URN.group], displayName: 'field-staff' })).body as Json;
    const anna = await provision('anna');
    expectPatched(await t.scim('PATCH', `/Groups/${group.id as string}`, { schemas: [URN.patchOp], Operations: [{ op: 'add', path: 'members', value: [{ value: anna.id }] }] }));
    expect((await t.scim('DELETE', `/Users/${anna.id as string}`)).status).toBe(204);
    expect(memberIds(await getResource(t.scim, `/Groups/${group.id as string}`))).toEqual([]);
  });
});
