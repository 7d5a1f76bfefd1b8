// README.md is tested: every fenced block carries a `<!-- readme-test: … -->`
// marker saying how it is proven, and this suite proves it.
//
//   commands                       the first two commands; .ci/run runs the second
//   shell walkthrough <id>         run, in page order, in one bash session against one
//   file <path> walkthrough <id>   freshly started emulator (`npm start`, port 0 for 9000);
//                                  a `file` block must equal that file, which is run with node
//   output <id>                    sample output: equal to what block <id> printed (but RequestId)
//   file <path> library            equal to that file; run with node
//   file <path> python             equal to that file; byte-compiled (no Python SDK here)
//   npx                            the tarball name is the package's; test/package runs the npx line
//   install                        the tarball name is the package's
//   docker                         no container runtime: checked against the Dockerfile, not run
//   tccli                          no tccli: each line checked to be a well-formed tccli command
//   control                        curl against /_emulator: run in page order in one bash
//                                  session against a fresh emulator, `$E` its control base
//   not-run <why>                  shown for reference only (the reason is required)
//
// The examples/ that the README does not run as such (the curl script) run here too.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readModel } from '../../scripts/api-model.js';
import { buildCommand } from '../../src/config.js';
import { packagePath, packageVersion } from '../../src/runtime/package-root.js';

const run = promisify(execFile);
const ROOT = packagePath();
const README = readFileSync(packagePath('README.md'), 'utf8');
const PACKAGE = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { name: string; version: string; scripts: Record<string, string> };
const TARBALL = `${PACKAGE.name}-${PACKAGE.version}.tgz`;

interface ReadmeBlock {
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  /** The marker's words, e.g. ['shell', 'walkthrough', 'scim-key']; [] when there is none. */
  tag: string[];
  /** The block's text, de-indented, ending with a newline. */
  body: string;
}

function readmeBlocks(text: string): ReadmeBlock[] {
  const lines = text.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^(\s*)```(\S*)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const indent = open[1] ?? '';
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && (lines[j] ?? '').trim() !== '```') {
      const l = lines[j] ?? '';
      body.push(l.startsWith(indent) ? l.slice(indent.length) : l.trimStart());
      j += 1;
    }
    const marker = /^\s*<!-- readme-test: (.+?) -->\s*$/.exec(lines[i - 1] ?? '');
    blocks.push({ line: i + 1, lang: open[2] ?? '', tag: marker?.[1]?.split(/\s+/) ?? [], body: `${body.join('\n')}\n` });
    i = j;
  }
  return blocks;
}

const blocks = readmeBlocks(README);
const kind = (b: ReadmeBlock): string => b.tag[0] ?? '';
const ofKind = (k: string): ReadmeBlock[] => blocks.filter((b) => kind(b) === k);
const onlyOfKind = (k: string): ReadmeBlock => {
  const found = ofKind(k);
  if (found.length !== 1) throw new Error(`expected one README block tagged ${k}, found ${found.length}`);
  return found[0] as ReadmeBlock;
};
/** Command lines of a shell block: comments removed, `\` continuations joined. */
const commandLines = (body: string): string[] =>
  body
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').replace(/^#.*$/, '').trim())
    .filter((l) => l !== '');

const KINDS = new Set(['commands', 'shell', 'file', 'output', 'npx', 'install', 'docker', 'tccli', 'control', 'not-run']);

