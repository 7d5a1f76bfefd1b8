// Signing in over SAML 2.0: a test IdP (its own key and certificate, made
// now) posts responses to the zone's ACS; each check that can refuse a
// sign-in is exercised, and every attempt must reach the request journal.
import request from 'supertest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { DEMO_ZONE_ID, ok, testEmulator, type TestEmulator } from '../helpers/api.js';
import { controlClient, controlOk } from '../helpers/control.js';
import { TestIdp, makeKeyAndCertificate, tamperNameId, wrapResponse, type ResponseOptions } from '../helpers/saml-idp.js';

const ZoneId = DEMO_ZONE_ID;
const PUBLIC = 'http://sso.example.test:9000';
const ENTITY_ID = `${PUBLIC}/saml/sp/${ZoneId}`;
const ACS = `${ENTITY_ID}/acs`;
const ACS_PATH = `/saml/sp/${ZoneId}/acs`;
const EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

let idp: TestIdp;
let emu: TestEmulator;

beforeAll(() => {
  idp = TestIdp.create({ shape: 'okta' });
});

beforeEach(async () => {
  emu = await testEmulator({ publicUrl: PUBLIC });
  ok(await emu.call('CreateUser', { ZoneId, UserName: 'alice', DisplayName: 'Alice Liddell', Email: 'alice@example.com' }));
  ok(await emu.call('CreateUser', { ZoneId, UserName: 'bob', Email: 'bob@example.com', UserStatus: 'Disabled' }));
  ok(
    await emu.call('SetExternalSAMLIdentityProvider', {
      ZoneId,
      EncodedMetadataDocument: Buffer.from(idp.metadata()).toString('base64'),
      SSOStatus: 'Enabled',
    }),
  );
});
afterEach(() => emu.close());

/** A valid response for `nameId` at the emulator's current time; `options` change one thing. */
function response(nameId: string, options: Partial<ResponseOptions> = {}, from: TestIdp = idp): string {
  return from.response({ destination: ACS, audience: ENTITY_ID, nameId, nameIdFormat: EMAIL, now: emu.clock.now(), sign: 'assertion', ...options });
}

function post(samlResponse: string, extra: Record<string, string> = {}) {
  return request(emu.server).post(ACS_PATH).type('form').send({ SAMLResponse: samlResponse, ...extra });
}

/** Signs in and follows the redirect to the portal; returns the portal page. */
async function signIn(samlResponse: string): Promise<string> {
  const res = await post(samlResponse);
  expect({ status: res.status, check: res.headers['x-tce-saml-check'] }).toEqual({ status: 303, check: undefined });
  const location = new URL(res.headers.location as string);
  expect(location.origin + location.pathname).toMatch(new RegExp(`^${ENTITY_ID}/portal/ssos-[a-z0-9]{24}$`));
  const portal = await request(emu.server).get(location.pathname + location.search);
  expect(portal.status).toBe(200);
  expect(portal.headers['content-type']).toBe('text/html; charset=utf-8');
  return portal.text;
}

async function refused(res: request.Response, status: number, check: string): Promise<void> {
  expect({ status: res.status, check: res.headers['x-tce-saml-check'] }).toEqual({ status, check });
  expect(res.text).toContain(`<code id="failed-check">${check}</code>`);
}

