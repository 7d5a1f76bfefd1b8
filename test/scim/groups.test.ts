/**
 * /Groups per RFC 7644, with membership managed through PATCH and PUT in the
 * shapes identity providers use.
 */
import { DEMO_ZONE_ID, ok } from '../helpers/api.js';
import {
  URN,
  createGroup,
  createUser,
  expectListResponse,
  expectPatched,
  expectScimError,
  getResource,
  memberIds,
  patchOp,
  q,
  scimEmulator,
  userBody,
  type Json,
  type ScimEmulator,
} from '../helpers/scim.js';

let t: ScimEmulator;
let alice: Json;
let bob: Json;
let carol: Json;
beforeEach(async () => {
  t = await scimEmulator();
  alice = await createUser(t.scim, userBody('alice@example.com', { displayName: 'Alice Anderson' }));
  bob = await createUser(t.scim, userBody('bob@example.com', { displayName: 'Bob Brown' }));
  carol = await createUser(t.scim, userBody('carol@example.com'));
});
afterEach(() => t.close());

const id = (r: Json) => r.id as string;
const sorted = (...ids: string[]) => [...ids].sort();

/** PATCHes a group and returns it as GET then shows it. */
async function patchGroup(groupId: string, ...operations: Json[]): Promise<Json> {
  const body = expectPatched(await t.scim('PATCH', `/Groups/${groupId}`, patchOp(...operations)));
  const read = await getResource(t.scim, `/Groups/${groupId}`);
  if (body) expect(body).toEqual(read);
  return read;
}

async function apiMembers(groupId: string): Promise<string[]> {
  const res = ok(await t.emu.call('ListGroupMembers', { ZoneId: DEMO_ZONE_ID, GroupId: groupId, MaxResults: 100 }));
  return (res.GroupMembers as Json[]).map((m) => m.UserId as string).sort();
}

describe('POST /Groups', () => {
  test('creates a group: 201, the resource, Location = meta.location and ETag = meta.version', async () => {
    const res = await t.scim('POST', '/Groups', { schemas: [URN.group], displayName: 'tour-guides', externalId: 'ext-guides' });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    const group = res.body as Json;
    expect(group).toMatchObject({
      schemas: [URN.group],
      id: expect.any(String),
      displayName: 'tour-guides',
      externalId: 'ext-guides',
      meta: { resourceType: 'Group', created: expect.any(String), lastModified: expect.any(String), version: expect.any(String) },
    });
    expect(group.members ?? []).toEqual([]);
    expect(group.meta.location).toMatch(new RegExp(`^https?://[^/]+/scim/v2/Groups/${id(group)}$`));
    expect(res.headers.location).toBe(group.meta.location);
    expect(res.headers.etag).toBe(group.meta.version);
  });

  test('creates a group with members; each member has value (the user id), $ref and display', async () => {
    const group = await createGroup(t.scim, { displayName: 'tour-guides', members: [{ value: id(alice) }, { value: id(bob) }] });
    expect(memberIds(group)).toEqual(sorted(id(alice), id(bob)));
    const member = (group.members as Json[]).find((m) => m.value === id(alice))!;
    expect(member.$ref).toMatch(new RegExp(`/scim/v2/Users/${id(alice)}$`));
    expect(member.display).toBe('Alice Anderson');
    expect(await apiMembers(id(group))).toEqual(sorted(id(alice), id(bob)));
  });

  test('a member that is not a user of the zone is 400 invalidValue and creates nothing', async () => {
    const res = await t.scim('POST', '/Groups', { schemas: [URN.group], displayName: 'ghosts', members: [{ value: id(alice) }, { value: 'u-doesnotexist1' }] });
    expectScimError(res, 400, 'invalidValue');
    expect(expectListResponse(await t.scim('GET', '/Groups')).totalResults).toBe(0);
  });

  test('a missing displayName is 400 invalidValue', async () => {
    expectScimError(await t.scim('POST', '/Groups', { schemas: [URN.group], members: [] }), 400, 'invalidValue');
  });

  test('a displayName with spaces, which the API would refuse, is provisioned as the IdP sent it', async () => {
    const group = await createGroup(t.scim, { displayName: 'Tour Guides' });
    expect(group.displayName).toBe('Tour Guides');
  });

  test('an empty or blank displayName is 400 invalidValue', async () => {
    expectScimError(await t.scim('POST', '/Groups', { schemas: [URN.group], displayName: '   ' }), 400, 'invalidValue');
  });

  test('a duplicate displayName is 409 uniqueness, compared case-insensitively', async () => {
    await createGroup(t.scim, { displayName: 'tour-guides' });
    expectScimError(await t.scim('POST', '/Groups', { schemas: [URN.group], displayName: 'tour-guides' }), 409, 'uniqueness');
    expectScimError(await t.scim('POST', '/Groups', { schemas: [URN.group], displayName: 'TOUR-Guides' }), 409, 'uniqueness');
  });

  test('malformed JSON is 400 invalidSyntax', async () => {
    expectScimError(await t.scim('POST', '/Groups', '{"displayName": "x"'), 400, 'invalidSyntax');
  });

  test('20 parallel POSTs of the same displayName: exactly one 201, the rest 409', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => t.scim('POST', '/Groups', { schemas: [URN.group], displayName: 'racers' })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
  });
});

