/**
 * Who may use /_emulator: loopback clients; others only with the control
 * token (--control-token); never a page of another origin. Driven over real
 * sockets, from this machine's own non-loopback address.
 */
import { networkInterfaces } from 'node:os';
import { start, type RunningEmulator } from '../../src/app.js';
import { createLogger } from '../../src/runtime/logger.js';
import { testFixtures } from '../helpers/api.js';

/** An address of this machine that is not loopback: connecting to it, the emulator sees that address as the client. */
const external = Object.values(networkInterfaces())
  .flat()
  .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;

if (!external) console.warn('control access test skipped: this machine has no non-loopback IPv4 address to connect from');
const describeNetworked = external ? describe : describe.skip;

const TOKEN = 'test-control-token-0123456789';

async function listen(controlToken: string | null): Promise<RunningEmulator> {
  return start(
    { host: '0.0.0.0', port: 0, dataFile: null, logLevel: 'silent', controlToken },
    { logger: createLogger('silent'), fixtures: testFixtures() },
  );
}

const fetchJson = async (url: string, init: RequestInit = {}) => {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
};

describeNetworked('without a control token', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await listen(null);
  });
  afterAll(() => emu.close());

  test('loopback clients may use the control plane', async () => {
    expect((await fetchJson(`http://127.0.0.1:${emu.port}/_emulator/health`)).status).toBe(200);
  });

  test('anyone else gets a 403 with a JSON error saying how to allow them', async () => {
    const res = await fetchJson(`http://${external!}:${emu.port}/_emulator/health`);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: expect.stringMatching(/loopback.*--control-token/) });
    const reset = await fetchJson(`http://${external!}:${emu.port}/_emulator/reset`, { method: 'POST', body: '{"empty": true}' });
    expect(reset.status).toBe(403);
    expect(emu.store.view.accounts.size).toBe(2);
  });

  test('the emulated APIs answer everyone as before', async () => {
    const res = await fetchJson(`http://${external!}:${emu.port}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-TC-Action': 'DescribeIdentityCenter', 'X-TC-Version': '2021-03-31', Authorization: 'SKIP' },
      body: '{}',
    });
    expect(res.body).toMatchObject({ Response: { ZoneId: 'z-testzone0001' } });
  });

  test('the dashboard page itself (no data in it) loads for anyone; its data does not', async () => {
    const page = await fetch(`http://${external!}:${emu.port}/_emulator/ui/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('dashboard.js');
    expect((await fetchJson(`http://${external!}:${emu.port}/_emulator/overview`)).status).toBe(403);
  });

  test('a loopback client asking for a name that is not a loopback name (DNS rebinding) is refused', async () => {
    // fetch will not set Host; a raw request does.
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: emu.port, path: '/_emulator/state', headers: { Host: `attacker.example:${emu.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  test('a change requested by a page of another origin is refused; the same origin is fine', async () => {
    const base = `http://127.0.0.1:${emu.port}`;
    const foreign = await fetchJson(`${base}/_emulator/clock`, { method: 'POST', headers: { Origin: 'http://evil.example', 'Content-Type': 'text/plain' }, body: '{"advanceSeconds": 60}' });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toEqual({ error: expect.stringContaining('another origin') });
    const same = await fetchJson(`${base}/_emulator/clock`, { method: 'POST', headers: { Origin: base }, body: '{"freeze": true}' });
    expect(same.status).toBe(200);
  });
});

describeNetworked('with a control token', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await listen(TOKEN);
  });
  afterAll(() => emu.close());

  test('others need "Authorization: Bearer <token>": none or a wrong one is a 401', async () => {
    const url = `http://${external!}:${emu.port}/_emulator/health`;
    const none = await fetchJson(url);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.body).toEqual({ error: expect.stringContaining('Bearer') });
    expect((await fetchJson(url, { headers: { Authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
    expect((await fetchJson(url, { headers: { Authorization: TOKEN } })).status).toBe(401);
  });

  test('with the token they may use every endpoint', async () => {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const health = await fetchJson(`http://${external!}:${emu.port}/_emulator/health`, { headers: auth });
    expect(health).toMatchObject({ status: 200, body: { status: 'ok', controlToken: true } });
    expect(JSON.stringify(health.body)).not.toContain(TOKEN);
    const reset = await fetchJson(`http://${external!}:${emu.port}/_emulator/reset`, { method: 'POST', headers: auth, body: '{}' });
    expect(reset.status).toBe(200);
  });

  test('loopback clients still need no token', async () => {
    expect((await fetchJson(`http://127.0.0.1:${emu.port}/_emulator/health`)).status).toBe(200);
  });
});
