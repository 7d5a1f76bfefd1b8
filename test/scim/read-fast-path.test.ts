/**
 * GET /scim/v2/Users is answered without Express (src/scim/read-fast-path.ts).
 * Every answer, and what the request leaves behind (request journal, key usage),
 * must be what the Express router gives for the same request.
 */
import request from 'supertest';
import type { Server } from 'node:http';
import { isScimUsersList } from '../../src/route-request.js';
import { ok } from '../helpers/api.js';
import { createUser, expressOnlyServer, scimEmulator, settle, userBody, type ScimEmulator } from '../helpers/scim.js';

let env: ScimEmulator;
let viaExpress: Server;
beforeAll(async () => {
  env = await scimEmulator();
  viaExpress = expressOnlyServer(env.emu);
  await new Promise<void>((resolve) => viaExpress.listen(0, '127.0.0.1', resolve));
  for (const [i, name] of ['ada', 'grace', 'edsger', 'barbara'].entries()) {
    await createUser(env.scim, userBody(`${name}@example.com`, { externalId: `ext-${i}`, name: { givenName: name, familyName: 'Example' } }));
  }
});
afterAll(async () => {
  viaExpress.closeAllConnections();
  await new Promise<void>((resolve) => viaExpress.close(() => resolve()));
  await env.close();
});

/** The same request to both; the Host is fixed so meta.location is the same. */
async function both(path: string, headers: Record<string, string>) {
  const send = (server: Server) => {
    let req = request(server).get(path).set('Host', 'scim.example.test');
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
    return req;
  };
  const direct = await send(env.emu.server);
  const routed = await send(viaExpress);
  return { direct, routed };
}

const bearer = () => ({ Authorization: `Bearer ${env.token}` });

const CASES: [string, string, () => Record<string, string>][] = [
  ['a whole list', '/scim/v2/Users', bearer],
  ['a userName look-up', `/scim/v2/Users?filter=${encodeURIComponent('userName eq "grace@example.com"')}`, bearer],
  ['an externalId look-up that finds nobody', `/scim/v2/Users?filter=${encodeURIComponent('externalId eq "nobody"')}`, bearer],
  ['a filter, sort, page and projection', `/scim/v2/Users?filter=${encodeURIComponent('name.familyName eq "Example"')}&sortBy=userName&sortOrder=descending&startIndex=2&count=2&attributes=userName,name.givenName`, bearer],
  ['excludedAttributes', '/scim/v2/Users?excludedAttributes=emails,meta', bearer],
  ['the path in another case, with a trailing slash', '/SCIM/V2/users/?count=1', bearer],
  ['a filter that does not parse (400 invalidFilter)', `/scim/v2/Users?filter=${encodeURIComponent('userName eq')}`, bearer],
  ['a filter given twice (400)', '/scim/v2/Users?filter=a&filter=b', bearer],
  ['a bad count', '/scim/v2/Users?count=lots', bearer],
  ['an escape that is not valid percent-encoding', '/scim/v2/Users?filter=%ZZ', bearer],
  ['no token (401)', '/scim/v2/Users', () => ({})],
  ['an unknown token (401)', '/scim/v2/Users', () => ({ Authorization: 'Bearer not-a-key' })],
  ['a Basic header (401)', '/scim/v2/Users', () => ({ Authorization: 'Basic eDp5' })],
];

test.each(CASES)('%s: the same status, headers and body as through Express', async (_title, path, headers) => {
  expect(isScimUsersList('GET', path)).toBe(true);
  const { direct, routed } = await both(path, headers());
  expect(direct.status).toBe(routed.status);
  expect(direct.text).toBe(routed.text);
  for (const name of ['content-type', 'content-length', 'www-authenticate', 'etag', 'location']) {
    expect([name, direct.headers[name]]).toEqual([name, routed.headers[name]]);
  }
});

test('the request journal and the key usage record the same for both', async () => {
  const journal = () => env.emu.control.journal.list({ limit: 2, surface: 'scim' });
  const path = `/scim/v2/Users?filter=${encodeURIComponent('userName eq "ada@example.com"')}`;
  await request(env.emu.server).get(path).set(bearer());
  await settle();
  const [direct] = journal();
  await request(viaExpress).get(path).set(bearer());
  await settle();
  const [routed] = journal();
  const comparable = (entry: unknown) => {
    const { latencyMs: _l, time: _t, seq: _s, id: _i, requestId: _r, ...rest } = entry as Record<string, unknown>;
    return rest;
  };
  expect(direct).toBeDefined();
  expect(comparable(direct)).toEqual(comparable(routed));

  const last = [...env.emu.store.view.scimRequestLog.iterate('Desc')].slice(0, 2).map(({ method, path: p, status, credentialId }) => ({ method, p, status, credentialId }));
  expect(last[0]).toEqual(last[1]);
  expect(last[0]).toEqual({ method: 'GET', p: '/scim/v2/Users', status: 200, credentialId: env.credentialId });
});

test('a key whose zone has SCIM synchronisation disabled gets the same 401 both ways', async () => {
  ok(await env.emu.call('UpdateSCIMSynchronizationStatus', { ZoneId: 'z-testzone0001', SCIMSynchronizationStatus: 'Disabled' }));
  try {
    const { direct, routed } = await both('/scim/v2/Users', bearer());
    expect(direct.status).toBe(401);
    expect(direct.text).toBe(routed.text);
    expect(direct.headers['www-authenticate']).toBe(routed.headers['www-authenticate']);
  } finally {
    ok(await env.emu.call('UpdateSCIMSynchronizationStatus', { ZoneId: 'z-testzone0001', SCIMSynchronizationStatus: 'Enabled' }));
  }
});

test('an injected fault answers the direct path as it answers the router', async () => {
  const rule = env.emu.control.faults.add({ scimPath: '/Users', status: 503, count: 2 });
  try {
    const { direct, routed } = await both('/scim/v2/Users', bearer());
    expect(direct.status).toBe(503);
    expect(direct.text).toBe(routed.text);
  } finally {
    env.emu.control.faults.remove(String((rule as { id: unknown }).id));
  }
});

test.each(['POST', 'HEAD', 'DELETE'])('%s /scim/v2/Users is not taken by the direct path', (method) => {
  expect(isScimUsersList(method, '/scim/v2/Users')).toBe(false);
});

test.each(['/scim/v2/Users/u-1', '/scim/v2/Users/.search', '/scim/v2/Usersx', '/scim/v2/Groups', '/scim/v2//Users', '/scim/v2/Users#x', '/scim/v2/%55sers'])(
  'GET %s is left to Express',
  (path) => {
    expect(isScimUsersList('GET', path)).toBe(false);
  },
);
