// There is no container runtime where these tests run, so the image is never
// built here. What can be proven without one is proven: the Dockerfile's final
// stage is read (ENV, WORKDIR, USER, VOLUME, EXPOSE, HEALTHCHECK, ENTRYPOINT,
// CMD), and its exact entry command runs with its exact environment against
// the built dist/ — the project root standing in for /app, a temp folder for
// the /data volume, and port 0 instead of 9000 — then the image's own
// HEALTHCHECK command is run against it.
import { waitForBanner } from '../helpers/banner.js';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCommand } from '../../src/config.js';
import { packagePath, packageVersion } from '../../src/runtime/package-root.js';

interface Instruction {
  keyword: string;
  args: string;
}

/** Instructions of a Dockerfile: comments dropped, `\` continuations joined. */
function instructions(text: string): Instruction[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (current === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue; // a comment inside a continued instruction
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(current + line);
    current = '';
  }
  if (current !== '') logical.push(current);
  return logical.map((l) => {
    const m = /^(\S+)\s*(.*)$/.exec(l);
    return { keyword: (m?.[1] ?? '').toUpperCase(), args: m?.[2] ?? '' };
  });
}

/** `k=v k2="v 2"` pairs of an ENV instruction. */
function envPairs(args: string): [string, string][] {
  const pairs: [string, string][] = [];
  const re = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g;
  for (const m of args.matchAll(re)) {
    const value = m[2] ?? '';
    pairs.push([m[1] ?? '', value.startsWith('"') ? (JSON.parse(value) as string) : value]);
  }
  if (pairs.length === 0) throw new Error(`ENV ${args}: only the key=value form is supported here`);
  return pairs;
}

/** The exec (JSON) form of ENTRYPOINT / CMD / HEALTHCHECK CMD; the shell form would not get signals. */
function execForm(args: string, what: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((a): a is string => typeof a === 'string')) throw new Error(`${what} must use the JSON exec form`);
  return parsed;
}

interface ImageConfig {
  stages: number;
  from: string;
  workdir: string;
  user: string;
  env: Record<string, string>;
  volumes: string[];
  exposed: string[];
  entrypoint: string[];
  cmd: string[];
  healthcheck: { options: string; cmd: string[] };
  args: Record<string, string>;
}

function readImageConfig(text: string): ImageConfig {
  const all = instructions(text);
  const args: Record<string, string> = {};
  for (const i of all) {
    if (i.keyword === 'FROM') break;
    if (i.keyword === 'ARG') {
      const [name, value = ''] = i.args.split('=');
      args[name ?? ''] = value;
    }
  }
  const froms = all.map((i, index) => ({ i, index })).filter(({ i }) => i.keyword === 'FROM');
  const last = froms[froms.length - 1];
  if (!last) throw new Error('no FROM');
  const config: ImageConfig = {
    stages: froms.length,
    from: last.i.args.replace(/\$\{(\w+)\}/g, (_m, name: string) => args[name] ?? ''),
    workdir: '/',
    user: 'root',
    env: {},
    volumes: [],
    exposed: [],
    entrypoint: [],
    cmd: [],
    healthcheck: { options: '', cmd: [] },
    args,
  };
  for (const { keyword, args: rest } of all.slice(last.index + 1)) {
    if (keyword === 'WORKDIR') config.workdir = rest;
    else if (keyword === 'USER') config.user = rest;
    else if (keyword === 'ENV') for (const [k, v] of envPairs(rest)) config.env[k] = v;
    else if (keyword === 'VOLUME') config.volumes.push(...(rest.startsWith('[') ? execForm(rest, 'VOLUME') : rest.split(/\s+/)));
    else if (keyword === 'EXPOSE') config.exposed.push(...rest.split(/\s+/));
    else if (keyword === 'ENTRYPOINT') config.entrypoint = execForm(rest, 'ENTRYPOINT');
    else if (keyword === 'CMD') config.cmd = execForm(rest, 'CMD');
    else if (keyword === 'HEALTHCHECK') {
      const m = /^(.*?)\bCMD\s+(\[.*\])$/.exec(rest);
      if (!m?.[2]) throw new Error('HEALTHCHECK must be `[options] CMD [exec form]`');
      config.healthcheck = { options: (m[1] ?? '').trim(), cmd: execForm(m[2], 'HEALTHCHECK CMD') };
    }
  }
  return config;
}

const ROOT = packagePath();
const dockerfile = readFileSync(packagePath('Dockerfile'), 'utf8');
const image = readImageConfig(dockerfile);

/** Every environment variable the CLI reads, from its own option definitions. */
const CLI_ENV_VARS = buildCommand()
  .options.map((o) => o.envVar)
  .filter((v): v is string => v !== undefined)
  .sort();