describe('GET /Groups and /Groups/:id', () => {
  test('GET by id returns the group with its members; unknown ids are 404', async () => {
    const group = await createGroup(t.scim, { displayName: 'tour-guides', members: [{ value: id(alice) }] });
    const res = await t.scim('GET', `/Groups/${id(group)}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(group);
    expect(res.headers.etag).toBe(group.meta.version);
    expectScimError(await t.scim('GET', '/Groups/g-doesnotexist1'), 404);
  });

  test('excludedAttributes=members leaves members out of a single group (Entra)', async () => {
    const group = await createGroup(t.scim, { displayName: 'tour-guides', members: [{ value: id(alice) }] });
    const read = await getResource(t.scim, `/Groups/${id(group)}?excludedAttributes=members`);
    expect(read).not.toHaveProperty('members');
    expect(read).toMatchObject({ id: id(group), displayName: 'tour-guides' });
  });

  test('an eq filter answered by the index alone gives what evaluating it over every group gives', async () => {
    const made = [
      await createGroup(t.scim, { displayName: 'tour-guides', externalId: 'Ext-1', members: [{ value: id(alice) }] }),
      await createGroup(t.scim, { displayName: 'Drivers' }),
    ];
    const values = [...made.flatMap((g) => [g.displayName as string, (g.displayName as string).toUpperCase(), id(g), id(g).toUpperCase()]), 'Ext-1', 'ext-1', 'none'];
    for (const value of values) {
      for (const attribute of ['displayName', 'id', 'externalId']) {
        const quoted = JSON.stringify(value);
        // "not (… ne …)" names no index term: every group is rendered and the filter evaluated.
        const [indexed, evaluated] = await Promise.all(
          [`${attribute} eq ${quoted}`, `not (${attribute} ne ${quoted})`].map(async (filter) => expectListResponse(await t.scim('GET', `/Groups${q({ filter })}`))),
        );
        expect([value, attribute, indexed]).toEqual([value, attribute, evaluated]);
      }
    }
  });

  test('the list filters by displayName (case-insensitively) and honours excludedAttributes=members', async () => {
    await createGroup(t.scim, { displayName: 'tour-guides', members: [{ value: id(alice) }] });
    await createGroup(t.scim, { displayName: 'drivers' });
    const body = expectListResponse(await t.scim('GET', `/Groups${q({ excludedAttributes: 'members', filter: 'displayName eq "Tour-Guides"' })}`));
    expect(body.totalResults).toBe(1);
    expect(body.Resources[0]).toMatchObject({ displayName: 'tour-guides' });
    expect(body.Resources[0]).not.toHaveProperty('members');
  });

  test('the list filters by externalId and by members.value', async () => {
    const guides = await createGroup(t.scim, { displayName: 'tour-guides', externalId: 'ext-guides', members: [{ value: id(alice) }] });
    const drivers = await createGroup(t.scim, { displayName: 'drivers', members: [{ value: id(bob) }, { value: id(alice) }] });
    const byExternal = expectListResponse(await t.scim('GET', `/Groups${q({ filter: 'externalId eq "ext-guides"' })}`));
    expect(byExternal.Resources.map(id)).toEqual([id(guides)]);
    const withBob = expectListResponse(await t.scim('GET', `/Groups${q({ filter: `members.value eq "${id(bob)}"`, excludedAttributes: 'members' })}`));
    expect(withBob.Resources.map(id)).toEqual([id(drivers)]);
    const withAlice = expectListResponse(await t.scim('GET', `/Groups${q({ filter: `members[value eq "${id(alice)}"]` })}`));
    expect(withAlice.Resources.map(id).sort()).toEqual(sorted(id(guides), id(drivers)));
  });

  test('paging and sorting work on groups too', async () => {
    for (const name of ['c-group', 'a-group', 'b-group']) await createGroup(t.scim, { displayName: name });
    const body = expectListResponse(await t.scim('GET', `/Groups${q({ sortBy: 'displayName', startIndex: 2, count: 1 })}`));
    expect(body).toMatchObject({ totalResults: 3, startIndex: 2, itemsPerPage: 1 });
    expect(body.Resources[0]!.displayName).toBe('b-group');
  });

  test('If-None-Match with the current version is 304', async () => {
    const group = await createGroup(t.scim, { displayName: 'tour-guides' });
    const res = await t.scim('GET', `/Groups/${id(group)}`, undefined, { 'If-None-Match': group.meta.version as string });
    expect(res.status).toBe(304);
  });

  test('POST /Groups/.search takes a SearchRequest body', async () => {
    await createGroup(t.scim, { displayName: 'tour-guides' });
    await createGroup(t.scim, { displayName: 'drivers' });
    const body = expectListResponse(await t.scim('POST', '/Groups/.search', { schemas: [URN.searchRequest], filter: 'displayName sw "tour"' }));
    expect(body.Resources.map((g) => g.displayName)).toEqual(['tour-guides']);
  });

  test('an invalid filter is 400 invalidFilter', async () => {
    expectScimError(await t.scim('GET', `/Groups${q({ filter: 'displayName eq' })}`), 400, 'invalidFilter');
  });
});

describe('PATCH /Groups/:id: membership', () => {
  let group: Json;
  beforeEach(async () => {
    group = await createGroup(t.scim, { displayName: 'tour-guides' });
  });

  test('add members with [{value}] adds them (visible through ListGroupMembers too)', async () => {
    const read = await patchGroup(id(group), { op: 'add', path: 'members', value: [{ value: id(alice) }, { value: id(bob) }] });
    expect(memberIds(read)).toEqual(sorted(id(alice), id(bob)));
    expect(await apiMembers(id(group))).toEqual(sorted(id(alice), id(bob)));
  });

  test('adding a member that is already there is a no-op, not an error or a duplicate', async () => {
    await patchGroup(id(group), { op: 'add', path: 'members', value: [{ value: id(alice) }] });
    const before = await getResource(t.scim, `/Groups/${id(group)}`);
    const read = await patchGroup(id(group), { op: 'add', path: 'members', value: [{ value: id(alice) }] });
    expect(memberIds(read)).toEqual([id(alice)]);
    expect(read.meta.version).toBe(before.meta.version);
  });

  test('path-less add {"members": [...]} adds members', async () => {
    const read = await patchGroup(id(group), { op: 'add', value: { members: [{ value: id(carol) }] } });
    expect(memberIds(read)).toEqual([id(carol)]);
  });

  test('remove with path members[value eq "<id>"] removes that member only', async () => {
    await patchGroup(id(group), { op: 'add', path: 'members', value: [{ value: id(alice) }, { value: id(bob) }] });
    const read = await patchGroup(id(group), { op: 'remove', path: `members[value eq "${id(alice)}"]` });
    expect(memberIds(read)).toEqual([id(bob)]);
    expect(await apiMembers(id(group))).toEqual([id(bob)]);
  });

  test('Entra\'s remove {"path": "members", "value": [{"value": "<id>"}]} removes just those members', async () => {
    await patchGroup(id(group), { op: 'add', path: 'members', value: [{ value: id(alice) }, { value: id(bob) }, { value: id(carol) }] });
    const read = await patchGroup(id(group), { op: 'remove', path: 'members', value: [{ value: id(alice) }, { value: id(carol) }] });
    expect(memberIds(read)).toEqual([id(bob)]);
  });

  test('remove of a member that is not in the group is a no-op (retries are idempotent)', async () => {
    await patchGroup(id(group), { op: 'add', path: 'members', value: [{ value: id(alice) }] });
    const read = await patchGroup(id(group), { op: 'remove', path: `members[value eq "${id(bob)}"]` });
    expect(memberIds(read)).toEqual([id(alice)]);
  });

  test('remove with path members (no value) empties the group', async () => {
    await patchGroup(id(group), { op: 'add', path: 'members', value: [{ value: id(alice) }, { value: id(bob) }] });
    const read = await patchGroup(id(group), { op: 'remove', path: 'members' });
    expect(memberIds(read)).toEqual([]);
    expect(await apiMembers(id(group))).toEqual([]);
  });

  test('replace path members sets exactly the given members', async () => {
    await patchGroup(id(group), { op: 'add', path: 'members', value: [{ value: id(alice) }, { value: id(bob) }] });
    const read = await patchGroup(id(group), { op: 'replace', path: 'members', value: [{ value: id(bob) }, { value: id(carol) }] });
    expect(memberIds(read)).toEqual(sorted(id(bob), id(carol)));
    expect(await apiMembers(id(group))).toEqual(sorted(id(bob), id(carol)));
  });

  test('remove and add in one request (Okta) both apply', async () => {
    await patchGroup(id(group), { op: 'add', path: 'members', value: [{ value: id(alice) }] });
    const read = await patchGroup(
      id(group),
      { op: 'remove', path: `members[value eq "${id(alice)}"]` },
      { op: 'add', path: 'members', value: [{ value: id(bob), display: 'bob@example.com' }] },
    );
    expect(memberIds(read)).toEqual([id(bob)]);
  });

  test('adding a user that does not exist is 400 invalidValue and leaves the members as they were', async () => {
    await patchGroup(id(group), { op: 'add', path: 'members', value: [{ value: id(alice) }] });
    const res = await t.scim('PATCH', `/Groups/${id(group)}`, patchOp({ op: 'add', path: 'members', value: [{ value: id(bob) }, { value: 'u-doesnotexist1' }] }));
    expectScimError(res, 400, 'invalidValue');
    expect(await apiMembers(id(group))).toEqual([id(alice)]);
  });

  test('a membership change bumps the group version and lastModified', async () => {
    t.emu.clock.advance(90);
    const read = await patchGroup(id(group), { op: 'add', path: 'members', value: [{ value: id(alice) }] });
    expect(read.meta.version).not.toBe(group.meta.version);
    expect(new Date(read.meta.lastModified as string).toISOString()).toBe('2026-03-01T00:01:30.000Z');
  });

  test('op names are case-insensitive ("Add", "Remove")', async () => {
    await patchGroup(id(group), { op: 'Add', path: 'members', value: [{ value: id(alice) }] });
    const read = await patchGroup(id(group), { op: 'Remove', path: 'members', value: [{ value: id(alice) }] });
    expect(memberIds(read)).toEqual([]);
  });

  test('a deleted user disappears from the group', async () => {
    await patchGroup(id(group), { op: 'add', path: 'members', value: [{ value: id(alice) }, { value: id(bob) }] });
    expect((await t.scim('DELETE', `/Users/${id(alice)}`)).status).toBe(204);
    expect(memberIds(await getResource(t.scim, `/Groups/${id(group)}`))).toEqual([id(bob)]);
  });

  test("a member's user shows the group in its groups attribute", async () => {
    await patchGroup(id(group), { op: 'add', path: 'members', value: [{ value: id(alice) }] });
    const user = await getResource(t.scim, `/Users/${id(alice)}`);
    expect(user.groups).toEqual([expect.objectContaining({ value: id(group), display: 'tour-guides' })]);
  });
});

describe('PATCH /Groups/:id: attributes', () => {
  let group: Json;
  beforeEach(async () => {
    group = await createGroup(t.scim, { displayName: 'tour-guides', externalId: 'ext-guides', members: [{ value: id(alice) }] });
  });

  test('replace displayName with a path renames the group and keeps its members', async () => {
    const read = await patchGroup(id(group), { op: 'replace', path: 'displayName', value: 'trip-leaders' });
    expect(read).toMatchObject({ id: id(group), displayName: 'trip-leaders', externalId: 'ext-guides' });
    expect(memberIds(read)).toEqual([id(alice)]);
  });

  test('Okta\'s path-less replace {"id": <same id>, "displayName": "new"} renames the group', async () => {
    const read = await patchGroup(id(group), { op: 'replace', value: { id: id(group), displayName: 'trip-leaders' } });
    expect(read.displayName).toBe('trip-leaders');
  });

  test('a path-less replace with a different id is 400 mutability', async () => {
    const res = await t.scim('PATCH', `/Groups/${id(group)}`, patchOp({ op: 'replace', value: { id: 'g-otherid00001', displayName: 'x-y' } }));
    expectScimError(res, 400, 'mutability');
  });

  test('replacing id with a path is 400 mutability', async () => {
    expectScimError(await t.scim('PATCH', `/Groups/${id(group)}`, patchOp({ op: 'replace', path: 'id', value: 'g-otherid00001' })), 400, 'mutability');
  });

  test("renaming to another group's displayName is 409 uniqueness", async () => {
    await createGroup(t.scim, { displayName: 'drivers' });
    expectScimError(await t.scim('PATCH', `/Groups/${id(group)}`, patchOp({ op: 'replace', path: 'displayName', value: 'DRIVERS' })), 409, 'uniqueness');
  });

  test('removing displayName is 400 invalidValue (it is required)', async () => {
    expectScimError(await t.scim('PATCH', `/Groups/${id(group)}`, patchOp({ op: 'remove', path: 'displayName' })), 400, 'invalidValue');
  });

  test('an unknown attribute path is 400 invalidPath', async () => {
    expectScimError(await t.scim('PATCH', `/Groups/${id(group)}`, patchOp({ op: 'replace', path: 'owner', value: 'x' })), 400, 'invalidPath');
  });

  test('If-Match with a stale version is 412 and changes nothing', async () => {
    await patchGroup(id(group), { op: 'replace', path: 'displayName', value: 'trip-leaders' });
    const res = await t.scim('PATCH', `/Groups/${id(group)}`, patchOp({ op: 'replace', path: 'displayName', value: 'lost' }), {
      'If-Match': group.meta.version as string,
    });
    expectScimError(res, 412);
    expect((await getResource(t.scim, `/Groups/${id(group)}`)).displayName).toBe('trip-leaders');
  });

  test('PATCH of an unknown group is 404', async () => {
    expectScimError(await t.scim('PATCH', '/Groups/g-doesnotexist1', patchOp({ op: 'replace', path: 'displayName', value: 'x' })), 404);
  });
});

describe('PUT /Groups/:id', () => {
  test('replaces displayName and members with exactly what is sent', async () => {
    const group = await createGroup(t.scim, { displayName: 'tour-guides', members: [{ value: id(alice) }, { value: id(bob) }] });
    const res = await t.scim('PUT', `/Groups/${id(group)}`, { schemas: [URN.group], displayName: 'trip-leaders', members: [{ value: id(bob) }, { value: id(carol) }] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: id(group), displayName: 'trip-leaders' });
    expect(memberIds(res.body as Json)).toEqual(sorted(id(bob), id(carol)));
    expect(await apiMembers(id(group))).toEqual(sorted(id(bob), id(carol)));
    expect(res.headers.etag).toBe((res.body as Json).meta.version);
  });

  test('a PUT without members empties the group (replace semantics)', async () => {
    const group = await createGroup(t.scim, { displayName: 'tour-guides', members: [{ value: id(alice) }] });
    const res = await t.scim('PUT', `/Groups/${id(group)}`, { schemas: [URN.group], displayName: 'tour-guides' });
    expect(res.status).toBe(200);
    expect(memberIds(res.body as Json)).toEqual([]);
  });

  test('a PUT with an unknown member is 400 invalidValue and changes nothing', async () => {
    const group = await createGroup(t.scim, { displayName: 'tour-guides', members: [{ value: id(alice) }] });
    const res = await t.scim('PUT', `/Groups/${id(group)}`, { schemas: [URN.group], displayName: 'renamed', members: [{ value: 'u-doesnotexist1' }] });
    expectScimError(res, 400, 'invalidValue');
    expect(await getResource(t.scim, `/Groups/${id(group)}`)).toEqual(group);
  });

  test('a PUT without displayName is 400 invalidValue', async () => {
    const group = await createGroup(t.scim, { displayName: 'tour-guides' });
    expectScimError(await t.scim('PUT', `/Groups/${id(group)}`, { schemas: [URN.group], members: [] }), 400, 'invalidValue');
  });

  test('a PUT to an unknown group is 404', async () => {
    expectScimError(await t.scim('PUT', '/Groups/g-doesnotexist1', { schemas: [URN.group], displayName: 'x' }), 404);
  });

  test('If-Match with a stale version is 412', async () => {
    const group = await createGroup(t.scim, { displayName: 'tour-guides' });
    await patchGroup(id(group), { op: 'add', path: 'members', value: [{ value: id(alice) }] });
    const res = await t.scim('PUT', `/Groups/${id(group)}`, { schemas: [URN.group], displayName: 'tour-guides' }, { 'If-Match': group.meta.version as string });
    expectScimError(res, 412);
  });
});

describe('DELETE /Groups/:id', () => {
  test('a group with members can be deleted: 204, then 404; the users stay', async () => {
    const group = await createGroup(t.scim, { displayName: 'tour-guides', members: [{ value: id(alice) }, { value: id(bob) }] });
    const res = await t.scim('DELETE', `/Groups/${id(group)}`);
    expect(res.status).toBe(204);
    expect(res.text ?? '').toBe('');
    expectScimError(await t.scim('GET', `/Groups/${id(group)}`), 404);
    expectScimError(await t.scim('DELETE', `/Groups/${id(group)}`), 404);
    await getResource(t.scim, `/Users/${id(alice)}`);
    const user = await getResource(t.scim, `/Users/${id(bob)}`);
    expect(user.groups ?? []).toEqual([]);
    expect(t.emu.store.dump().memberships.length).toBe(0);
  });

  test('If-Match with a stale version is 412 and the group stays', async () => {
    const group = await createGroup(t.scim, { displayName: 'tour-guides' });
    await patchGroup(id(group), { op: 'add', path: 'members', value: [{ value: id(alice) }] });
    expectScimError(await t.scim('DELETE', `/Groups/${id(group)}`, undefined, { 'If-Match': group.meta.version as string }), 412);
    await getResource(t.scim, `/Groups/${id(group)}`);
  });
});