describe('README.md', () => {
  test('every code block says how the tests prove it', () => {
    expect(blocks.length).toBeGreaterThan(10);
    const unproven = blocks.filter((b) => !KINDS.has(kind(b))).map((b) => `line ${b.line}: ${b.tag.join(' ') || '(no marker)'}`);
    expect(unproven).toEqual([]);
    // A block shown without being run names its reason.
    expect(ofKind('not-run').filter((b) => b.tag.length < 3)).toEqual([]);
  });

  test('opens with the two commands for a fresh machine: npm ci && npm start, npm ci && npm test', () => {
    const first = blocks[0];
    expect(first?.tag).toEqual(['commands']);
    expect(commandLines(first?.body ?? '')).toEqual(['npm ci && npm start', 'npm ci && npm test']);
    expect(README.indexOf('```')).toBeLessThan(README.indexOf('\n## '));
  });

  test('.ci/run runs exactly the README test command (after installing the browser, the XML-signature tool and the load generator the tests drive)', () => {
    const ci = commandLines(readFileSync(packagePath('.ci', 'run'), 'utf8')).filter((l) => !/^(set|cd) /.test(l));
    expect(ci).toEqual([
      '(command -v chromium && command -v xmlsec1 && command -v wrk) >/dev/null || (apt-get update && apt-get install -y chromium xmlsec1 wrk)',
      commandLines(blocks[0]?.body ?? '')[1],
    ]);
  });

  test('npm start is the built CLI (what the walkthrough below starts), and npm test typechecks, builds and runs jest', () => {
    expect(PACKAGE.scripts.start).toBe('node dist/src/cli.js');
    expect(PACKAGE.scripts.test).toMatch(/^npm run typecheck && npm run build && .*jest/);
    expect(PACKAGE.scripts.prepare).toBe('npm run build');
  });

  test('the file blocks are the example files, byte for byte', () => {
    const files = ofKind('file');
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const b of files) {
      const path = b.tag[1] ?? '';
      expect({ path, body: b.body }).toEqual({ path, body: readFileSync(packagePath(path), 'utf8') });
    }
  });

  test('the npx and install lines name the tarball npm pack writes for this version', () => {
    const npx = commandLines(onlyOfKind('npx').body);
    expect(npx[0]).toBe('npm pack');
    expect(npx[1]).toMatch(new RegExp(`^npx -y -p \\./${TARBALL.replace(/\./g, '\\.')} ${PACKAGE.name}( |$)`));
    expect(commandLines(onlyOfKind('install').body)).toEqual([`npm install --save-dev ${PACKAGE.name}`, `npm install --save-dev ./${TARBALL}`]);
  });

  test('the docker lines agree with the Dockerfile and the CLI (not run: no container runtime here)', () => {
    const dockerfile = readFileSync(packagePath('Dockerfile'), 'utf8');
    const cliVars = new Set(buildCommand().options.map((o) => o.envVar));
    const lines = commandLines(onlyOfKind('docker').body);
    const built = /^docker build -t (\S+) \.$/.exec(lines[0] ?? '')?.[1];
    expect(built).toBeDefined();
    const runs = lines.filter((l) => l.startsWith('docker run '));
    expect(runs.length).toBeGreaterThan(0);
    for (const line of runs) {
      expect(line.endsWith(` ${built}`)).toBe(true);
      expect(line).toContain('-p 9000:9000');
      for (const m of line.matchAll(/-e (\w+)=/g)) expect(cliVars.has(m[1])).toBe(true);
      for (const m of line.matchAll(/-v [\w.-]+:(\S+)/g)) expect(m[1]).toBe('/data');
    }
    expect(dockerfile).toMatch(/^EXPOSE 9000$/m);
    expect(dockerfile).toMatch(/^VOLUME \["\/data"\]$/m);
    expect(lines).toContain('docker compose up -d');
  });

  test('the tccli lines are well-formed tccli commands against http://127.0.0.1:9000 (not run: no tccli here)', () => {
    const model = readModel();
    const actions = new Map(model.actions.map((a) => [a.name, a]));
    const lines = commandLines(onlyOfKind('tccli').body);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const problems: string[] = [];
    let endpoints = 0;
    for (const line of lines) {
      const words = line.split(/\s+/);
      if (words[0] !== 'tccli') problems.push(`${line}: not a tccli command`);
      if (words[1] === 'configure' && words[2] === 'set') {
        const pairs = words.slice(3);
        if (pairs.length === 0 || pairs.length % 2 !== 0) problems.push(`${line}: configure set takes key value pairs`);
        for (let i = 0; i < pairs.length; i += 2) {
          const key = pairs[i] ?? '';
          if (!/^(secretId|secretKey|region|output|organization\.endpoint)$/.test(key)) problems.push(`${line}: unknown configure key ${key}`);
          if (key.endsWith('endpoint')) {
            endpoints += 1;
            if (pairs[i + 1] !== 'http://127.0.0.1:9000') problems.push(`${line}: endpoint must be http://127.0.0.1:9000`);
          }
        }
        continue;
      }
      if (words[1] !== 'organization') {
        problems.push(`${line}: expected "tccli organization <Action>" or "tccli configure set"`);
        continue;
      }
      const action = actions.get(words[2] ?? '');
      if (!action) {
        problems.push(`${line}: ${words[2]} is not an Organization action`);
        continue;
      }
      const members = new Set((model.objects.get(action.request) ?? []).map((m) => `--${m.name}`));
      const options = words.slice(3);
      for (let i = 0; i < options.length; i += 2) {
        const option = options[i] ?? '';
        const value = options[i + 1];
        // --https is no tccli option: argparse reads it as --https-proxy.
        if (!/^--(endpoint|region|profile|secretId|secretKey|output|timeout)$/.test(option) && !members.has(option)) problems.push(`${line}: unknown option ${option}`);
        if (value === undefined || value.startsWith('--')) problems.push(`${line}: ${option} needs a value`);
        if (option === '--endpoint') {
          endpoints += 1;
          if (value !== 'http://127.0.0.1:9000') problems.push(`${line}: --endpoint must carry the scheme (http://127.0.0.1:9000), else tccli speaks TLS`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(endpoints).toBeGreaterThanOrEqual(2);
  });

  test('the Go snippet (not run: no Go toolchain here) points at the same plain-HTTP endpoint', () => {
    const go = ofKind('not-run').find((b) => b.lang === 'go');
    expect(go?.body).toContain('Endpoint = "127.0.0.1:9000"');
    expect(go?.body).toContain('Scheme = "HTTP"');
  });

  const python = existsSync('/usr/bin/python3') || existsSync('/usr/local/bin/python3') ? 'python3' : null;
  (python ? test : test.skip)('the Python example byte-compiles (python3; not run: no Python SDK here)', async () => {
    const file = ofKind('file').find((b) => b.tag.includes('python'))?.tag[1];
    expect(file).toBeDefined();
    // compile() and not py_compile: no __pycache__ is written into examples/.
    const script = 'import sys; compile(open(sys.argv[1], encoding="utf-8").read(), sys.argv[1], "exec")';
    await expect(run(python ?? 'python3', ['-c', script, packagePath(file ?? '')])).resolves.toBeDefined();
  });
});

// ---------------------------------------------------------------------------

interface Emulator {
  child: ChildProcessWithoutNullStreams;
  port: number;
  stop(): Promise<number | null>;
}

/** `npm start` (node dist/src/cli.js) on a fresh data file, port 0. */
async function startCli(dataDir: string): Promise<Emulator> {
  const child = spawn(process.execPath, [packagePath('dist', 'src', 'cli.js'), '--port', '0', '--data', join(dataDir, 'emulator.json'), '--log-level', 'warn'], {
    cwd: dataDir,
    env: { PATH: process.env.PATH ?? '' },
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 15 s; stderr: ${err}`)), 15_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    void exited.then((code) => reject(new Error(`exited with ${code}: ${err}`)));
  });
  return {
    child,
    port,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function bash(script: string, cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', script], { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const parseJsonLines = (text: string): unknown[] =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as unknown);

describe('the README followed from top to bottom on a fresh emulator', () => {
  let work: string;
  let scratch: string;
  let emulator: Emulator;
  const outputs = new Map<string, string>();

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tce-readme-'));
    // Node snippets run from inside the project, where their imports resolve (.tce-tmp/ is git-ignored).
    scratch = join(ROOT, '.tce-tmp', `readme-${process.pid}`);
    await mkdir(scratch, { recursive: true });
    emulator = await startCli(work);
  }, 30_000);

  afterAll(async () => {
    await emulator?.stop();
    await rm(work, { recursive: true, force: true });
    await rm(scratch, { recursive: true, force: true });
  });

  /** What each walkthrough block must have printed. Every walkthrough block needs an entry. */
  const EXPECTATIONS: Record<string, (output: string) => void> = {
    'describe-identity-center': (output) => {
      const [answer] = parseJsonLines(output) as { Response: Record<string, unknown> }[];
      const sample = JSON.parse(onlyOutput('describe-identity-center').body) as { Response: Record<string, unknown> };
      // The sample shown in the README is this very answer, but for the RequestId.
      expect({ ...answer?.Response, RequestId: 'any' }).toEqual({ ...sample.Response, RequestId: 'any' });
    },
    'node-quickstart': (output) => {
      expect(output).toContain('z-emulatordemo emulator-demo Enabled');
      expect(output).toMatch(/^0 users \[\]$/m);
    },
    'scim-key': (output) => {
      const answers = parseJsonLines(output) as { Response: Record<string, unknown> }[];
      expect(answers.map((a) => a.Response.Error)).toEqual([undefined, undefined]);
      expect(answers[1]?.Response).toMatchObject({ CredentialStatus: 'Enabled', CredentialSecret: expect.any(String) });
    },
    'scim-by-hand': (output) => {
      expect(output.split('\n')[0]).toMatch(/^u-[a-z0-9]{12}$/);
      expect(output).not.toContain('urn:ietf:params:scim:api:messages:2.0:Error');
      const listed = parseJsonLines(output).pop() as { Response: { Users: Record<string, unknown>[] } };
      expect(listed.Response.Users).toEqual([
        expect.objectContaining({ UserName: 'alice@example.com', UserType: 'Synchronized', UserStatus: 'Disabled', FirstName: 'Alice' }),
      ]);
    },
    'saml-sign-in': (output) => {
      const lines = output.split('\n').filter((l) => l !== '');
      expect(JSON.parse(lines[0]!)).toMatchObject({ Response: { CertificateIds: [expect.stringMatching(/^idp-c-[a-z0-9]{20}$/)] } });
      expect(lines.slice(1)).toEqual([
        expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/saml\/sp\/z-emulatordemo\/portal\/ssos-[a-z0-9]{24}$/),
        '<h1>Signed in as <span id="user-name">dana</span></h1>',
        '403 replay',
      ]);
    },
    health: (output) => {
      expect(JSON.parse(output)).toMatchObject({ status: 'ok', version: packageVersion(), store: join(work, 'emulator.json') });
    },
  };
  const onlyOutput = (id: string): ReadmeBlock => {
    const found = ofKind('output').filter((b) => b.tag[1] === id);
    if (found.length !== 1) throw new Error(`expected one output block for ${id}`);
    return found[0] as ReadmeBlock;
  };

  test('each shell and Node snippet runs in page order in one shell session, without an error', async () => {
    const steps = blocks.filter((b) => b.tag.includes('walkthrough'));
    const ids = steps.map((b) => b.tag[b.tag.length - 1] ?? '');
    expect(ids.sort()).toEqual(Object.keys(EXPECTATIONS).sort());
    const local = (text: string): string => {
      expect(text).toContain('127.0.0.1:9000');
      return text.replaceAll('127.0.0.1:9000', `127.0.0.1:${emulator.port}`);
    };

    const script: string[] = ['set -euo pipefail'];
    for (const step of blocks.filter((b) => b.tag.includes('walkthrough'))) {
      const id = step.tag[step.tag.length - 1] ?? '';
      script.push(`printf '\\n@@step %s@@\\n' '${id}'`);
      if (kind(step) === 'shell') {
        script.push(local(step.body));
      } else {
        const file = join(scratch, `${id}.mjs`);
        await writeFile(file, local(step.body));
        script.push(`node '${file}'`);
      }
    }
    const result = await bash(script.join('\n'), work);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });

    for (const part of result.stdout.split(/^@@step /m).slice(1)) {
      const id = part.slice(0, part.indexOf('@@'));
      outputs.set(id, part.slice(part.indexOf('\n') + 1).trim());
    }
    for (const [id, check] of Object.entries(EXPECTATIONS)) {
      const output = outputs.get(id);
      expect({ id, ran: output !== undefined }).toEqual({ id, ran: true });
      check(output ?? '');
    }
  }, 60_000);

  test('the control-plane curl lines run in page order against the same emulator, each answer JSON', async () => {
    const steps = ofKind('control');
    expect(steps.length).toBeGreaterThanOrEqual(8);
    // One answer a line: curl prints none after the body.
    const script = ['set -euo pipefail', 'curl() { command curl "$@"; echo; }', ...steps.map((b) => b.body.replaceAll('127.0.0.1:9000', `127.0.0.1:${emulator.port}`))].join('\n');
    // Leave the emulator as the next test expects it: no fault rules, the fixtures, the clock running.
    const cleanup = `curl -s -X DELETE http://127.0.0.1:${emulator.port}/_emulator/faults >/dev/null; curl -s -X POST http://127.0.0.1:${emulator.port}/_emulator/reset >/dev/null`;
    const result = await bash(`${script}\n${cleanup}`, work);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    // Every curl answered with a JSON document (the control plane never answers HTML or an API envelope there).
    const answers = result.stdout.split('\n').filter((l) => l.trim() !== '');
    expect(answers.length).toBeGreaterThanOrEqual(10);
    for (const line of answers) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(result.stdout).not.toContain('"Response"');
  }, 60_000);

  test('examples/curl/identity-center.sh runs against the same emulator, twice (it cleans up after itself)', async () => {
    for (let round = 0; round < 2; round += 1) {
      const result = await bash(packagePath('examples', 'curl', 'identity-center.sh'), work, { TCE_ENDPOINT: `http://127.0.0.1:${emulator.port}` });
      expect({ round, code: result.code, stderr: result.stderr }).toEqual({ round, code: 0, stderr: '' });
      expect(result.stdout).toMatch(/^user u-[a-z0-9]{12}, group g-[a-z0-9]{12}$/m);
      expect(result.stdout).toContain('"UserName":"curl-example-user"');
      expect(result.stdout.trim().endsWith('done')).toBe(true);
    }
  }, 60_000);

  test('the library snippet starts an emulator in memory, reads its health and stops', async () => {
    const file = onlyLibraryFile();
    const { stdout } = await run(process.execPath, [packagePath(file)], { cwd: ROOT, timeout: 30_000 });
    const [url] = stdout.split('\n');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stdout).toContain("status: 'ok'");
    expect(stdout).toContain(`version: '${packageVersion()}'`);
    expect(stdout).toContain("store: 'in memory'");
  });
});

function onlyLibraryFile(): string {
  const found = ofKind('file').filter((b) => b.tag.includes('library'));
  if (found.length !== 1 || !found[0]?.tag[1]) throw new Error('expected one library file block');
  return found[0].tag[1];
}
