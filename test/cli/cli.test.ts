import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { lstat, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packagePath } from '../../src/runtime/package-root.js';

// Runs the built CLI (`npm test` builds first), exactly as `npm start` does.
const CLI = packagePath('dist', 'src', 'cli.js');

interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stdout: () => string;
  stderr: () => string;
}

function run(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<Running> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, cwd });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner; stderr: ${err}`)), 15000);
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, stdout: () => out, stderr: () => err });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${err}`));
    });
  });
}

function runToExit(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

function stop(r: Running): Promise<number | null> {
  return new Promise((resolve) => {
    r.child.once('exit', (code) => resolve(code));
    r.child.kill('SIGTERM');
  });
}

const describeIdentityCenter = (url: string) =>
  fetch(`${url}/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-TC-Action': 'DescribeIdentityCenter', 'X-TC-Version': '2021-03-31', Authorization: 'SKIP' },
    body: '{}',
  }).then((r) => r.json() as Promise<{ Response: Record<string, unknown> }>);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tce-cli-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

test('--help lists every contract flag and exits 0', async () => {
  const { code, stdout } = await runToExit(['--help']);
  expect(code).toBe(0);
  for (const flag of ['--port', '--host', '--data', '--in-memory', '--fixtures', '--auth', '--log-level', '--utc-offset']) {
    expect(stdout).toContain(flag);
  }
});

test.each([['-v'], ['--version']])('%s prints the package version alone and exits 0', async (flag) => {
  const { version } = JSON.parse(await readFile(packagePath('package.json'), 'utf8')) as { version: string };
  expect(version).toMatch(/^\d+\.\d+\.\d+/);
  const { code, stdout, stderr } = await runToExit([flag]);
  expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
});

test('a bad flag value exits non-zero with a usage message', async () => {
  const { code, stderr } = await runToExit(['--auth', 'loose']);
  expect(code).not.toBe(0);
  expect(stderr).toMatch(/auth/);
});

test('--port 0 picks a free port, prints it, serves the default fixtures and creates the data file', async () => {
  const data = join(dir, 'state.json');
  const r = await run(['--port', '0', '--data', data, '--log-level', 'silent']);
  try {
    expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(r.url).not.toMatch(/:0$/);
    expect(r.stdout()).toContain(data);
    expect(r.stdout()).toContain('organization.v20210331.Client');
    const res = await describeIdentityCenter(r.url);
    expect(res.Response.ZoneId).toBe('z-emulatordemo');
    expect(JSON.parse(await readFile(data, 'utf8')).zones).toHaveLength(1);
  } finally {
    expect(await stop(r)).toBe(0);
  }
});

test('environment variables configure it like flags do (TCE_PORT, TCE_IN_MEMORY, TCE_UTC_OFFSET)', async () => {
  const r = await run([], { TCE_PORT: '0', TCE_IN_MEMORY: 'true', TCE_UTC_OFFSET: '+00:00', TCE_LOG_LEVEL: 'silent' }, dir);
  try {
    expect(r.stdout()).toContain('in memory');
    expect((await describeIdentityCenter(r.url)).Response.CreateTime).toBe('2026-01-01 00:00:00');
  } finally {
    await stop(r);
  }
});

test('logs one JSON line per request without secrets', async () => {
  const r = await run(['--port', '0', '--in-memory', '--log-level', 'info']);
  try {
    const created = await fetch(`${r.url}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-TC-Action': 'CreateSCIMCredential', 'X-TC-Version': '2021-03-31', Authorization: 'SKIP' },
      body: JSON.stringify({ ZoneId: 'z-emulatordemo' }),
    }).then((x) => x.json() as Promise<{ Response: { CredentialSecret: string; RequestId: string } }>);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = r.stderr().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const line = lines.find((l) => l.requestId === created.Response.RequestId);
    expect(line).toMatchObject({ surface: 'api', action: 'CreateSCIMCredential', code: 'Success' });
    expect(typeof line!.latencyMs).toBe('number');
    expect(r.stderr()).not.toContain(created.Response.CredentialSecret);
  } finally {
    await stop(r);
  }
});

test('a port in use is a clear error, not a stack trace', async () => {
  const first = await run(['--port', '0', '--in-memory', '--log-level', 'silent']);
  try {
    const port = new URL(first.url).port;
    const { code, stderr } = await runToExit(['--port', port, '--in-memory']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/already in use/);
    expect(stderr).not.toMatch(/\n\s+at /);
  } finally {
    await stop(first);
  }
});

