/**
 * /Users per RFC 7644: create (3.3), read (3.4.1), query (3.4.2, 3.4.3),
 * replace (3.5.1), modify (3.5.2), delete (3.6), versioning (3.14), errors (3.12).
 */
import { DEMO_ZONE_ID, ok } from '../helpers/api.js';
import {
  URN,
  createUser,
  expectListResponse,
  expectPatched,
  expectScimError,
  getResource,
  patchOp,
  q,
  scimEmulator,
  userBody,
  userNamesOf,
  type Json,
  type ScimEmulator,
} from '../helpers/scim.js';

let t: ScimEmulator;
beforeEach(async () => {
  t = await scimEmulator();
});
afterEach(() => t.close());

const START = '2026-03-01T00:00:00.000Z';
const iso = (s: unknown) => new Date(String(s)).toISOString();

function aliceBody(extra: Json = {}): Json {
  return userBody('alice@example.com', {
    externalId: 'ext-alice',
    name: { givenName: 'Alice', familyName: 'Anderson', formatted: 'Alice Anderson' },
    displayName: 'Alice Anderson',
    emails: [
      { value: 'alice@example.com', type: 'work', primary: true },
      { value: 'alice.home@example.org', type: 'home' },
    ],
    active: true,
    ...extra,
  });
}

