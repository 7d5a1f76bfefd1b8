// The published package as a user gets it: `npm pack` of the built project
// (`npm test` builds first), installed into an empty folder without dev
// dependencies, its bin started, its types compiled by a consumer with
// skipLibCheck off. Dependencies come from the npm cache the project's own
// install filled (--prefer-offline), so no network is needed beyond what
// `npm ci` already used.
import { waitForBanner } from '../helpers/banner.js';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packagePath, packageVersion } from '../../src/runtime/package-root.js';

const run = promisify(execFile);
const ROOT = packagePath();
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const TSC = packagePath('node_modules', 'typescript', 'bin', 'tsc');

interface PackedFile {
  path: string;
  size: number;
  mode: number;
}

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: PackedFile[];
}

/** npm without the variables of the `npm test` run that started jest (they would reconfigure the child npm). */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_(lifecycle|package|config_(omit|include|global|prefix|dry_run|ignore_scripts|save|workspace))/i.test(key)) env[key] = value;
  }
  return { ...env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
}

/** Starts a command that runs the emulator, waits for its banner; stop() ends its whole process group. */
async function startEmulator(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ url: string; stop(): Promise<number | null> }> {
  const child = spawn(command, args, { ...options, detached: true });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    return exited;
  };
  try {
    const url = await waitForBanner(child, 60_000, () => err);
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

let work: string;
let app: string;
let tarball: string;
let packed: PackResult;

beforeAll(async () => {
  if (!existsSync(packagePath('dist', 'src', 'cli.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) before this suite');
  work = await mkdtemp(join(tmpdir(), 'tce-package-'));
  const { stdout } = await run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, env: npmEnv() });
  const results = JSON.parse(stdout) as PackResult[];
  const first = results[0];
  if (!first) throw new Error(`npm pack printed no result: ${stdout}`);
  packed = first;
  tarball = join(work, packed.filename);

  app = join(work, 'app');
  await mkdir(app);
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run(NPM, ['install', '--omit=dev', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', tarball], {
    cwd: app,
    env: npmEnv(),
    timeout: 90_000,
  });
}, 120_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  test('holds the run-time files only: compiled code and its types, schemas, fixtures; no maps, tests or scripts', () => {
    const paths = packed.files.map((f) => f.path);
    const allowed = /^(dist\/src\/.+\.(js|d\.ts)|schemas\/organization\/2021-03-31\/[A-Za-z]+\.json|fixtures\/[a-z-]+\.json|ui\/(index\.html|dashboard\.(js|css))|package\.json|README\.md|LICENSE|CHANGELOG\.md)$/;
    expect(paths.filter((p) => !allowed.test(p))).toEqual([]);
    for (const needed of ['dist/src/cli.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'schemas/organization/2021-03-31/CreateUser.json', 'fixtures/default.json', 'LICENSE']) {
      expect(paths).toContain(needed);
    }
    // About 300 kB packed and 1.2 MB unpacked on 2026-12-08 (README, generated types); a jump means something was swept in.
    expect(packed.size).toBeLessThan(360_000);
    expect(packed.unpackedSize).toBeLessThan(1_500_000);
  });

  test('the bin is executable (mode 755) and starts with a node shebang', async () => {
    const bin = packed.files.find((f) => f.path === 'dist/src/cli.js');
    expect(bin?.mode).toBe(0o755);
    const text = await readFile(join(app, 'node_modules', 'tencentcloud-emulator', 'dist', 'src', 'cli.js'), 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});

describe('installed with npm install --omit=dev into an empty folder', () => {
  test('brings the run-time dependencies and no dev dependency', () => {
    for (const dep of ['express', 'ajv', 'commander', 'lowdb']) expect(existsSync(join(app, 'node_modules', dep))).toBe(true);
    for (const dev of ['jest', 'typescript', '@types/express', 'tencentcloud-sdk-nodejs', 'autocannon']) {
      expect(existsSync(join(app, 'node_modules', dev))).toBe(false);
    }
  });

  test('the bin prints the version', async () => {
    const { stdout } = await run(join(app, 'node_modules', '.bin', 'tencentcloud-emulator'), ['--version'], { cwd: app });
    expect(stdout).toBe(`${packageVersion()}\n`);
  });

  test('the bin, run as a program (--port 0 --in-memory), answers the health endpoint and the API, and stops on SIGTERM', async () => {
    const emulator = await startEmulator(join(app, 'node_modules', '.bin', 'tencentcloud-emulator'), ['--port', '0', '--in-memory', '--log-level', 'warn'], {
      cwd: app,
      env: { PATH: process.env.PATH ?? '' },
    });
    try {
      const health = (await (await fetch(`${emulator.url}/_emulator/health`)).json()) as Record<string, unknown>;
      expect(health).toMatchObject({ status: 'ok', version: packageVersion(), store: expect.stringMatching(/memory/i) });
      const res = await fetch(`${emulator.url}/`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: 'SKIP', 'X-TC-Action': 'DescribeIdentityCenter', 'X-TC-Version': '2021-03-31' },
        body: '{}',
      });
      expect(((await res.json()) as { Response: Record<string, unknown> }).Response).toMatchObject({ ZoneId: 'z-emulatordemo', ServiceStatus: 'Enabled' });
    } finally {
      expect(await emulator.stop()).toBe(0);
    }
  });

  test('the published types compile in a consumer with strict on and skipLibCheck off, without @types/express, and are real types, not any', async () => {
    // A TypeScript consumer has @types/node; it need not have @types/express.
    await mkdir(join(app, 'node_modules', '@types'), { recursive: true });
    await symlink(packagePath('node_modules', '@types', 'node'), join(app, 'node_modules', '@types', 'node'), 'dir');
    await writeFile(
      join(app, 'consumer.ts'),
      `import { createServer } from 'node:http';
import { createApp, createHttpServer, start, ManualClock, type EmulatorApp, type RunningEmulator } from 'tencentcloud-emulator';

const running: RunningEmulator = await start({ port: 0, dataFile: null, auth: 'strict', logLevel: 'silent' });
const url: string = running.url;
const built: EmulatorApp = await createApp({ dataFile: null }, { clock: new ManualClock('2026-01-01T00:00:00Z') });
createServer(built.app);
createHttpServer(built);
await running.close();
await built.close();
console.log(url);
`,
    );
    // The control: were the types of the package `any`, this would compile too.
    await writeFile(
      join(app, 'misuse.ts'),
      `import { start } from 'tencentcloud-emulator';
const running = await start({ port: 0 });
const port: string = running.port;
console.log(port);
`,
    );
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, noEmit: true, types: ['node'] },
        files: ['consumer.ts', 'misuse.ts'],
      }),
    );
    let output = '';
    try {
      await run(process.execPath, [TSC, '-p', app, '--pretty', 'false'], { cwd: app });
    } catch (error) {
      output = (error as { stdout?: string }).stdout ?? String(error);
    }
    const errors = output.split('\n').filter((line) => /error TS\d+/.test(line));
    expect(errors).toEqual([expect.stringMatching(/^misuse\.ts\(3,7\): error TS2322: Type 'number' is not assignable to type 'string'/)]);
  });
});