describe('the Dockerfile', () => {
  test('is multi-stage on a Node 20 base, runs as an unprivileged user, exposes 9000 and declares the /data volume', () => {
    expect(image.stages).toBeGreaterThanOrEqual(2);
    expect(image.from).toMatch(/^node:20(\.\d+)*(-[a-z0-9.-]+)?$/);
    expect(image.user).not.toMatch(/^(root|0)(:|$)/);
    expect(image.exposed).toEqual(['9000']);
    expect(image.volumes).toEqual(['/data']);
  });

  test('sets every setting the CLI reads as an environment variable; listens on 0.0.0.0:9000 with its data in /data', () => {
    expect(CLI_ENV_VARS.length).toBeGreaterThanOrEqual(11);
    // Settings that are off unless given cannot be set to a neutral value: the Dockerfile lists them in a comment.
    const offUnlessGiven = ['TCE_SEED', 'TCE_CLOCK', 'TCE_CONTROL_TOKEN', 'TCE_PUBLIC_URL'];
    expect(CLI_ENV_VARS.filter((name) => !(name in image.env) && !offUnlessGiven.includes(name))).toEqual([]);
    for (const name of offUnlessGiven) expect(dockerfile).toMatch(new RegExp(`^#\\s+${name}=`, 'm'));
    expect(image.env).toMatchObject({ TCE_HOST: '0.0.0.0', TCE_PORT: '9000', TCE_IN_MEMORY: 'false' });
    expect(image.env.TCE_DATA).toMatch(/^\/data\//);
  });

  test('has a HEALTHCHECK on /_emulator/health, and an exec-form entry command', () => {
    expect(image.healthcheck.cmd.join(' ')).toContain('/_emulator/health');
    expect(image.healthcheck.options).toMatch(/--interval=\d+s/);
    expect([...image.entrypoint, ...image.cmd].length).toBeGreaterThan(0);
  });

  test('copies only files the repository has, and .dockerignore keeps none of them out', () => {
    const ignored = readFileSync(packagePath('.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    const sources = instructions(dockerfile)
      .filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(4);
    expect(sources.filter((s) => !existsSync(join(ROOT, s)))).toEqual([]);
    const blocked = sources.filter((s) => ignored.some((pattern) => s === pattern || s.startsWith(`${pattern}/`)));
    expect(blocked).toEqual([]);
    // What the image must not be built from: local state, builds and dependencies of the host.
    for (const kept of ['node_modules', 'dist', 'data', '.git']) expect(ignored).toContain(kept);
  });
});

describe('compose.yaml', () => {
  const compose = readFileSync(packagePath('compose.yaml'), 'utf8');

  test('builds this Dockerfile, publishes port 9000 and keeps /data in a named volume', () => {
    expect(compose).toMatch(/^\s+build: \.$/m);
    expect(compose).toMatch(/- "(127\.0\.0\.1:)?9000:9000"/);
    expect(compose).toMatch(/- [a-z-]+:\/data$/m);
  });

  test('sets only environment variables the CLI reads', () => {
    const names = [...compose.matchAll(/^\s+(TCE_[A-Z_]+):/gm)].map((m) => m[1] ?? '');
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => !CLI_ENV_VARS.includes(n))).toEqual([]);
  });
});

describe("the image's entry command with the image's environment (no container: /app = the project, /data = a temp folder, port 0)", () => {
  let data: string;
  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'tce-docker-data-'));
  });
  afterAll(() => rm(data, { recursive: true, force: true }));

  /** A path or value inside the image, as it is on this machine. */
  const onHost = (value: string): string =>
    value
      .replace(/^\/app(?=\/|$)/, ROOT)
      .replace(/^\/data(?=\/|$)/, data);
  const command = (argv: string[]): [string, string[]] => {
    const [program, ...rest] = argv;
    if (program !== 'node') throw new Error(`expected the entry command to run node, got ${String(program)}`);
    return [process.execPath, rest.map(onHost)];
  };
  const imageEnv = (overrides: Record<string, string>): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH ?? '',
    ...Object.fromEntries(Object.entries(image.env).map(([k, v]) => [k, onHost(v)])),
    ...overrides,
  });
  const healthcheck = (port: number): Promise<number> => {
    const [program, args] = command(image.healthcheck.cmd);
    return new Promise((resolve) => {
      execFile(program, args, { env: imageEnv({ TCE_PORT: String(port) }), timeout: 10_000 }, (error) => resolve(error ? (typeof error.code === 'number' ? error.code : 1) : 0));
    });
  };

  test('starts, writes its data file into the volume, passes its own HEALTHCHECK, and stops cleanly on SIGTERM', async () => {
    expect(existsSync(packagePath('dist', 'src', 'cli.js'))).toBe(true);
    const [program, args] = command([...image.entrypoint, ...image.cmd]);
    const child = spawn(program, args, { cwd: onHost(image.workdir), env: imageEnv({ TCE_PORT: '0' }) });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let port = 0;
    try {
      const url = await waitForBanner(child, 15_000, () => err);
      expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
      port = Number(new URL(url).port);
      expect(out).toContain(join(data, 'emulator.json'));
      expect(existsSync(join(data, 'emulator.json'))).toBe(true);

      const health = (await (await fetch(`http://127.0.0.1:${port}/_emulator/health`)).json()) as Record<string, unknown>;
      expect(health).toMatchObject({ status: 'ok', version: packageVersion() });
      expect(await healthcheck(port)).toBe(0);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    // The same HEALTHCHECK fails once nothing answers: it does check.
    expect(await healthcheck(port)).not.toBe(0);
  });
});
