/**
 * Start-up cost: what the emulator leaves unloaded until a request needs it.
 * Express (SCIM and control routers, SAML sign-in), ajv (parameter schemas)
 * and the SAML library (xml-crypto, @xmldom/xmldom, xpath) each cost start-up
 * time that most runs never use. Checked on the built CLI, through a probe
 * that lists the npm packages in the module cache.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { packagePath } from '../../src/runtime/package-root.js';

const CLI = packagePath('dist', 'src', 'cli.js');
const PROBE = packagePath('test', 'helpers', 'loaded-packages-probe.mjs');
const SAML_LIBRARY = ['@xmldom/xmldom', 'xml-crypto', 'xpath'];

let child: ChildProcessWithoutNullStreams;
let url: string;
let stderr = '';

beforeAll(async () => {
  child = spawn(process.execPath, ['--import', PROBE, CLI, '--in-memory', '--port', '0', '--log-level', 'error'], { env: { PATH: process.env.PATH ?? '' } });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let out = '';
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner; stderr: ${stderr}`)), 15_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
});
afterAll(async () => {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
});

async function loadedPackages(): Promise<string[]> {
  const before = stderr.length;
  child.kill('SIGUSR2');
  for (let i = 0; i < 200; i++) {
    const line = /LOADED-PACKAGES (\[.*\])\n/.exec(stderr.slice(before));
    if (line) return JSON.parse(line[1]!) as string[];
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`the probe did not answer; stderr: ${stderr}`);
}

const api = (action: string, params: object = {}) =>
  fetch(`${url}/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-TC-Action': action, 'X-TC-Version': '2021-03-31', Authorization: 'SKIP' },
    body: JSON.stringify(params),
  }).then((r) => r.json() as Promise<{ Response: Record<string, unknown> }>);

// In order: each test builds on the requests the previous ones made.
test('listening, and answering the health probe: neither Express, ajv nor the SAML library is loaded', async () => {
  expect((await fetch(`${url}/_emulator/health`)).status).toBe(200);
  const loaded = await loadedPackages();
  for (const name of ['express', 'ajv', ...SAML_LIBRARY]) expect(loaded).not.toContain(name);
});

test('an API call that is not about SAML loads the schemas (ajv) but not Express or the SAML library', async () => {
  expect((await api('ListSCIMCredentials', { ZoneId: 'z-emulatordemo' })).Response.Error).toBeUndefined();
  const loaded = await loadedPackages();
  expect(loaded).toContain('ajv');
  for (const name of ['express', ...SAML_LIBRARY]) expect(loaded).not.toContain(name);
});

test('a control-plane request loads Express, still not the SAML library', async () => {
  expect((await fetch(`${url}/_emulator/state`)).status).toBe(200);
  const loaded = await loadedPackages();
  expect(loaded).toContain('express');
  for (const name of SAML_LIBRARY) expect(loaded).not.toContain(name);
});

test('the first SAML action loads the SAML library, and answers as ever', async () => {
  const answer = await api('GetZoneSAMLServiceProviderInfo', { ZoneId: 'z-emulatordemo' });
  expect(answer.Response).toMatchObject({ SAMLServiceProvider: { ZoneId: 'z-emulatordemo', AcsUrl: `${url}/saml/sp/z-emulatordemo/acs` } });
  const loaded = await loadedPackages();
  for (const name of ['xml-crypto', '@xmldom/xmldom']) expect(loaded).toContain(name);
});

test('the SAML endpoints answer once their router has loaded', async () => {
  const answer = await fetch(`${url}/saml/sp/z-emulatordemo/metadata`);
  expect(answer.status).toBe(200);
  expect(await answer.text()).toContain(`entityID="${url}/saml/sp/z-emulatordemo"`);
});