describe("the README's npx line, next to the tarball", () => {
  /** The README block marked `<!-- readme-test: npx -->` (test/readme checks its form). */
  const npxLine = (): string[] => {
    const readme = readFileSync(packagePath('README.md'), 'utf8');
    const block = /<!-- readme-test: npx -->\n```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const line = block.split('\n').find((l) => l.startsWith('npx '));
    if (!line) throw new Error('no npx line in the README');
    return line.replace(/\s+#.*$/, '').trim().split(/\s+/);
  };

  test('npx -y -p ./<tarball> tencentcloud-emulator starts the emulator from the tarball', async () => {
    const [program, ...args] = npxLine();
    expect(program).toBe('npx');
    expect(args).toContain(`./${packed.filename}`);
    // npx installs into the npm cache (_npx/); remove what this run adds there.
    const { stdout: cache } = await run(NPM, ['config', 'get', 'cache'], { env: npmEnv() });
    const npxDir = join(cache.trim(), '_npx');
    const before = new Set(existsSync(npxDir) ? await readdir(npxDir) : []);
    const emulator = await startEmulator(program ?? 'npx', [...args, '--port', '0', '--log-level', 'warn'], {
      cwd: work,
      env: { ...npmEnv(), npm_config_prefer_offline: 'true' },
    });
    try {
      const health = (await (await fetch(`${emulator.url}/_emulator/health`)).json()) as Record<string, unknown>;
      expect(health).toMatchObject({ status: 'ok', version: packageVersion() });
    } finally {
      await emulator.stop();
      for (const entry of existsSync(npxDir) ? await readdir(npxDir) : []) {
        if (!before.has(entry)) await rm(join(npxDir, entry), { recursive: true, force: true });
      }
    }
  }, 90_000);
});