describe('start-up errors are one clear line, exit non-zero, and touch nothing', () => {
  const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at /);

  test('a second emulator on the same data file is refused, naming the file and the process holding it', async () => {
    const data = join(dir, 'state.json');
    const first = await run(['--port', '0', '--data', data, '--log-level', 'silent']);
    try {
      const { code, stderr } = await runToExit(['--port', '0', '--data', data]);
      expect(code).not.toBe(0);
      expect(stderr).toContain(data);
      expect(stderr).toContain(`process ${first.child.pid}`);
      noStack(stderr);
      // The first one still serves and writes.
      expect((await describeIdentityCenter(first.url)).Response.ZoneId).toBe('z-emulatordemo');
    } finally {
      expect(await stop(first)).toBe(0);
    }
  });

  test('a data file left locked by a killed emulator is taken over', async () => {
    const data = join(dir, 'state.json');
    const first = await run(['--port', '0', '--data', data, '--log-level', 'silent']);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const second = await run(['--port', '0', '--data', data, '--log-level', 'warn']);
    try {
      expect((await describeIdentityCenter(second.url)).Response.ZoneId).toBe('z-emulatordemo');
      // The logger writes its lines in batches (at most 20 ms late): wait for the line instead of racing the first answer.
      for (let waited = 0; waited < 5000 && !/took over the lock/.test(second.stderr()); waited += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(second.stderr()).toMatch(/took over the lock/);
    } finally {
      await stop(second);
    }
  });

  test('--data naming a directory', async () => {
    const { code, stderr } = await runToExit(['--port', '0', '--data', dir]);
    expect(code).not.toBe(0);
    expect(stderr).toContain(`cannot use ${dir} as the data file (it is a directory)`);
    noStack(stderr);
  });

  test('--data where nothing can be written (a path under /proc; root ignores permission bits): one line with the path and errno, no hang', async () => {
    const { code, stderr } = await runToExit(['--port', '0', '--data', '/proc/tce-test/emulator.json']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot use \/proc\/tce-test\/emulator\.json as the data file \(ENOENT/);
    noStack(stderr);
  });

  test('a record of the wrong shape is refused, naming the record; the file is left as it was', async () => {
    const data = join(dir, 'state.json');
    const text = JSON.stringify({ schemaVersion: 2, journalSeq: 0, users: [{ userId: 'u-broken000001', zoneId: 'z-emulatordemo' }] });
    await writeFile(data, text);
    const { code, stderr } = await runToExit(['--port', '0', '--data', data]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/users\[0\] \(zoneId="z-emulatordemo", userId="u-broken000001"\): userName must be string/);
    noStack(stderr);
    expect(await readFile(data, 'utf8')).toBe(text);
    expect((await readdir(dir)).sort()).toEqual(['state.json']);
  });

  test('a symlinked data file keeps its link, and its target receives the writes', async () => {
    const target = join(dir, 'real.json');
    const link = join(dir, 'link.json');
    const first = await run(['--port', '0', '--data', target, '--log-level', 'silent']);
    await stop(first);
    await symlink(target, link);
    const r = await run(['--port', '0', '--data', link, '--log-level', 'silent']);
    try {
      await fetch(`${r.url}/`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-TC-Action': 'UpdateZone', 'X-TC-Version': '2021-03-31', Authorization: 'SKIP' },
        body: JSON.stringify({ ZoneId: 'z-emulatordemo', NewZoneName: 'renamed-through-link' }),
      });
    } finally {
      await stop(r);
    }
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(target, 'utf8')).toContain('renamed-through-link');
  });
});

describe('configuration values are checked', () => {
  test.each(['false', '0', 'no', 'FALSE'])('TCE_IN_MEMORY=%s keeps the data file', async (value) => {
    const r = await run(['--port', '0', '--log-level', 'silent'], { TCE_IN_MEMORY: value }, dir);
    try {
      expect(r.stdout()).toContain(join(dir, 'data', 'emulator.json'));
    } finally {
      await stop(r);
    }
  });

  test.each(['true', '1', 'yes'])('TCE_IN_MEMORY=%s keeps the state in memory', async (value) => {
    const r = await run(['--port', '0', '--log-level', 'silent'], { TCE_IN_MEMORY: value }, dir);
    try {
      expect(r.stdout()).toContain('in memory');
    } finally {
      await stop(r);
    }
  });

  test.each(['', 'maybe', 'on'])('TCE_IN_MEMORY=%j is refused with a clear error', async (value) => {
    const { code, stderr } = await runToExit(['--port', '0'], { TCE_IN_MEMORY: value });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/TCE_IN_MEMORY.*expected true\/false, 1\/0 or yes\/no/);
  });

  test('--host 999.1.1.1 is refused with one clear line', async () => {
    const { code, stderr } = await runToExit(['--host', '999.1.1.1', '--port', '0', '--in-memory']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/--host.*999\.1\.1\.1.*expected an IP address/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test('a host name that does not resolve is one clear line, not a stack trace', async () => {
    const { code, stderr } = await runToExit(['--host', 'no-such-host.invalid', '--port', '0', '--in-memory']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot listen there \(ENOTFOUND/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
