/**
 * The SCIM endpoint's front door: bearer-token authentication with Identity
 * Center SCIM keys (RFC 7644 section 2, RFC 6750), and the discovery endpoints
 * (RFC 7644 section 4) that identity providers read before provisioning.
 */
import { DEMO_ACCOUNT, DEMO_ZONE_ID, OTHER_ACCOUNT, ok } from '../helpers/api.js';
import {
  URN,
  createScimKey,
  createUser,
  expectListResponse,
  expectScimError,
  q,
  scimClient,
  scimEmulator,
  userBody,
  type Json,
  type ScimEmulator,
} from '../helpers/scim.js';

let t: ScimEmulator;
beforeEach(async () => {
  t = await scimEmulator();
});
afterEach(() => t.close());

/** Acts as the second test account (permissive auth mode: the SecretId picks the account). */
const asOther = {
  Authorization: `TC3-HMAC-SHA256 Credential=${OTHER_ACCOUNT.secretId}/2026-03-01/organization/tc3_request, SignedHeaders=content-type;host, Signature=${'0'.repeat(64)}`,
};

function expectUnauthorized(res: import('supertest').Response): void {
  expectScimError(res, 401);
  expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
}

describe('bearer authentication', () => {
  test('a request without an Authorization header is 401 with a SCIM error body and WWW-Authenticate: Bearer', async () => {
    expectUnauthorized(await t.as(null)('GET', '/Users'));
  });

  test('a token that is no SCIM key is 401', async () => {
    expectUnauthorized(await t.as('not-a-real-token')('GET', '/Users'));
  });

  test('an empty bearer token is 401', async () => {
    expectUnauthorized(await t.as(null)('GET', '/Users', undefined, { Authorization: 'Bearer ' }));
  });

  test('the key sent with another scheme (Basic) is 401', async () => {
    const basic = `Basic ${Buffer.from(`scim:${t.token}`).toString('base64')}`;
    expectUnauthorized(await t.as(null)('GET', '/Users', undefined, { Authorization: basic }));
  });

  test('the Tencent Cloud API secret key is not a SCIM token', async () => {
    expectUnauthorized(await t.as(DEMO_ACCOUNT.secretKey)('GET', '/Users'));
  });

  test('a valid SCIM key authenticates', async () => {
    expectListResponse(await t.scim('GET', '/Users'));
  });

  test('the auth scheme name is case-insensitive (RFC 7235): "bearer <key>" works', async () => {
    const res = await t.as(null)('GET', '/Users', undefined, { Authorization: `bearer ${t.token}` });
    expectListResponse(res);
  });

  test('a token that differs from the key in case is rejected (keys are case-sensitive)', async () => {
    const flipped = t.token === t.token.toUpperCase() ? t.token.toLowerCase() : t.token.toUpperCase();
    expectUnauthorized(await t.as(flipped)('GET', '/Users'));
  });

  test('a disabled key is 401; once re-enabled it works again', async () => {
    ok(await t.emu.call('UpdateSCIMCredentialStatus', { ZoneId: DEMO_ZONE_ID, CredentialId: t.credentialId, NewStatus: 'Disabled' }));
    expectUnauthorized(await t.scim('GET', '/Users'));
    ok(await t.emu.call('UpdateSCIMCredentialStatus', { ZoneId: DEMO_ZONE_ID, CredentialId: t.credentialId, NewStatus: 'Enabled' }));
    expectListResponse(await t.scim('GET', '/Users'));
  });

  test('disabling the zone\'s SCIM synchronisation makes its keys 401; enabling it again restores them', async () => {
    ok(await t.emu.call('UpdateSCIMSynchronizationStatus', { ZoneId: DEMO_ZONE_ID, SCIMSynchronizationStatus: 'Disabled' }));
    expectUnauthorized(await t.scim('GET', '/Users'));
    ok(await t.emu.call('UpdateSCIMSynchronizationStatus', { ZoneId: DEMO_ZONE_ID, SCIMSynchronizationStatus: 'Enabled' }));
    expectListResponse(await t.scim('GET', '/Users'));
  });

  test('a key works until its ExpireDuration has passed and is 401 afterwards', async () => {
    const key = await createScimKey(t.emu, { ExpireDuration: 3600 });
    const scim = scimClient(t.emu.server, key.token);
    t.emu.clock.advance(3599);
    expectListResponse(await scim('GET', '/Users'));
    t.emu.clock.advance(2);
    expectUnauthorized(await scim('GET', '/Users'));
    // The other (one-year) key is unaffected.
    expectListResponse(await t.scim('GET', '/Users'));
  });

  test('a deleted key is 401', async () => {
    ok(await t.emu.call('DeleteSCIMCredential', { ZoneId: DEMO_ZONE_ID, CredentialId: t.credentialId }));
    expectUnauthorized(await t.scim('GET', '/Users'));
  });

  test.each([
    ['POST', '/Users', userBody('intruder@example.com')],
    ['PUT', '/Users/u-000000000000', userBody('intruder@example.com')],
    ['PATCH', '/Users/u-000000000000', { schemas: [URN.patchOp], Operations: [{ op: 'replace', path: 'active', value: false }] }],
    ['DELETE', '/Users/u-000000000000', undefined],
    ['GET', '/Groups', undefined],
    ['POST', '/Groups', { schemas: [URN.group], displayName: 'intruders' }],
    ['POST', '/Users/.search', { schemas: [URN.searchRequest] }],
  ] as const)('%s %s without a valid token is 401 and changes nothing', async (method, path, body) => {
    expectUnauthorized(await t.as('bogus')(method, path, body));
    expect(t.emu.store.read((s) => [s.users.size, s.groups.size])).toEqual([0, 0]);
  });

  test('an unknown SCIM path without a token is still 401 (nothing is revealed before authentication)', async () => {
    expectUnauthorized(await t.as(null)('GET', '/NoSuchEndpoint'));
  });

  test("a key selects its own zone: another zone's users are invisible to it", async () => {
    // The second account opens its own zone and gets its own key.
    const opened = ok(await t.emu.call('OpenIdentityCenter', { ZoneName: 'other-zone' }, asOther));
    const otherZone = opened.ZoneId as string;
    ok(await t.emu.call('UpdateSCIMSynchronizationStatus', { ZoneId: otherZone, SCIMSynchronizationStatus: 'Enabled' }, asOther));
    const otherKey = ok(await t.emu.call('CreateSCIMCredential', { ZoneId: otherZone }, asOther));
    const other = scimClient(t.emu.server, otherKey.CredentialSecret as string);

    const mine = await createUser(t.scim, userBody('only.in.demo@example.com'));
    const theirs = await createUser(other, userBody('only.in.other@example.com'));

    expect(expectListResponse(await t.scim('GET', '/Users')).Resources.map((r) => r.id)).toEqual([mine.id]);
    expect(expectListResponse(await other('GET', '/Users')).Resources.map((r) => r.id)).toEqual([theirs.id]);
    expectScimError(await other('GET', `/Users/${mine.id as string}`), 404);
    expectScimError(await t.scim('DELETE', `/Users/${theirs.id as string}`), 404);
    // The same userName may exist once per zone.
    await createUser(other, userBody('only.in.demo@example.com'));
  });
});