describe('a response that passes every check signs the user in', () => {
  test('the portal shows who signed in and when (signed with xmlsec1, on the assertion, RSA-SHA256)', async () => {
    const page = await signIn(response('alice', { nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified', signer: 'xmlsec1' }));
    expect(page).toContain('<span id="user-name">alice</span>');
    expect(page).toContain('<time id="signed-in-at">2026-03-01 08:00:00 (2026-03-01T00:00:00.000Z)</time>');
    expect(page).toContain('Alice Liddell');
    expect(page).toContain(idp.entityId());
  });

  test.each([
    ['xmlsec1', 'response', 'rsa-sha256'],
    ['xmlsec1', 'both', 'rsa-sha1'],
    ['xml-crypto', 'assertion', 'rsa-sha1'],
    ['xml-crypto', 'response', 'rsa-sha256'],
  ] as const)('signed by %s on the %s with %s', async (signer, sign, algorithm) => {
    expect(await signIn(response('alice', { signer, sign, algorithm }))).toContain('<span id="user-name">alice</span>');
  });

  test('an e-mail NameID that is nobody\'s user name finds the user by e-mail; user names match case-insensitively', async () => {
    expect(await signIn(response('Alice@Example.com'))).toContain('<span id="user-name">alice</span>');
    expect(await signIn(response('ALICE'))).toContain('<span id="user-name">alice</span>');
  });

  test('a response signed with a newly added second certificate (key rollover) verifies', async () => {
    const next = TestIdp.create({ shape: 'okta' });
    ok(await emu.call('AddExternalSAMLIdPCertificate', { ZoneId, X509Certificate: next.certificatePem }));
    expect(await signIn(response('alice', { issuer: idp.entityId() }, next))).toContain('alice');
  });
});

describe('each failed check answers 403 with a page naming it', () => {
  test('a certificate the zone does not trust: signature-invalid', async () => {
    const stranger = TestIdp.create({ shape: 'okta' });
    await refused(await post(response('alice', { issuer: idp.entityId() }, stranger)), 403, 'signature-invalid');
  });

  test('an assertion changed after signing: signature-invalid', async () => {
    await refused(await post(tamperNameId(response('bob@example.com'), 'alice')), 403, 'signature-invalid');
  });

  test.each(['forged-sibling', 'forged-sibling-same-id', 'response-in-extensions', 'assertion-in-advice'] as const)(
    'a signature-wrapping attempt (%s) does not sign in the forged user',
    async (variant) => {
      const res = await post(wrapResponse(response('carol', { sign: variant === 'response-in-extensions' ? 'response' : 'assertion' }), variant, 'alice'));
      expect(res.status).not.toBe(303);
      expect(res.status).toBeGreaterThanOrEqual(400);
    },
  );

  test('no signature at all: signature-missing', async () => {
    await refused(await post(response('alice', { sign: 'none' })), 403, 'signature-missing');
  });

  test('expired, by the emulator\'s clock: expired', async () => {
    const saml = response('alice');
    emu.clock.advance(60 * 60);
    await refused(await post(saml), 403, 'expired');
  });

  test('issued for later: not-yet-valid', async () => {
    const later = new Date(emu.clock.now().getTime() + 3600_000);
    await refused(await post(response('alice', { now: later })), 403, 'not-yet-valid');
  });

  test('for another service provider: audience', async () => {
    await refused(await post(response('alice', { audience: 'https://other-sp.example.test' })), 403, 'audience');
  });

  test('sent to another ACS: destination', async () => {
    await refused(await post(response('alice', { destination: 'https://other-sp.example.test/acs', sign: 'response' })), 403, 'destination');
  });

  test('the same assertion twice: replay', async () => {
    const saml = response('alice');
    await signIn(saml);
    await refused(await post(saml), 403, 'replay');
  });

  test('a replay inside the clock-skew grace after NotOnOrAfter is still refused as a replay', async () => {
    const saml = response('alice');
    emu.clock.advance(5 * 60 + 60); // past NotOnOrAfter (5 minutes), inside the 180 s skew
    await signIn(saml);
    emu.clock.advance(60);
    await refused(await post(saml), 403, 'replay');
  });

  test('nobody of that name: unknown-user; a disabled user: user-disabled', async () => {
    await refused(await post(response('nobody@example.com')), 403, 'unknown-user');
    await refused(await post(response('bob')), 403, 'user-disabled');
  });

  test('SSO disabled for the zone: sso-disabled; no such zone: 404 zone-not-found', async () => {
    ok(await emu.call('SetExternalSAMLIdentityProvider', { ZoneId, SSOStatus: 'Disabled' }));
    await refused(await post(response('alice')), 403, 'sso-disabled');
    await refused(await request(emu.server).post('/saml/sp/z-000000000000/acs').type('form').send({ SAMLResponse: response('alice') }), 404, 'zone-not-found');
  });

  test('no SAMLResponse, or one that is not base64 XML: 400 malformed', async () => {
    await refused(await request(emu.server).post(ACS_PATH).type('form').send({ RelayState: 'x' }), 400, 'malformed');
    await refused(await post('%%% not base64 %%%'), 400, 'malformed');
    await refused(await post(Buffer.from('<unclosed').toString('base64')), 400, 'malformed');
  });

  test('a body past the form limit is refused without being read whole', async () => {
    await refused(await post('A'.repeat(600 * 1024)), 400, 'malformed');
  });
});

describe('SP-initiated sign-in', () => {
  async function startLogin(relayState?: string): Promise<{ id: string; location: URL }> {
    const res = await request(emu.server).get(`/saml/sp/${ZoneId}/login${relayState ? `?RelayState=${encodeURIComponent(relayState)}` : ''}`);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.location as string);
    expect(location.origin + location.pathname).toBe(idp.loginUrl());
    const authnRequest = inflateRawSync(Buffer.from(location.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
    expect(authnRequest).toContain(`AssertionConsumerServiceURL="${ACS}"`);
    expect(authnRequest).toContain(`>${ENTITY_ID}</`);
    const id = /\bID="([^"]+)"/.exec(authnRequest)![1]!;
    return { id, location };
  }

  test('GET login redirects to the IdP with an AuthnRequest; the response answering it signs in, once', async () => {
    const { id, location } = await startLogin('dashboard');
    expect(location.searchParams.get('RelayState')).toBe('dashboard');
    const page = await signIn(response('alice', { inResponseTo: id }));
    expect(page).toContain('this service provider (SP-initiated)');
    // Another assertion answering the same request: the request was used up.
    await refused(await post(response('alice', { inResponseTo: id })), 403, 'in-response-to');
  });

  test('an InResponseTo naming no request of ours, or one past its 10 minutes: in-response-to', async () => {
    await refused(await post(response('alice', { inResponseTo: '_never-sent' })), 403, 'in-response-to');
    const { id } = await startLogin();
    emu.clock.advance(11 * 60);
    await refused(await post(response('alice', { inResponseTo: id })), 403, 'in-response-to');
  });

  test('an IdP whose metadata offers only the HTTP-POST binding gets the AuthnRequest through a self-posting form', async () => {
    const postOnly = idp.metadata().replace(/<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2\.0:bindings:HTTP-Redirect"[^>]*\/>/, '');
    expect(postOnly).not.toContain('HTTP-Redirect');
    ok(await emu.call('SetExternalSAMLIdentityProvider', { ZoneId, EncodedMetadataDocument: Buffer.from(postOnly).toString('base64') }));
    const res = await request(emu.server).get(`/saml/sp/${ZoneId}/login?RelayState=home`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain(`<form method="post" action="${idp.loginUrl()}">`);
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(res.text)?.[1];
    expect(field('RelayState')).toBe('home');
    const authnRequest = Buffer.from(field('SAMLRequest')!, 'base64').toString('utf8');
    expect(authnRequest).toContain(`AssertionConsumerServiceURL="${ACS}"`);
    const id = /\bID="([^"]+)"/.exec(authnRequest)![1]!;
    expect(await signIn(response('alice', { inResponseTo: id }))).toContain('SP-initiated');
    // A LoginUrl given by hand is taken as HTTP-Redirect again.
    ok(await emu.call('SetExternalSAMLIdentityProvider', { ZoneId, LoginUrl: 'https://idp.example.test/sso' }));
    expect((await request(emu.server).get(`/saml/sp/${ZoneId}/login`)).status).toBe(302);
  });

  test('a RelayState past 80 bytes is cut on a character boundary, not refused', async () => {
    const { location } = await startLogin('漢'.repeat(40));
    expect(location.searchParams.get('RelayState')).toBe('漢'.repeat(26));
  });

  test('login while SSO is disabled is refused with a page, not a redirect', async () => {
    ok(await emu.call('SetExternalSAMLIdentityProvider', { ZoneId, SSOStatus: 'Disabled' }));
    await refused(await request(emu.server).get(`/saml/sp/${ZoneId}/login`), 403, 'sso-disabled');
  });
});

describe('the other SAML endpoints', () => {
  test('GET metadata serves the SP metadata GetZoneSAMLServiceProviderInfo hands out', async () => {
    const res = await request(emu.server).get(`/saml/sp/${ZoneId}/metadata`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/samlmetadata+xml; charset=utf-8');
    const sp = ok(await emu.call('GetZoneSAMLServiceProviderInfo', { ZoneId })).SAMLServiceProvider as { EncodedMetadataDocument: string };
    expect(res.text).toBe(Buffer.from(sp.EncodedMetadataDocument, 'base64').toString('utf8'));
  });

  test('an unknown portal session and an unknown path answer 404 pages', async () => {
    await refused(await request(emu.server).get(`/saml/sp/${ZoneId}/portal/ssos-nothing`), 404, 'session-not-found');
    await refused(await request(emu.server).get(`/saml/sp/${ZoneId}/elsewhere`), 404, 'not-found');
  });
});

describe('the request journal', () => {
  test('records every sign-in attempt with its outcome, NameID and assertion', async () => {
    await signIn(response('alice'));
    await post(response('alice', { audience: 'urn:elsewhere' }));
    await post(response('nobody'));
    const ctl = controlClient(emu.server);
    const { requests } = controlOk<{ requests: { path: string; code: string; status: number; account: string | null; params: Record<string, unknown> }[] }>(
      await ctl.get('/requests?surface=saml'),
    );
    const attempts = requests.filter((r) => r.path === ACS_PATH).map((r) => [r.status, r.code, r.params.nameId ?? null]);
    expect(attempts).toEqual([
      [403, 'unknown-user', 'nobody'],
      [403, 'audience', null],
      [303, 'Success', 'alice'],
    ]);
    expect(requests.find((r) => r.path === ACS_PATH && r.code === 'Success')).toMatchObject({ account: '100000000001', params: { userName: 'alice', issuer: idp.entityId() } });
  });
});

describe('certificates the zone trusts change what verifies', () => {
  test('after the IdP\'s certificate is replaced, its old key no longer signs anyone in', async () => {
    const replacement = makeKeyAndCertificate();
    ok(await emu.call('SetExternalSAMLIdentityProvider', { ZoneId, X509Certificate: replacement.certificatePem }));
    await refused(await post(response('alice')), 403, 'signature-invalid');
  });
});

describe('on a data file', () => {
  test('the IdP configuration and a used assertion survive a restart: the replay is still refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tce-saml-'));
    const dataFile = join(dir, 'emulator.json');
    try {
      let first: TestEmulator | undefined = await testEmulator({ publicUrl: PUBLIC, dataFile });
      let saml: string;
      try {
        ok(await first.call('CreateUser', { ZoneId, UserName: 'alice' }));
        ok(await first.call('SetExternalSAMLIdentityProvider', { ZoneId, EncodedMetadataDocument: Buffer.from(idp.metadata()).toString('base64'), SSOStatus: 'Enabled' }));
        saml = idp.response({ destination: ACS, audience: ENTITY_ID, nameId: 'alice', now: first.clock.now(), sign: 'response' });
        expect((await request(first.server).post(ACS_PATH).type('form').send({ SAMLResponse: saml })).status).toBe(303);
      } finally {
        await first.close();
        first = undefined;
      }
      const second = await testEmulator({ publicUrl: PUBLIC, dataFile });
      try {
        expect(ok(await second.call('GetExternalSAMLIdentityProvider', { ZoneId })).SAMLIdentityProviderConfiguration).toMatchObject({ EntityId: idp.entityId(), SSOStatus: 'Enabled' });
        const again = await request(second.server).post(ACS_PATH).type('form').send({ SAMLResponse: saml });
        expect({ status: again.status, check: again.headers['x-tce-saml-check'] }).toEqual({ status: 403, check: 'replay' });
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('hostile requests', () => {
  test.each([
    ['a broken percent-escape in the zone', '/saml/sp/%ZZ/acs'],
    ['a zone id of 5,000 characters', `/saml/sp/${'z'.repeat(5000)}/acs`],
    ['a path past the endpoints', `/saml/sp/${ZoneId}/acs/../../../_emulator/reset`],
  ])('%s gets a page, not a crash', async (_what, path) => {
    const res = await request(emu.server).post(path).type('form').send({ SAMLResponse: 'x' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers['content-type']).toMatch(/^text\/html|^application\/json/);
    ok(await emu.call('GetExternalSAMLIdentityProvider', { ZoneId }));
  });

  test('a JSON body instead of a form has no SAMLResponse: 400 malformed', async () => {
    const res = await request(emu.server).post(ACS_PATH).set('Content-Type', 'application/json').send('{"SAMLResponse": "x"}');
    await refused(res, 400, 'malformed');
  });
});
