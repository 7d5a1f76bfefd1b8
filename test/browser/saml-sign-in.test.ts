/**
 * A SAML sign-in as a person does it, in headless chromium: the browser opens
 * the zone's login URL, is redirected to an identity provider (a small one
 * running in this test, with its own key and certificate), which posts a
 * signed response back through an auto-submitting form (HTTP-POST binding) to
 * the ACS, and lands on the local portal page naming the user.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateRawSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startEmulator, type TestEmulator } from '../../src/testing.js';
import { DEMO_ZONE_ID, testFixtures, fetchApi } from '../helpers/api.js';
import { CHROMIUM_ARGS, findChromium } from '../helpers/chromium.js';
import { TestIdp } from '../helpers/saml-idp.js';

const CHROMIUM = findChromium();
if (!CHROMIUM) console.warn('SAML browser test SKIPPED: chromium is not installed (apt-get install -y chromium, or set CHROMIUM_PATH)');
const describeInBrowser = CHROMIUM ? describe : describe.skip;

const ZoneId = DEMO_ZONE_ID;
const EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The page an IdP answers with after authenticating someone: a form that posts itself to the ACS. */
function autoPost(acsUrl: string, samlResponse: string, relayState: string | null): string {
  return `<!doctype html><html><body onload="document.forms[0].submit()">
<form method="post" action="${escapeAttribute(acsUrl)}">
<input type="hidden" name="SAMLResponse" value="${escapeAttribute(samlResponse)}">
${relayState === null ? '' : `<input type="hidden" name="RelayState" value="${escapeAttribute(relayState)}">`}
<noscript><button type="submit">Continue</button></noscript>
</form></body></html>`;
}

describeInBrowser('SAML sign-in in headless chromium', () => {
  let browser: Browser;
  let page: Page;
  let emu: TestEmulator;
  let idpServer: Server;
  let idpUrl: string;
  const idp = TestIdp.create({ shape: 'entra' });
  /** Who the test IdP signs in next (it asks no password: the test decides). */
  let signInAs = 'alice@example.com';
  const seenAuthnRequests: string[] = [];

  const api = (action: string, params: object) => fetchApi(emu.url)(action, params);

  beforeAll(async () => {
    emu = await startEmulator({ fixtures: testFixtures() });
    const sp = (await api('GetZoneSAMLServiceProviderInfo', { ZoneId })).SAMLServiceProvider as { EntityId: string; AcsUrl: string };

    idpServer = createServer((req, res) => {
      const url = new URL(req.url ?? '/', idpUrl);
      let inResponseTo: string | undefined;
      if (url.pathname === '/sso') {
        // SP-initiated: read the AuthnRequest as a real IdP would (HTTP-Redirect binding).
        const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
        seenAuthnRequests.push(xml);
        inResponseTo = /\bID="([^"]+)"/.exec(xml)?.[1];
      } else if (url.pathname !== '/idp-initiated') {
        res.writeHead(404).end();
        return;
      }
      const samlResponse = idp.response({
        destination: sp.AcsUrl,
        audience: sp.EntityId,
        nameId: signInAs,
        nameIdFormat: EMAIL,
        now: emu.clock.now(),
        sign: 'assertion',
        signer: 'xmlsec1',
        ...(inResponseTo ? { inResponseTo } : {}),
      });
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(autoPost(sp.AcsUrl, samlResponse, url.searchParams.get('RelayState')));
    });
    await new Promise<void>((resolve) => idpServer.listen(0, '127.0.0.1', resolve));
    idpUrl = `http://127.0.0.1:${(idpServer.address() as AddressInfo).port}`;

    await api('CreateUser', { ZoneId, UserName: 'alice', DisplayName: 'Alice Liddell', Email: 'alice@example.com' });
    await api('CreateUser', { ZoneId, UserName: 'mallory', Email: 'mallory@example.com', UserStatus: 'Disabled' });
    // Entra-style metadata, with the sign-in URL pointed at the local test IdP (an explicit LoginUrl wins over the document's).
    await api('SetExternalSAMLIdentityProvider', {
      ZoneId,
      EncodedMetadataDocument: Buffer.from(idp.metadata()).toString('base64'),
      LoginUrl: `${idpUrl}/sso`,
      SSOStatus: 'Enabled',
    });

    browser = await chromium.launch({ executablePath: CHROMIUM!, args: CHROMIUM_ARGS });
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => idpServer?.close(resolve));
    await emu?.stop();
  });

  test('SP-initiated: login -> IdP -> ACS -> the portal names the user, the time and the RelayState', async () => {
    signInAs = 'alice@example.com';
    await page.goto(`${emu.url}/saml/sp/${ZoneId}/login?RelayState=console`);
    await page.waitForURL(new RegExp(`/saml/sp/${ZoneId}/portal/`));
    await expect(page.locator('#user-name').innerText()).resolves.toBe('alice');
    await expect(page.locator('#signed-in-at').innerText()).resolves.toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \(/);
    const text = await page.locator('main').innerText();
    expect(text).toContain('SP-initiated');
    expect(text).toContain('console');
    expect(seenAuthnRequests).toHaveLength(1);
    // Reloading the portal is a GET: it shows the same sign-in, it does not post the assertion again.
    await page.reload();
    await expect(page.locator('#user-name').innerText()).resolves.toBe('alice');
  });

  test('IdP-initiated: an unsolicited response signs in too', async () => {
    signInAs = 'alice@example.com';
    await page.goto(`${idpUrl}/idp-initiated`);
    await page.waitForURL(new RegExp(`/saml/sp/${ZoneId}/portal/`));
    await expect(page.locator('main').innerText()).resolves.toContain('IdP-initiated');
  });

  test('a disabled user lands on a 403 page that says which check failed', async () => {
    signInAs = 'mallory@example.com';
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/acs')), page.goto(`${idpUrl}/idp-initiated`)]);
    expect(response.status()).toBe(403);
    await page.waitForURL(new RegExp(`/saml/sp/${ZoneId}/acs$`));
    await expect(page.locator('h1').innerText()).resolves.toBe('Sign-in refused');
    await expect(page.locator('#failed-check').innerText()).resolves.toBe('user-disabled');
    expect(emu.requests({ surface: 'saml', code: 'user-disabled' })).toHaveLength(1);
  });
});