describe('discovery endpoints answer without a token', () => {
  test('GET /ServiceProviderConfig describes what the server supports', async () => {
    const res = await t.as(null)('GET', '/ServiceProviderConfig');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    const body = res.body as Json;
    expect(body.schemas).toEqual([URN.serviceProviderConfig]);
    expect(body.patch).toEqual({ supported: true });
    expect(body.bulk).toMatchObject({ supported: false });
    expect(body.filter).toMatchObject({ supported: true });
    expect(Number.isInteger(body.filter.maxResults)).toBe(true);
    expect(body.changePassword).toEqual({ supported: false });
    expect(body.sort).toEqual({ supported: true });
    expect(body.etag).toEqual({ supported: true });
    expect(body.authenticationSchemes).toEqual([expect.objectContaining({ type: 'oauthbearertoken', name: expect.any(String), description: expect.any(String) })]);
    expect(body.meta).toMatchObject({ resourceType: 'ServiceProviderConfig' });
    expect(body.meta.location).toMatch(/^https?:\/\/[^/]+\/scim\/v2\/ServiceProviderConfig$/);
  });

  test('discovery also answers when a bad token is sent (Entra sends its token everywhere)', async () => {
    expect((await t.as('garbage')('GET', '/ServiceProviderConfig')).status).toBe(200);
    expect((await t.as('garbage')('GET', '/Schemas')).status).toBe(200);
  });

  test('GET /ResourceTypes lists User and Group as a ListResponse', async () => {
    const list = expectListResponse(await t.as(null)('GET', '/ResourceTypes'));
    expect(list.totalResults).toBe(2);
    const byId = Object.fromEntries(list.Resources.map((r) => [r.id, r]));
    expect(byId.User).toMatchObject({
      schemas: [URN.resourceType],
      name: 'User',
      endpoint: '/Users',
      schema: URN.user,
      schemaExtensions: [{ schema: URN.enterprise, required: false }],
      meta: { resourceType: 'ResourceType' },
    });
    expect(byId.Group).toMatchObject({ schemas: [URN.resourceType], name: 'Group', endpoint: '/Groups', schema: URN.group });
  });

  test.each([['User'], ['Group']])('GET /ResourceTypes/%s returns that resource type', async (id) => {
    const res = await t.as(null)('GET', `/ResourceTypes/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(res.body).toMatchObject({ id, name: id, endpoint: `/${id}s` });
    expect((res.body as Json).meta.location).toMatch(new RegExp(`/scim/v2/ResourceTypes/${id}$`));
  });

  test('GET /ResourceTypes/<unknown> is a 404 SCIM error', async () => {
    expectScimError(await t.as(null)('GET', '/ResourceTypes/Device'), 404);
  });

  test('GET /Schemas lists the core User, enterprise User and Group schemas', async () => {
    const list = expectListResponse(await t.as(null)('GET', '/Schemas'));
    expect(list.Resources.map((r) => r.id).sort()).toEqual([URN.group, URN.user, URN.enterprise].sort());
    for (const schema of list.Resources) {
      expect(schema.schemas).toEqual([URN.schema]);
      expect(Array.isArray(schema.attributes)).toBe(true);
      expect(schema.meta).toMatchObject({ resourceType: 'Schema' });
    }
    const user = list.Resources.find((r) => r.id === URN.user)!;
    expect((user.attributes as Json[]).find((a) => a.name === 'userName')).toMatchObject({
      type: 'string',
      required: true,
      caseExact: false,
      uniqueness: 'server',
    });
    const group = list.Resources.find((r) => r.id === URN.group)!;
    expect((group.attributes as Json[]).map((a) => a.name)).toEqual(expect.arrayContaining(['displayName', 'members']));
  });

  test.each([[URN.user], [URN.enterprise], [URN.group]])('GET /Schemas/%s returns that schema', async (urn) => {
    const res = await t.as(null)('GET', `/Schemas/${urn}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: urn, schemas: [URN.schema] });
    expect((res.body as Json).meta.location).toBe(`${(res.body as Json).meta.location.split('/Schemas/')[0]}/Schemas/${urn}`);
  });

  test('GET /Schemas/<unknown urn> is a 404 SCIM error', async () => {
    expectScimError(await t.as(null)('GET', '/Schemas/urn:example:params:scim:schemas:nothing'), 404);
  });
});

