/**
 * The dashboard (/_emulator/ui) in a real headless browser: Debian's
 * chromium driven by playwright-core (no browser is downloaded). It shows
 * zones, SCIM keys, users and groups and the request journal, refreshes on
 * its own, its buttons work, and no secret ever reaches the page.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startEmulator, type TestEmulator } from '../../src/testing.js';
import { hashSecret } from '../../src/domain/scim-credentials.js';
import { DEMO_ACCOUNT, DEMO_ZONE_ID, OTHER_ACCOUNT, testFixtures, fetchApi } from '../helpers/api.js';
import { CHROMIUM_ARGS, findChromium } from '../helpers/chromium.js';
import { TestIdp } from '../helpers/saml-idp.js';

const CHROMIUM = findChromium();
if (!CHROMIUM) console.warn('dashboard browser test SKIPPED: chromium is not installed (apt-get install -y chromium, or set CHROMIUM_PATH)');
const describeInBrowser = CHROMIUM ? describe : describe.skip;

const ZoneId = DEMO_ZONE_ID;

describeInBrowser('the dashboard in headless chromium', () => {
  let browser: Browser;
  let emu: TestEmulator;
  let page: Page;
  let scimSecret: string;
  /** Every body the page received, to prove no secret ever reached it. */
  const received: string[] = [];

  const api = (action: string, params: object) => fetchApi(emu.url)(action, params);

  beforeAll(async () => {
    emu = await startEmulator({ fixtures: testFixtures(), clock: '2026-05-01T00:00:00Z' });
    await api('UpdateSCIMSynchronizationStatus', { ZoneId, SCIMSynchronizationStatus: 'Enabled' });
    scimSecret = (await api('CreateSCIMCredential', { ZoneId })).CredentialSecret as string;
    const scim = await fetch(`${emu.scimBase}/Users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${scimSecret}`, 'Content-Type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'synced@example.com', password: 'scim-password-1' }),
    });
    expect(scim.status).toBe(201);
    await api('CreateUser', { ZoneId, UserName: 'manual-user', DisplayName: '<img src=x onerror=alert(1)>' });
    await api('CreateGroup', { ZoneId, GroupName: 'devs' });

    browser = await chromium.launch({ executablePath: CHROMIUM!, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    page.on('response', (response) => {
      void response.text().then(
        (text) => received.push(text),
        () => undefined,
      );
    });
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${emu.url}/_emulator/ui/`);
  });

  afterAll(async () => {
    await browser?.close();
    await emu?.stop();
  });

  test('shows the zone, its SCIM key with status, expiry and last use, and users and groups as synchronized or manual', async () => {
    const zone = page.locator(`[data-testid="zone"][data-zone-id="${ZoneId}"]`);
    await zone.waitFor();
    await expect(zone.innerText()).resolves.toContain('test-zone');
    const key = zone.locator('[data-testid="scim-key"]');
    await expect(key.count()).resolves.toBe(1);
    const keyText = await key.innerText();
    expect(keyText).toContain('Enabled');
    expect(keyText).toContain('2027-05-01 00:00:00 UTC'); // expiry: a year after the frozen clock
    await expect(key.locator('[data-testid="scim-key-last-used"]').innerText()).resolves.toBe('2026-05-01 00:00:00 UTC');

    await expect(zone.locator('[data-testid="user-row"][data-user-type="Synchronized"]').innerText()).resolves.toContain('synced@example.com');
    await expect(zone.locator('[data-testid="user-row"][data-user-type="Manual"]').innerText()).resolves.toContain('manual-user');
    await expect(zone.textContent()).resolves.toContain('Users: 2 (1 synchronized, 1 manual)');
    await expect(zone.locator('[data-testid="group-row"]').innerText()).resolves.toContain('devs');
    // A name with markup in it is shown as text, never run.
    await expect(zone.locator('[data-testid="user-row"][data-user-type="Manual"]').innerText()).resolves.toContain('<img src=x onerror=alert(1)>');

    await page.screenshot({ path: join(tmpdir(), 'tce-dashboard.png'), fullPage: true });
  });

  test('shows the request journal and the key usage on demand', async () => {
    const journal = page.locator('[data-testid="journal-row"]');
    await journal.first().waitFor();
    const text = await page.locator('[data-testid="journal"]').innerText();
    expect(text).toContain('CreateSCIMCredential');
    expect(text).toContain('POST /scim/v2/Users');
    await page.locator('[data-usage]').first().click();
    await page.locator('[data-usage-of]').getByText('1 recent SCIM request(s)').waitFor();
  });

  test('refreshes on its own: a new user and a new request appear without reloading', async () => {
    await api('CreateUser', { ZoneId, UserName: 'arrived-later' });
    await page.locator('[data-testid="user-row"]', { hasText: 'arrived-later' }).waitFor({ timeout: 6000 });
    await page.locator('[data-testid="journal-row"]', { hasText: 'CreateUser' }).first().waitFor({ timeout: 6000 });
  });

  test('shows the zone\'s SAML identity provider and its latest sign-ins', async () => {
    const saml = page.locator(`[data-testid="zone"][data-zone-id="${ZoneId}"] [data-testid="saml"]`);
    await saml.locator('text=No identity provider').waitFor();
    const idp = TestIdp.create();
    await api('SetExternalSAMLIdentityProvider', { ZoneId, EncodedMetadataDocument: Buffer.from(idp.metadata()).toString('base64'), SSOStatus: 'Enabled' });
    const sp = (await api('GetZoneSAMLServiceProviderInfo', { ZoneId })).SAMLServiceProvider as { EntityId: string; AcsUrl: string };
    const signIn = await fetch(sp.AcsUrl, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        SAMLResponse: idp.response({ destination: sp.AcsUrl, audience: sp.EntityId, nameId: 'manual-user', now: emu.clock.now(), sign: 'assertion', signer: 'xml-crypto' }),
      }),
    });
    expect(signIn.status).toBe(303);
    await saml.locator('[data-testid="saml-sign-in"]', { hasText: 'manual-user' }).waitFor({ timeout: 6000 });
    await expect(saml.innerText()).resolves.toContain(idp.entityId());
    await expect(saml.locator('a', { hasText: 'try a sign-in' }).getAttribute('href')).resolves.toBe(`/saml/sp/${ZoneId}/login`);
  });

  test('the clock buttons move the emulator clock', async () => {
    await page.locator('[data-testid="clock-advance-day"]').click();
    await page.locator('[data-testid="clock-now"]', { hasText: '2026-05-02 00:00:00 UTC' }).waitFor();
    expect(emu.clock.state()).toEqual({ now: '2026-05-02T00:00:00.000Z', frozen: true });

    await page.locator('[data-testid="clock-set-value"]').fill('2028-01-01T00:00:00Z');
    await page.locator('[data-testid="clock-set"]').click();
    // Past the key's expiry: the page says so.
    await page.locator('[data-testid="scim-key"]', { hasText: 'expired' }).waitFor();

    await page.locator('[data-testid="clock-freeze"]').click(); // it is frozen: this unfreezes
    await page.locator('[data-testid="clock-frozen"]', { hasText: 'running' }).waitFor();
    expect(emu.clock.state().frozen).toBe(false);
  });

  test('no secret ever appears on the page or in what it loaded', async () => {
    const html = await page.content();
    const secrets = [scimSecret, hashSecret(scimSecret), DEMO_ACCOUNT.secretKey, OTHER_ACCOUNT.secretKey, DEMO_ACCOUNT.secretId, 'scim-password-1'];
    for (const secret of secrets) {
      expect(html).not.toContain(secret);
      for (const body of received) expect(body).not.toContain(secret);
    }
    expect(received.length).toBeGreaterThan(5);
  });

  test('reset empties the page back to the fixtures', async () => {
    await page.locator('[data-testid="reset"]').click();
    await page.locator('[data-testid="zone"]', { hasText: 'Users: 0 (0 synchronized, 0 manual)' }).waitFor();
    await expect(page.locator('[data-testid="scim-key"]').count()).resolves.toBe(0);
    expect(emu.clock.state()).toEqual({ now: '2026-05-01T00:00:00.000Z', frozen: true });
    await page.locator('[data-testid="reset-empty"]').click();
    await page.locator('[data-testid="zones"]', { hasText: 'No Identity Center zone' }).waitFor();
  });
});
