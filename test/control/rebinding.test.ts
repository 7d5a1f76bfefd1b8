/**
 * DNS rebinding: a page on a name its owner points at 127.0.0.1 reaches the
 * emulator from a loopback socket, with Host and Origin both naming that page.
 * Only Host names that are loopback by construction (IP literals, localhost)
 * may use the control plane without a token.
 */
import { request } from 'node:http';
import { start, type RunningEmulator } from '../../src/app.js';
import { controlAccessCheck, isLoopbackAddress, isLoopbackHost } from '../../src/control/access.js';
import { createLogger } from '../../src/runtime/logger.js';
import { testFixtures } from '../helpers/api.js';

describe('which Host headers count as loopback', () => {
  const accepted = [
    '127.0.0.1',
    '127.0.0.1:9000',
    '127.255.255.254:1',
    '127.1.2.3',
    '[::1]',
    '[::1]:9000',
    '[0:0:0:0:0:0:0:1]:9000',
    '[::ffff:127.0.0.1]',
    '[::ffff:127.0.0.1]:9000',
    '[::ffff:7f00:1]',
    '[::ffff:7f00:1]:9000',
    '[::FFFF:7F01:0203]',
    'localhost',
    'LOCALHOST:9000',
    'app.localhost',
    'a.b.localhost:9000',
    // A browser reads these as the IP literal they stand for, so no DNS answer can rebind them.
    '127.1',
    '0x7f.0.0.1',
    '2130706433',
    '127.0.0.1.',
  ];
  const refused = [
    '127.evil.example',
    '127.evil.example:9000',
    '127.0.0.1.nip.io',
    '127.0.0.1.nip.io:9000',
    '127.0.0.1.evil.example',
    '128.0.0.1',
    '10.0.0.1:9000',
    '[::2]',
    '[::ffff:8.8.8.8]',
    '[::ffff:808:808]:9000',
    '[::7f00:1]',
    '::1',
    '[127.0.0.1]',
    'localhost.evil.example',
    'evillocalhost',
    'evil@127.0.0.1',
    '127.0.0.1/x',
    '127.0.0.1 :9000',
    '127.0.0.1:9000:9000',
    '',
  ];
  test.each(accepted)('%s is loopback', (host) => expect(isLoopbackHost(host)).toBe(true));
  test.each(refused)('%s is not', (host) => expect(isLoopbackHost(host)).toBe(false));

  test('remote addresses: 127.0.0.0/8, ::1 and IPv4-mapped loopback only', () => {
    for (const a of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1']) expect(isLoopbackAddress(a)).toBe(true);
    for (const a of [undefined, '', '127.evil.example', '127.0.0.1.nip.io', '10.0.0.1', '::ffff:10.0.0.1', '::2', '[::1]', '127.1', 'localhost']) expect(isLoopbackAddress(a)).toBe(false);
  });

  test('the check is a plain function of method, Host, Origin, address and Authorization', () => {
    const check = controlAccessCheck('tok');
    const loopback = { method: 'POST', host: '127.0.0.1:9000', origin: 'http://127.0.0.1:9000', remoteAddress: '127.0.0.1', authorization: undefined };
    expect(check(loopback)).toBeNull();
    const rebound = check({ ...loopback, host: '127.evil.example:9000', origin: 'http://127.evil.example:9000' });
    expect(rebound?.status).toBe(401); // a token is configured: the rebound page would need it
    expect(check({ ...loopback, host: '127.evil.example:9000', origin: 'http://127.evil.example:9000', authorization: 'Bearer tok' })).toBeNull();
    expect(controlAccessCheck(null)({ ...loopback, host: '127.0.0.1.nip.io:9000', origin: undefined })?.status).toBe(403);
  });
});

describe('the rebinding repro from issue 21', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await start({ host: '127.0.0.1', port: 0, dataFile: null, logLevel: 'silent', controlToken: null }, { logger: createLogger('silent'), fixtures: testFixtures() });
  });
  afterAll(() => emu.close());

  /** A raw request to 127.0.0.1 naming `name` in Host and Origin, as a rebound page's fetch would send it. */
  function asRebound(name: string, method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: emu.port, method, path, headers: { Host: `${name}:${emu.port}`, Origin: `http://${name}:${emu.port}`, 'Content-Type': 'text/plain' } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  test.each(['127.evil.example', '127.0.0.1.nip.io', '127.0.0.1.evil.example'])('POST /_emulator/reset from %s is 403 and the accounts survive', async (name) => {
    const before = emu.store.view.accounts.size;
    expect(before).toBeGreaterThan(0);
    const res = await asRebound(name, 'POST', '/_emulator/reset', '{"empty":true}');
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toEqual({ error: expect.stringMatching(/loopback/) });
    expect(emu.store.view.accounts.size).toBe(before);
    const read = await asRebound(name, 'GET', '/_emulator/state');
    expect(read.status).toBe(403);
    const health = await asRebound(name, 'GET', '/_emulator/health');
    expect(health.status).toBe(403);
  });

  test.each(['127.0.0.1', 'localhost', '[::ffff:7f00:1]'])('the same request naming %s is served', async (name) => {
    const res = await asRebound(name, 'GET', '/_emulator/health');
    expect(res.status).toBe(200);
  });
});
