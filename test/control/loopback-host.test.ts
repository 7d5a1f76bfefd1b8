/**
 * DNS rebinding: only names that cannot be rebound count as this machine.
 * A page whose own name resolves to 127.0.0.1 (127.evil.example,
 * 127.0.0.1.nip.io) sends that name as Host and Origin, so both must be refused.
 */
import { request } from 'node:http';
import { start, type RunningEmulator } from '../../src/app.js';
import { isLoopbackAddress, isLoopbackHost } from '../../src/control/access.js';
import { createLogger } from '../../src/runtime/logger.js';
import { testFixtures } from '../helpers/api.js';

describe('isLoopbackHost', () => {
  test.each([
    '127.0.0.1',
    '127.0.0.1:9000',
    '127.255.3.4:80',
    '127.1',
    '[::1]',
    '[::1]:9000',
    '[::ffff:127.0.0.1]',
    '[::ffff:7f00:1]:9000',
    'localhost',
    'LOCALHOST:9000',
    'app.localhost:9000',
  ])('%s is a loopback host', (host) => expect(isLoopbackHost(host)).toBe(true));

  test.each([
    '127.evil.example',
    '127.evil.example:9000',
    '127.0.0.1.nip.io',
    '127.0.0.1.evil.example:9000',
    '128.0.0.1',
    '[::2]',
    '[::ffff:8.8.8.8]',
    'localhost.evil.example',
    'evillocalhost',
    '127.0.0.1@evil.example',
    'evil.example/127.0.0.1',
    '',
    '[::1',
  ])('%s is not', (host) => expect(isLoopbackHost(host)).toBe(false));
});

describe('isLoopbackAddress', () => {
  test.each(['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1'])('%s is loopback', (a) => expect(isLoopbackAddress(a)).toBe(true));
  test.each(['10.0.0.1', '::2', '::ffff:10.0.0.1', '127.evil.example', 'localhost', '', undefined])('%s is not', (a) => expect(isLoopbackAddress(a)).toBe(false));
});

describe('a rebinding page on a loopback connection', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await start({ port: 0, dataFile: null, logLevel: 'silent' }, { logger: createLogger('silent'), fixtures: testFixtures() });
  });
  afterAll(() => emu.close());

  const post = (host: string, path: string, body: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: emu.port, method: 'POST', path, headers: { Host: host, Origin: `http://${host}`, 'Content-Type': 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  test.each(['127.evil.example', '127.0.0.1.nip.io', '127.0.0.1.evil.example'])('Host and Origin %s cannot reset the emulator', async (name) => {
    const before = emu.store.view.accounts.size;
    const res = await post(`${name}:${emu.port}`, '/_emulator/reset', '{"empty":true}');
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toEqual({ error: expect.stringContaining('loopback') });
    expect(emu.store.view.accounts.size).toBe(before);
  });

  test('the same request with a loopback name is served', async () => {
    const res = await post(`localhost:${emu.port}`, '/_emulator/clock', '{"freeze":true}');
    expect(res.status).toBe(200);
  });
});