describe('POST /Users', () => {
  test('creates a user: 201, the resource, Location = meta.location and ETag = meta.version', async () => {
    const res = await t.scim('POST', '/Users', aliceBody());
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    const user = res.body as Json;
    expect(user).toMatchObject({
      schemas: expect.arrayContaining([URN.user]),
      id: expect.any(String),
      externalId: 'ext-alice',
      userName: 'alice@example.com',
      name: { givenName: 'Alice', familyName: 'Anderson' },
      displayName: 'Alice Anderson',
      active: true,
      emails: expect.arrayContaining([
        expect.objectContaining({ value: 'alice@example.com', type: 'work', primary: true }),
        expect.objectContaining({ value: 'alice.home@example.org', type: 'home' }),
      ]),
      meta: { resourceType: 'User', created: expect.any(String), lastModified: expect.any(String), version: expect.any(String) },
    });
    expect(user.id).not.toBe('');
    expect(user.meta.location).toMatch(new RegExp(`^https?://[^/]+/scim/v2/Users/${user.id as string}$`));
    expect(res.headers.location).toBe(user.meta.location);
    expect(res.headers.etag).toBe(user.meta.version);
  });

  test('meta.created and meta.lastModified are the emulator clock time', async () => {
    const user = await createUser(t.scim, aliceBody());
    expect(iso(user.meta.created)).toBe(START);
    expect(iso(user.meta.lastModified)).toBe(START);
  });

  test('active defaults to true when the client leaves it out', async () => {
    const user = await createUser(t.scim, userBody('no.active@example.com'));
    expect(user.active).toBe(true);
  });

  test('a client-supplied id and meta are ignored (they are readOnly)', async () => {
    const user = await createUser(t.scim, aliceBody({ id: 'chosen-by-client', meta: { resourceType: 'User', created: '1999-01-01T00:00:00Z' } }));
    expect(user.id).not.toBe('chosen-by-client');
    expect(iso(user.meta.created)).toBe(START);
  });

  test('a password is accepted but never returned (returned: never)', async () => {
    const user = await createUser(t.scim, aliceBody({ password: 't0p-secret' }));
    expect(user).not.toHaveProperty('password');
    expect(await getResource(t.scim, `/Users/${user.id as string}`)).not.toHaveProperty('password');
    expect(JSON.stringify(t.emu.store.dump().users)).not.toContain('t0p-secret');
  });

  test('the enterprise extension is kept and listed in schemas', async () => {
    const user = await createUser(
      t.scim,
      aliceBody({
        schemas: [URN.user, URN.enterprise],
        [URN.enterprise]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' } },
      }),
    );
    const read = await getResource(t.scim, `/Users/${user.id as string}`);
    expect(read.schemas).toEqual(expect.arrayContaining([URN.user, URN.enterprise]));
    expect(read[URN.enterprise]).toMatchObject({ employeeNumber: '701984', department: 'Tour Operations', manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' } });
  });

  test('attributes Identity Center has no column for (title, phoneNumbers, name.formatted) round-trip', async () => {
    const user = await createUser(
      t.scim,
      aliceBody({ title: 'Tour Guide', phoneNumbers: [{ value: '555-555-8377', type: 'work' }], nickName: 'Babs' }),
    );
    const read = await getResource(t.scim, `/Users/${user.id as string}`);
    expect(read).toMatchObject({
      title: 'Tour Guide',
      nickName: 'Babs',
      phoneNumbers: [expect.objectContaining({ value: '555-555-8377', type: 'work' })],
      name: expect.objectContaining({ formatted: 'Alice Anderson' }),
    });
  });

  test('"active": "False" (a string, as older Entra sends) creates a disabled user', async () => {
    const user = await createUser(t.scim, userBody('string.bool@example.com', { active: 'False' }));
    expect(user.active).toBe(false);
  });

  test('non-ASCII names (张三) round-trip and can be filtered on', async () => {
    const user = await createUser(t.scim, userBody('zhang.san@example.cn', { name: { givenName: '三', familyName: '张' }, displayName: '张三' }));
    expect(user).toMatchObject({ name: { givenName: '三', familyName: '张' }, displayName: '张三' });
    const found = expectListResponse(await t.scim('GET', `/Users${q({ filter: 'displayName eq "张三"' })}`));
    expect(found.Resources.map((r) => r.id)).toEqual([user.id]);
    const info = ok(await t.emu.call('GetUser', { ZoneId: DEMO_ZONE_ID, UserId: user.id })).UserInfo as Json;
    expect(info).toMatchObject({ FirstName: '三', LastName: '张', DisplayName: '张三' });
  });

  test('attribute names in the body are case-insensitive ("UserName", "Active", "Name.GivenName")', async () => {
    const res = await t.scim('POST', '/Users', { schemas: [URN.user], UserName: 'cased@example.com', Active: false, Name: { GivenName: 'Cased' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ userName: 'cased@example.com', active: false, name: { givenName: 'Cased' } });
  });

  // RFC 7643 2.4: "The primary attribute value 'true' MUST appear no more than once." The server may
  // refuse such a body (400 invalidValue) or keep one primary, but must not store and return two.
  test('two e-mails both marked primary never come back as two primaries', async () => {
    const res = await t.scim('POST', '/Users', userBody('two.primaries@example.com', {
      emails: [
        { value: 'first@example.com', type: 'work', primary: true },
        { value: 'second@example.com', type: 'home', primary: true },
      ],
    }));
    if (res.status === 400) {
      expectScimError(res, 400, 'invalidValue');
      return;
    }
    expect(res.status).toBe(201);
    const primaries = ((res.body as Json).emails as Json[]).filter((e) => e.primary === true);
    expect(primaries).toHaveLength(1);
    const info = ok(await t.emu.call('GetUser', { ZoneId: DEMO_ZONE_ID, UserId: (res.body as Json).id })).UserInfo as Json;
    expect(info.Email).toBe(primaries[0]!.value);
  });

  test('a missing userName is 400 invalidValue', async () => {
    expectScimError(await t.scim('POST', '/Users', { schemas: [URN.user], displayName: 'Nobody' }), 400, 'invalidValue');
  });

  test('an empty userName is 400 invalidValue', async () => {
    expectScimError(await t.scim('POST', '/Users', userBody('')), 400, 'invalidValue');
  });

  test('a userName Identity Center does not accept (a space) is 400 invalidValue', async () => {
    expectScimError(await t.scim('POST', '/Users', userBody('has space')), 400, 'invalidValue');
  });

  test('a wrongly typed attribute ("active": "maybe") is 400 invalidValue', async () => {
    expectScimError(await t.scim('POST', '/Users', userBody('typed@example.com', { active: 'maybe' })), 400, 'invalidValue');
  });

  test('a duplicate userName is 409 uniqueness, compared case-insensitively', async () => {
    await createUser(t.scim, aliceBody());
    expectScimError(await t.scim('POST', '/Users', userBody('alice@example.com')), 409, 'uniqueness');
    expectScimError(await t.scim('POST', '/Users', userBody('ALICE@Example.COM')), 409, 'uniqueness');
    expect(t.emu.store.dump().users.length).toBe(1);
  });

  test('malformed JSON is 400 invalidSyntax', async () => {
    expectScimError(await t.scim('POST', '/Users', '{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": '), 400, 'invalidSyntax');
  });

  test('a JSON body that is not an object is 400 invalidSyntax', async () => {
    expectScimError(await t.scim('POST', '/Users', '[{"userName":"a@example.com"}]'), 400, 'invalidSyntax');
  });
});

describe('GET /Users/:id', () => {
  test('returns the resource as created, with ETag = meta.version', async () => {
    const created = await createUser(t.scim, aliceBody());
    const res = await t.scim('GET', `/Users/${created.id as string}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(res.body).toEqual(created);
    expect(res.headers.etag).toBe(created.meta.version);
  });

  test('an unknown id is a 404 SCIM error', async () => {
    const body = expectScimError(await t.scim('GET', '/Users/u-doesnotexist1'), 404);
    expect(body.detail).not.toBe('');
  });

  test('If-None-Match with the current version is 304 without a body; a stale one gets the resource', async () => {
    const created = await createUser(t.scim, aliceBody());
    const path = `/Users/${created.id as string}`;
    const notModified = await t.scim('GET', path, undefined, { 'If-None-Match': created.meta.version as string });
    expect(notModified.status).toBe(304);
    expect(notModified.text ?? '').toBe('');

    expectPatched(await t.scim('PATCH', path, patchOp({ op: 'replace', path: 'displayName', value: 'Changed' })));
    const changed = await t.scim('GET', path, undefined, { 'If-None-Match': created.meta.version as string });
    expect(changed.status).toBe(200);
    expect((changed.body as Json).displayName).toBe('Changed');
    expect(changed.headers.etag).not.toBe(created.meta.version);
  });

  test('attributes=userName returns userName plus the always-returned id (and nothing optional)', async () => {
    const created = await createUser(t.scim, aliceBody());
    const user = await getResource(t.scim, `/Users/${created.id as string}?attributes=userName`);
    expect(user.id).toBe(created.id);
    expect(user.userName).toBe('alice@example.com');
    for (const absent of ['name', 'emails', 'displayName', 'externalId', 'active']) expect(user).not.toHaveProperty(absent);
  });

  test('excludedAttributes=emails,name leaves those out and keeps the rest', async () => {
    const created = await createUser(t.scim, aliceBody());
    const user = await getResource(t.scim, `/Users/${created.id as string}?excludedAttributes=emails,name`);
    expect(user).not.toHaveProperty('emails');
    expect(user).not.toHaveProperty('name');
    expect(user).toMatchObject({ id: created.id, userName: 'alice@example.com', displayName: 'Alice Anderson' });
  });
});

describe('GET /Users: filtering, paging, sorting, projection', () => {
  /** Four users created a minute apart (meta.lastModified 00:00, 00:01, 00:02, 00:03). */
  let ids: Record<string, string>;
  beforeEach(async () => {
    ids = {};
    const seed: Json[] = [
      aliceBody(),
      userBody('bob@example.com', {
        externalId: 'ext-bob',
        name: { givenName: 'Bob', familyName: 'Brown' },
        displayName: 'Bob Brown',
        emails: [{ value: 'bob@example.com', type: 'work', primary: true }],
        active: false,
      }),
      userBody('carol@example.org', {
        externalId: 'ext-carol',
        name: { givenName: 'Carol', familyName: 'Clark' },
        displayName: 'Carol Clark',
        emails: [{ value: 'carol@example.org', type: 'work', primary: true }],
      }),
      userBody('dave.smith@example.com', {
        name: { givenName: 'Dave', familyName: 'Smith' },
        displayName: 'Dave Smith',
        emails: [{ value: 'dave@corp.example', type: 'work', primary: true }],
      }),
    ];
    for (const [i, body] of seed.entries()) {
      if (i > 0) t.emu.clock.advance(60);
      const user = await createUser(t.scim, body);
      ids[body.userName as string] = user.id as string;
    }
  });

  const list = async (params: Record<string, string | number>) => expectListResponse(await t.scim('GET', `/Users${q(params)}`));

  test('without parameters lists every user as a ListResponse with integer counters', async () => {
    const body = await list({});
    expect(body).toMatchObject({ totalResults: 4, startIndex: 1, itemsPerPage: 4 });
    expect(userNamesOf(body.Resources)).toEqual(['alice@example.com', 'bob@example.com', 'carol@example.org', 'dave.smith@example.com']);
  });

  test.each([
    ['userName eq "alice@example.com"', ['alice@example.com']],
    ['userName eq "ALICE@EXAMPLE.COM"', ['alice@example.com']],
    ['USERNAME eq "alice@example.com"', ['alice@example.com']],
    ['userName EQ "alice@example.com"', ['alice@example.com']],
    ['externalId eq "ext-bob"', ['bob@example.com']],
    ['externalId eq "EXT-BOB"', []],
    ['emails.value eq "alice.home@example.org"', ['alice@example.com']],
    ['emails eq "alice.home@example.org"', ['alice@example.com']],
    ['emails[type eq "work"].value eq "carol@example.org"', ['carol@example.org']],
    ['emails[type eq "work"].value eq "alice.home@example.org"', []],
    ['emails[type eq "work" and value co "corp"]', ['dave.smith@example.com']],
    ['displayName eq "Bob Brown"', ['bob@example.com']],
    ['name.givenName eq "Carol"', ['carol@example.org']],
    ['name.familyName sw "Sm"', ['dave.smith@example.com']],
    ['active eq true', ['alice@example.com', 'carol@example.org', 'dave.smith@example.com']],
    ['active eq false', ['bob@example.com']],
    ['userName co "example.com"', ['alice@example.com', 'bob@example.com', 'dave.smith@example.com']],
    ['userName sw "a"', ['alice@example.com']],
    ['userName ew ".org"', ['carol@example.org']],
    ['userName ne "alice@example.com"', ['bob@example.com', 'carol@example.org', 'dave.smith@example.com']],
    ['externalId pr', ['alice@example.com', 'bob@example.com', 'carol@example.org']],
    ['not (externalId pr)', ['dave.smith@example.com']],
    ['userName eq "alice@example.com" or userName eq "bob@example.com"', ['alice@example.com', 'bob@example.com']],
    ['active eq true and userName co "example.com"', ['alice@example.com', 'dave.smith@example.com']],
    ['(userName sw "a" or userName sw "b") and active eq true', ['alice@example.com']],
    ['not (active eq true)', ['bob@example.com']],
    ['meta.lastModified gt "2026-03-01T00:01:30Z"', ['carol@example.org', 'dave.smith@example.com']],
    ['meta.lastModified ge "2026-03-01T00:02:00Z"', ['carol@example.org', 'dave.smith@example.com']],
    ['meta.lastModified lt "2026-03-01T00:01:00Z"', ['alice@example.com']],
    ['meta.lastModified le "2026-03-01T00:01:00Z"', ['alice@example.com', 'bob@example.com']],
    ['meta.resourceType eq "User"', ['alice@example.com', 'bob@example.com', 'carol@example.org', 'dave.smith@example.com']],
    ['userName eq "nobody@example.com"', []],
  ])('filter=%s', async (filter, expected) => {
    const body = await list({ filter });
    expect(userNamesOf(body.Resources)).toEqual(expected);
    expect(body.totalResults).toBe(expected.length);
  });

  test('filter=id eq "<id>" finds that user', async () => {
    const body = await list({ filter: `id eq "${ids['carol@example.org']!}"` });
    expect(userNamesOf(body.Resources)).toEqual(['carol@example.org']);
  });

  test('an eq filter answered by the index alone gives what evaluating it over every user gives, whole answers included', async () => {
    const names = Object.keys(ids);
    const values = [
      ...names.flatMap((n) => [n, n.toUpperCase(), n[0]!.toUpperCase() + n.slice(1)]),
      ...Object.values(ids).flatMap((id) => [id, id.toUpperCase()]),
      'ext-bob',
      'EXT-BOB',
      'nobody@example.com',
      '',
    ];
    for (const value of values) {
      // externalId is caseExact, its index is not: the index only narrows it down.
      for (const attribute of ['userName', 'id', 'externalId']) {
        const quoted = JSON.stringify(value);
        // "not (… ne …)" names no index term: every user is rendered and the filter evaluated.
        const [indexed, evaluated] = await Promise.all([list({ filter: `${attribute} eq ${quoted}` }), list({ filter: `not (${attribute} ne ${quoted})` })]);
        expect([value, attribute, indexed]).toEqual([value, attribute, evaluated]);
      }
    }
  });

  test('a filter that matches nothing is 200 with totalResults 0 and an empty Resources array', async () => {
    const res = await t.scim('GET', `/Users${q({ filter: 'userName eq "non-existent user"' })}`);
    const body = expectListResponse(res);
    expect(body.totalResults).toBe(0);
    expect((res.body as Json).Resources).toEqual([]);
  });

  test.each([
    ['userName eq'],
    ['userName zz "x"'],
    ['(userName eq "a"'],
    ['userName eq "a" and'],
    ['noSuchAttribute eq "x"'],
    ['name.noSuchPart eq "x"'],
    ['emails[type eq "work"'],
    ['userName eq "unterminated'],
    ['meta.lastModified gt "yesterday"'],
    ['active eq "sometimes"'],
  ])('filter=%s is 400 invalidFilter', async (filter) => {
    expectScimError(await t.scim('GET', `/Users${q({ filter })}`), 400, 'invalidFilter');
  });

  test('startIndex and count page through the users; totalResults counts them all', async () => {
    const first = await list({ startIndex: 1, count: 2 });
    expect(first).toMatchObject({ totalResults: 4, startIndex: 1, itemsPerPage: 2 });
    const second = await list({ startIndex: 3, count: 2 });
    expect(second).toMatchObject({ totalResults: 4, startIndex: 3, itemsPerPage: 2 });
    const seen = [...first.Resources, ...second.Resources].map((r) => r.id as string);
    expect(new Set(seen).size).toBe(4);
    expect(seen.sort()).toEqual(Object.values(ids).sort());
    const beyond = await list({ startIndex: 5, count: 2 });
    expect(beyond).toMatchObject({ totalResults: 4, startIndex: 5, itemsPerPage: 0, Resources: [] });
  });

  test('the order is the same on every request, so pages neither overlap nor skip (Okta requires this)', async () => {
    const a = (await list({ startIndex: 1, count: 4 })).Resources.map((r) => r.id);
    const b = (await list({ startIndex: 1, count: 4 })).Resources.map((r) => r.id);
    expect(b).toEqual(a);
    const paged = [];
    for (let i = 1; i <= 4; i++) paged.push(...(await list({ startIndex: i, count: 1 })).Resources.map((r) => r.id));
    expect(paged).toEqual(a);
  });

  test('count=0 returns only totalResults (RFC 7644 3.4.2.4)', async () => {
    expect(await list({ count: 0 })).toMatchObject({ totalResults: 4, itemsPerPage: 0, Resources: [] });
  });

  test('startIndex below 1 is taken as 1 and a negative count as 0 (RFC 7644 3.4.2.4)', async () => {
    expect(await list({ startIndex: 0, count: 1 })).toMatchObject({ startIndex: 1, itemsPerPage: 1 });
    expect(await list({ startIndex: -5, count: 1 })).toMatchObject({ startIndex: 1, itemsPerPage: 1 });
    expect(await list({ count: -1 })).toMatchObject({ totalResults: 4, itemsPerPage: 0 });
  });

  test('a non-numeric startIndex is 400 invalidValue', async () => {
    expectScimError(await t.scim('GET', `/Users${q({ startIndex: 'first' })}`), 400, 'invalidValue');
  });

  test('filter and paging combine: totalResults counts the matches, not the page', async () => {
    const body = await list({ filter: 'userName co "example.com"', startIndex: 2, count: 1 });
    expect(body).toMatchObject({ totalResults: 3, startIndex: 2, itemsPerPage: 1 });
  });

  test('sortBy=userName sorts ascending by default and descending on request', async () => {
    const asc = await list({ sortBy: 'userName' });
    expect(asc.Resources.map((r) => r.userName)).toEqual(['alice@example.com', 'bob@example.com', 'carol@example.org', 'dave.smith@example.com']);
    const desc = await list({ sortBy: 'userName', sortOrder: 'descending' });
    expect(desc.Resources.map((r) => r.userName)).toEqual(['dave.smith@example.com', 'carol@example.org', 'bob@example.com', 'alice@example.com']);
  });

  test('sortBy=name.familyName sorts by a sub-attribute, and sorting happens before paging', async () => {
    const body = await list({ sortBy: 'name.familyName', sortOrder: 'descending', startIndex: 1, count: 2 });
    expect(body.Resources.map((r) => r.name.familyName)).toEqual(['Smith', 'Clark']);
  });

  test('an invalid sortOrder is 400 invalidValue', async () => {
    expectScimError(await t.scim('GET', `/Users${q({ sortBy: 'userName', sortOrder: 'sideways' })}`), 400, 'invalidValue');
  });

  test('attributes=userName,name.givenName projects every listed resource', async () => {
    const body = await list({ attributes: 'userName,name.givenName', filter: 'userName eq "alice@example.com"' });
    const [user] = body.Resources;
    expect(user).toMatchObject({ id: ids['alice@example.com'], userName: 'alice@example.com', name: { givenName: 'Alice' } });
    expect(user!.name).not.toHaveProperty('familyName');
    expect(user).not.toHaveProperty('emails');
  });

  test('excludedAttributes=emails,groups leaves those out of every listed resource', async () => {
    const body = await list({ excludedAttributes: 'emails,groups' });
    for (const user of body.Resources) {
      expect(user).not.toHaveProperty('emails');
      expect(user).toHaveProperty('userName');
    }
  });

  test('POST /Users/.search takes a SearchRequest body (RFC 7644 3.4.3)', async () => {
    const res = await t.scim('POST', '/Users/.search', {
      schemas: [URN.searchRequest],
      filter: 'userName co "example.com"',
      attributes: ['userName', 'displayName'],
      sortBy: 'userName',
      sortOrder: 'descending',
      startIndex: 1,
      count: 2,
    });
    const body = expectListResponse(res);
    expect(body).toMatchObject({ totalResults: 3, startIndex: 1, itemsPerPage: 2 });
    expect(body.Resources.map((r) => r.userName)).toEqual(['dave.smith@example.com', 'bob@example.com']);
    expect(body.Resources[0]).not.toHaveProperty('emails');
  });

  test('POST /Users/.search with an invalid filter is 400 invalidFilter', async () => {
    expectScimError(await t.scim('POST', '/Users/.search', { schemas: [URN.searchRequest], filter: 'userName eq' }), 400, 'invalidFilter');
  });
});

describe('PUT /Users/:id', () => {
  test('replaces the user: sent attributes are set, omitted ones are cleared, id and created stay', async () => {
    const created = await createUser(t.scim, aliceBody({ title: 'Tour Guide' }));
    t.emu.clock.advance(60);
    const res = await t.scim('PUT', `/Users/${created.id as string}`, userBody('alice@example.com', {
      name: { givenName: 'Alicia', familyName: 'Anderson' },
      emails: [{ value: 'alicia@example.com', type: 'work', primary: true }],
      active: true,
    }));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    const user = res.body as Json;
    expect(user).toMatchObject({ id: created.id, userName: 'alice@example.com', name: { givenName: 'Alicia', familyName: 'Anderson' }, active: true });
    expect(user.emails).toEqual([expect.objectContaining({ value: 'alicia@example.com', type: 'work', primary: true })]);
    for (const cleared of ['displayName', 'externalId', 'title']) expect(user).not.toHaveProperty(cleared);
    expect(user.meta.created).toBe(created.meta.created);
    expect(iso(user.meta.lastModified)).toBe('2026-03-01T00:01:00.000Z');
    expect(user.meta.version).not.toBe(created.meta.version);
    expect(res.headers.etag).toBe(user.meta.version);
    expect(await getResource(t.scim, `/Users/${created.id as string}`)).toEqual(user);
  });

  test('PUT can rename the user (userName is readWrite)', async () => {
    const created = await createUser(t.scim, aliceBody());
    const res = await t.scim('PUT', `/Users/${created.id as string}`, userBody('alice.renamed@example.com'));
    expect(res.status).toBe(200);
    expect((res.body as Json).userName).toBe('alice.renamed@example.com');
  });

  test('an id in the PUT body is ignored; the URL decides which user is replaced', async () => {
    const created = await createUser(t.scim, aliceBody());
    const res = await t.scim('PUT', `/Users/${created.id as string}`, aliceBody({ id: 'u-somethingelse', displayName: 'Same Alice' }));
    expect(res.status).toBe(200);
    expect((res.body as Json).id).toBe(created.id);
  });

  test('a PUT that changes nothing keeps meta.version and meta.lastModified', async () => {
    const created = await createUser(t.scim, aliceBody());
    t.emu.clock.advance(60);
    const res = await t.scim('PUT', `/Users/${created.id as string}`, aliceBody());
    expect(res.status).toBe(200);
    expect((res.body as Json).meta.version).toBe(created.meta.version);
    expect((res.body as Json).meta.lastModified).toBe(created.meta.lastModified);
  });

  test('PUT without userName is 400 invalidValue and leaves the user as it was', async () => {
    const created = await createUser(t.scim, aliceBody());
    expectScimError(await t.scim('PUT', `/Users/${created.id as string}`, { schemas: [URN.user], displayName: 'x' }), 400, 'invalidValue');
    expect(await getResource(t.scim, `/Users/${created.id as string}`)).toEqual(created);
  });

  test('PUT to an unknown id is 404', async () => {
    expectScimError(await t.scim('PUT', '/Users/u-doesnotexist1', userBody('ghost@example.com')), 404);
  });

  test("PUT taking another user's userName (in any case) is 409 uniqueness", async () => {
    await createUser(t.scim, aliceBody());
    const bob = await createUser(t.scim, userBody('bob@example.com'));
    expectScimError(await t.scim('PUT', `/Users/${bob.id as string}`, userBody('Alice@Example.com')), 409, 'uniqueness');
  });

  test('If-Match: a stale version is 412 and changes nothing; the current version or * succeeds', async () => {
    const created = await createUser(t.scim, aliceBody());
    const path = `/Users/${created.id as string}`;
    expectPatched(await t.scim('PATCH', path, patchOp({ op: 'replace', path: 'displayName', value: 'Second' })));
    const stale = await t.scim('PUT', path, aliceBody({ displayName: 'Lost update' }), { 'If-Match': created.meta.version as string });
    expectScimError(stale, 412);
    const current = await getResource(t.scim, path);
    expect(current.displayName).toBe('Second');
    const fresh = await t.scim('PUT', path, aliceBody({ displayName: 'Third' }), { 'If-Match': current.meta.version as string });
    expect(fresh.status).toBe(200);
    const star = await t.scim('PUT', path, aliceBody({ displayName: 'Fourth' }), { 'If-Match': '*' });
    expect(star.status).toBe(200);
  });
});

describe('PATCH /Users/:id', () => {
  let user: Json;
  let path: string;
  beforeEach(async () => {
    user = await createUser(t.scim, aliceBody());
    path = `/Users/${user.id as string}`;
  });

  /** PATCHes and returns the user as GET then shows it. */
  async function patch(...operations: Json[]): Promise<Json> {
    const res = await t.scim('PATCH', path, patchOp(...operations));
    const body = expectPatched(res);
    const read = await getResource(t.scim, path);
    if (body) expect(body).toEqual(read);
    return read;
  }

  test('replace with a path sets one attribute and bumps the version', async () => {
    t.emu.clock.advance(30);
    const res = await t.scim('PATCH', path, patchOp({ op: 'replace', path: 'displayName', value: 'Ally' }));
    const body = expectPatched(res);
    const read = await getResource(t.scim, path);
    expect(read.displayName).toBe('Ally');
    expect(read.meta.version).not.toBe(user.meta.version);
    expect(iso(read.meta.lastModified)).toBe('2026-03-01T00:00:30.000Z');
    if (body) expect(res.headers.etag).toBe(read.meta.version);
  });

  test('replace name.givenName changes only that sub-attribute', async () => {
    const read = await patch({ op: 'replace', path: 'name.givenName', value: 'Alicia' });
    expect(read.name).toMatchObject({ givenName: 'Alicia', familyName: 'Anderson' });
  });

  test('add without a path merges the attributes of its value', async () => {
    const read = await patch({ op: 'add', value: { nickName: 'Ally', title: 'Guide' } });
    expect(read).toMatchObject({ nickName: 'Ally', title: 'Guide', displayName: 'Alice Anderson' });
  });

  test('add to emails appends a value; remove with a value filter takes out only the matches', async () => {
    let read = await patch({ op: 'add', path: 'emails', value: [{ value: 'alice.other@example.net', type: 'other' }] });
    expect((read.emails as Json[]).map((e) => e.value).sort()).toEqual(['alice.home@example.org', 'alice.other@example.net', 'alice@example.com']);
    read = await patch({ op: 'remove', path: 'emails[type eq "home"]' });
    expect((read.emails as Json[]).map((e) => e.value).sort()).toEqual(['alice.other@example.net', 'alice@example.com']);
  });

  test('replace emails[type eq "work"].value changes the work address only', async () => {
    const read = await patch({ op: 'replace', path: 'emails[type eq "work"].value', value: 'alice@new.example.com' });
    expect(read.emails).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ value: 'alice@new.example.com', type: 'work' }),
        expect.objectContaining({ value: 'alice.home@example.org', type: 'home' }),
      ]),
    );
  });

  test('remove with a path drops the attribute', async () => {
    const read = await patch({ op: 'remove', path: 'displayName' });
    expect(read).not.toHaveProperty('displayName');
  });

  test('op names are case-insensitive (Entra sends "Replace", "Add", "Remove")', async () => {
    const read = await patch(
      { op: 'Replace', path: 'displayName', value: 'Cased' },
      { op: 'ADD', path: 'nickName', value: 'Nick' },
      { op: 'Remove', path: 'externalId' },
    );
    expect(read).toMatchObject({ displayName: 'Cased', nickName: 'Nick' });
    expect(read).not.toHaveProperty('externalId');
  });

  test('attribute names in paths are case-insensitive', async () => {
    const read = await patch({ op: 'replace', path: 'NAME.GIVENNAME', value: 'Upper' });
    expect(read.name.givenName).toBe('Upper');
  });

  test.each([
    [false, false],
    ['False', false],
    ['false', false],
    [true, true],
    ['True', true],
  ])('replace active with %j sets active to %j', async (value, expected) => {
    if (expected) await patch({ op: 'replace', path: 'active', value: false });
    const read = await patch({ op: 'replace', path: 'active', value });
    expect(read.active).toBe(expected);
  });

  test('Okta\'s path-less replace {"active": false} deactivates', async () => {
    const read = await patch({ op: 'replace', value: { active: false } });
    expect(read.active).toBe(false);
  });

  test('a path-less value may use dotted sub-attribute names and extension URNs (Entra)', async () => {
    const read = await patch({
      op: 'replace',
      value: { displayName: 'Dotted', 'name.givenName': 'Dot', [`${URN.enterprise}:employeeNumber`]: 'E-42' },
    });
    expect(read).toMatchObject({ displayName: 'Dotted', name: { givenName: 'Dot', familyName: 'Anderson' }, [URN.enterprise]: { employeeNumber: 'E-42' } });
    expect(read.schemas).toContain(URN.enterprise);
  });

  test('operations apply in order within one request', async () => {
    const read = await patch({ op: 'replace', path: 'displayName', value: 'First' }, { op: 'replace', path: 'displayName', value: 'Second' });
    expect(read.displayName).toBe('Second');
  });

  test('a request is atomic: if a later operation fails, the earlier ones are not applied', async () => {
    const res = await t.scim('PATCH', path, patchOp({ op: 'replace', path: 'displayName', value: 'Applied?' }, { op: 'replace', path: 'noSuchAttribute', value: 1 }));
    expectScimError(res, 400, 'invalidPath');
    expect(await getResource(t.scim, path)).toEqual(user);
  });

  test('a PATCH that changes nothing keeps meta.version', async () => {
    const read = await patch({ op: 'replace', path: 'displayName', value: 'Alice Anderson' });
    expect(read.meta.version).toBe(user.meta.version);
  });

  test('replace userName renames the user; taking a used userName is 409 uniqueness', async () => {
    const read = await patch({ op: 'replace', path: 'userName', value: 'alice.new@example.com' });
    expect(read.userName).toBe('alice.new@example.com');
    await createUser(t.scim, userBody('bob@example.com'));
    expectScimError(await t.scim('PATCH', path, patchOp({ op: 'replace', path: 'userName', value: 'BOB@example.com' })), 409, 'uniqueness');
  });

  test('an unknown attribute path is 400 invalidPath', async () => {
    expectScimError(await t.scim('PATCH', path, patchOp({ op: 'replace', path: 'shoeSize', value: '42' })), 400, 'invalidPath');
  });

  test('a malformed value-filter path is 400 invalidPath', async () => {
    expectScimError(await t.scim('PATCH', path, patchOp({ op: 'remove', path: 'emails[type eq "work"' })), 400, 'invalidPath');
  });

  test('remove without a path is 400 noTarget', async () => {
    expectScimError(await t.scim('PATCH', path, patchOp({ op: 'remove' })), 400, 'noTarget');
  });

  test('replace through a value filter that matches nothing is 400 noTarget', async () => {
    const res = await t.scim('PATCH', path, patchOp({ op: 'replace', path: 'phoneNumbers[type eq "fax"].value', value: '555-0100' }));
    expectScimError(res, 400, 'noTarget');
  });

  test('replacing id is 400 mutability', async () => {
    expectScimError(await t.scim('PATCH', path, patchOp({ op: 'replace', path: 'id', value: 'u-hijacked0001' })), 400, 'mutability');
  });

  test('adding to the readOnly groups attribute is 400 mutability (membership is changed through /Groups)', async () => {
    const res = await t.scim('PATCH', path, patchOp({ op: 'add', path: 'groups', value: [{ value: 'g-000000000001' }] }));
    expectScimError(res, 400, 'mutability');
  });

  test('replacing meta.created is 400 mutability', async () => {
    expectScimError(await t.scim('PATCH', path, patchOp({ op: 'replace', path: 'meta.created', value: '2000-01-01T00:00:00Z' })), 400, 'mutability');
  });

  test('an invalid value ("active": "maybe") is 400 invalidValue', async () => {
    expectScimError(await t.scim('PATCH', path, patchOp({ op: 'replace', path: 'active', value: 'maybe' })), 400, 'invalidValue');
  });

  test('removing the required userName is 400 invalidValue', async () => {
    expectScimError(await t.scim('PATCH', path, patchOp({ op: 'remove', path: 'userName' })), 400, 'invalidValue');
  });

  test('add or replace without a value is 400 invalidValue', async () => {
    expectScimError(await t.scim('PATCH', path, patchOp({ op: 'add', path: 'nickName' })), 400, 'invalidValue');
  });

  test('a body without the PatchOp schema is 400 invalidSyntax', async () => {
    const res = await t.scim('PATCH', path, { Operations: [{ op: 'replace', path: 'displayName', value: 'x' }] });
    expectScimError(res, 400, 'invalidSyntax');
  });

  test('an unknown op is 400 invalidSyntax', async () => {
    expectScimError(await t.scim('PATCH', path, patchOp({ op: 'merge', path: 'displayName', value: 'x' })), 400, 'invalidSyntax');
  });

  test('an empty Operations array is 400 invalidSyntax', async () => {
    expectScimError(await t.scim('PATCH', path, patchOp()), 400, 'invalidSyntax');
  });

  test('malformed JSON is 400 invalidSyntax', async () => {
    expectScimError(await t.scim('PATCH', path, '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],'), 400, 'invalidSyntax');
  });

  test('PATCH of an unknown id is 404', async () => {
    expectScimError(await t.scim('PATCH', '/Users/u-doesnotexist1', patchOp({ op: 'replace', path: 'displayName', value: 'x' })), 404);
  });

  test('If-Match with a stale version is 412 and changes nothing', async () => {
    await patch({ op: 'replace', path: 'displayName', value: 'Newer' });
    const res = await t.scim('PATCH', path, patchOp({ op: 'replace', path: 'displayName', value: 'Lost' }), { 'If-Match': user.meta.version as string });
    expectScimError(res, 412);
    expect((await getResource(t.scim, path)).displayName).toBe('Newer');
  });

  test('If-Match with the current version succeeds', async () => {
    const res = await t.scim('PATCH', path, patchOp({ op: 'replace', path: 'displayName', value: 'Fine' }), { 'If-Match': user.meta.version as string });
    expectPatched(res);
  });
});

describe('DELETE /Users/:id', () => {
  test('is 204 without a body; the user is gone afterwards (GET and DELETE are 404)', async () => {
    const user = await createUser(t.scim, aliceBody());
    const res = await t.scim('DELETE', `/Users/${user.id as string}`);
    expect(res.status).toBe(204);
    expect(res.text ?? '').toBe('');
    expect(res.headers['content-length'] ?? '0').toBe('0');
    expectScimError(await t.scim('GET', `/Users/${user.id as string}`), 404);
    expectScimError(await t.scim('DELETE', `/Users/${user.id as string}`), 404);
    expect(expectListResponse(await t.scim('GET', '/Users')).totalResults).toBe(0);
  });

  test('the userName is free again after the delete', async () => {
    const user = await createUser(t.scim, aliceBody());
    expect((await t.scim('DELETE', `/Users/${user.id as string}`)).status).toBe(204);
    await createUser(t.scim, aliceBody());
  });

  test('If-Match with a stale version is 412 and the user stays', async () => {
    const user = await createUser(t.scim, aliceBody());
    const path = `/Users/${user.id as string}`;
    expectPatched(await t.scim('PATCH', path, patchOp({ op: 'replace', path: 'displayName', value: 'Changed' })));
    expectScimError(await t.scim('DELETE', path, undefined, { 'If-Match': user.meta.version as string }), 412);
    await getResource(t.scim, path);
  });

  test('a user who belongs to a group can be deleted; the group loses the member', async () => {
    const user = await createUser(t.scim, aliceBody());
    const group = await t.scim('POST', '/Groups', { schemas: [URN.group], displayName: 'tour-guides', members: [{ value: user.id }] });
    expect(group.status).toBe(201);
    expect((await t.scim('DELETE', `/Users/${user.id as string}`)).status).toBe(204);
    const after = await getResource(t.scim, `/Groups/${(group.body as Json).id as string}`);
    expect(after.members ?? []).toEqual([]);
  });
});

describe('concurrency', () => {
  test('20 parallel POSTs of the same userName: exactly one 201, nineteen 409 uniqueness', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.scim('POST', '/Users', userBody('racer@example.com', { displayName: `Racer ${i}` }))),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const res of results.filter((r) => r.status === 409)) expectScimError(res, 409, 'uniqueness');
    expect(expectListResponse(await t.scim('GET', `/Users${q({ filter: 'userName eq "racer@example.com"' })}`)).totalResults).toBe(1);
    const listed = ok(await t.emu.call('ListUsers', { ZoneId: DEMO_ZONE_ID }));
    expect((listed.Users as Json[]).filter((u) => u.UserName === 'racer@example.com')).toHaveLength(1);
  });

  test('20 parallel POSTs of different users all succeed with distinct ids', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => t.scim('POST', '/Users', userBody(`parallel.${i}@example.com`))));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(results.map((r) => (r.body as Json).id)).size).toBe(20);
  });

  test('parallel PATCHes of one user all apply (none is lost)', async () => {
    const user = await createUser(t.scim, aliceBody());
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.scim('PATCH', `/Users/${user.id as string}`, patchOp({ op: 'add', path: 'emails', value: [{ value: `extra.${i}@example.net`, type: 'other' }] })),
      ),
    );
    for (const res of results) expectPatched(res);
    const read = await getResource(t.scim, `/Users/${user.id as string}`);
    expect((read.emails as Json[]).length).toBe(12);
  });
});
