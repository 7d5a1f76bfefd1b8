import { spawn } from 'node:child_process';
import { packagePath } from '../../src/runtime/package-root.js';

// The built CLI (`npm test` builds first), as `npm start` runs it.
const CLI = packagePath('dist', 'src', 'cli.js');

function runToExit(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '' } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

/** Starts the CLI, waits for its banner, returns it and the URL; the caller stops it. */
function startCli(args: string[]): Promise<{ stop: () => Promise<void>; url: string; banner: string }> {
  const child = spawn(process.execPath, [CLI, '--in-memory', '--port', '0', '--log-level', 'silent', ...args], { env: { PATH: process.env.PATH ?? '' } });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no banner')), 15000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url && out.includes('Node SDK')) {
        clearTimeout(timer);
        resolve({ url, banner: out, stop: () => new Promise((done) => (child.once('exit', () => done()), child.kill('SIGTERM'))) });
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
  });
}

test('--seed and --clock: the banner says so, the clock starts frozen there, health reports the seed', async () => {
  const cli = await startCli(['--seed', '42', '--clock', '2026-01-01T00:00:00Z']);
  try {
    expect(cli.banner).toContain('mode             : seed 42, clock frozen at 2026-01-01T00:00:00.000Z');
    expect(cli.banner).toContain(`dashboard        : ${cli.url}/_emulator/ui`);
    expect(cli.banner).toContain(`SAML sign-in     : ${cli.url}/saml/sp/<ZoneId>/`);
    expect(await (await fetch(`${cli.url}/_emulator/clock`)).json()).toEqual({ now: '2026-01-01T00:00:00.000Z', frozen: true });
    expect(await (await fetch(`${cli.url}/_emulator/health`)).json()).toMatchObject({ seed: 42, controlToken: false });
  } finally {
    await cli.stop();
  }
});

test.each([
  [['--clock', '2026-01-01T00:00:00'], /--clock/],
  [['--seed', '-1'], /--seed/],
  [['--control-token', 'short'], /--control-token/],
  [['--public-url', 'ftp://localhost:9000'], /--public-url/],
  [['--public-url', 'http://localhost:9000/?x=1'], /--public-url/],
])('%j exits non-zero with a usage message', async (args, flag) => {
  const { code, stderr } = await runToExit(args);
  expect(code).not.toBe(0);
  expect(stderr).toMatch(flag);
});

test('--public-url: the SAML Entity ID and ACS URL are under it (a trailing slash dropped), and so is the banner\'s SAML line', async () => {
  const cli = await startCli(['--public-url', 'https://sso.example.test:8443/emulator/']);
  try {
    expect(cli.banner).toContain('SAML sign-in     : https://sso.example.test:8443/emulator/saml/sp/<ZoneId>/');
    const res = await fetch(`${cli.url}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-TC-Action': 'GetZoneSAMLServiceProviderInfo', 'X-TC-Version': '2021-03-31', Authorization: 'SKIP' },
      body: JSON.stringify({ ZoneId: 'z-emulatordemo' }),
    });
    const body = (await res.json()) as { Response: { SAMLServiceProvider: { EntityId: string; AcsUrl: string } } };
    expect(body.Response.SAMLServiceProvider).toMatchObject({
      EntityId: 'https://sso.example.test:8443/emulator/saml/sp/z-emulatordemo',
      AcsUrl: 'https://sso.example.test:8443/emulator/saml/sp/z-emulatordemo/acs',
    });
  } finally {
    await cli.stop();
  }
});