describe('protocol edges', () => {
  test('an unknown SCIM endpoint is a 404 SCIM error', async () => {
    expectScimError(await t.scim('GET', '/Devices'), 404);
  });

  test('/Bulk is refused with 501, as ServiceProviderConfig says bulk is unsupported', async () => {
    expectScimError(await t.scim('POST', '/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [] }), 501);
  });

  test('a body with a non-JSON Content-Type is 415', async () => {
    const res = await t.scim('POST', '/Users', 'userName=alice', { 'Content-Type': 'application/x-www-form-urlencoded' });
    expectScimError(res, 415);
  });

  test('application/json is accepted as well as application/scim+json (RFC 7644 3.1)', async () => {
    const res = await t.scim('POST', '/Users', userBody('json.client@example.com'), { 'Content-Type': 'application/json; charset=utf-8' });
    expect(res.status).toBe(201);
  });

  test('a body over the 1 MiB limit is 413 with a SCIM error body', async () => {
    const huge = JSON.stringify(userBody('big@example.com', { title: 'x'.repeat(1024 * 1024 + 10) }));
    expectScimError(await t.scim('POST', '/Users', huge), 413);
  });

  test('every response with a body is application/scim+json, errors included; DELETE is 204 without a body', async () => {
    const created = await t.scim('POST', '/Users', userBody('ct@example.com'));
    const userPath = `/Users/${(created.body as Json).id as string}`;
    const responses = [
      created,
      await t.scim('GET', '/Users'),
      await t.scim('GET', userPath),
      await t.scim('PUT', userPath, userBody('ct@example.com', { displayName: 'CT' })),
      await t.scim('PATCH', userPath, { schemas: [URN.patchOp], Operations: [{ op: 'replace', path: 'displayName', value: 'CT2' }] }),
      await t.scim('POST', '/Users/.search', { schemas: [URN.searchRequest] }),
      await t.scim('POST', '/Groups', { schemas: [URN.group], displayName: 'ct-group' }),
      await t.scim('GET', '/Groups'),
      await t.scim('POST', '/Users', userBody('ct@example.com')), // 409
      await t.scim('GET', '/Users/u-doesnotexist1'), // 404
      await t.scim('GET', `/Users${q({ filter: 'userName eq' })}`), // 400
      await t.scim('PUT', userPath, userBody('ct@example.com'), { 'If-Match': 'W/"999"' }), // 412
      await t.as('bad')('GET', '/Users'), // 401
      await t.as(null)('GET', '/ServiceProviderConfig'),
      await t.as(null)('GET', '/ResourceTypes'),
      await t.as(null)('GET', '/Schemas'),
    ];
    for (const res of responses) {
      expect({ status: res.status, type: res.headers['content-type'] }).toEqual({ status: res.status, type: expect.stringMatching(/^application\/scim\+json/) });
    }
    const deleted = await t.scim('DELETE', userPath);
    expect(deleted.status).toBe(204);
    expect(deleted.text ?? '').toBe('');
  });

  test('a filter with spaces encoded as + is understood like %20', async () => {
    await createUser(t.scim, userBody('plus.encoding@example.com'));
    const res = await t.scim('GET', `/Users?filter=userName+eq+%22plus.encoding%40example.com%22`);
    expect(expectListResponse(res).totalResults).toBe(1);
    expect(expectListResponse(await t.scim('GET', `/Users${q({ filter: 'userName eq "plus.encoding@example.com"' })}`)).totalResults).toBe(1);
  });
});
