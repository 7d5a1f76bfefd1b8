// The real CLI (dist/: `npm test` builds first) as a child process on a data
// file, and plain HTTP calls to its API 3.0 endpoint: for tests that signal,
// kill and restart it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { Agent, request } from 'node:http';
import { packagePath } from '../../src/runtime/package-root.js';
import { waitForBanner } from './banner.js';

const CLI = packagePath('dist', 'src', 'cli.js');

export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  /** Resolves with the exit code (null when killed by a signal). */
  exit: Promise<number | null>;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
}

/** Starts the CLI on `data` (any free port, errors logged only) and waits for its banner. */
export async function startCli(data: string, extraArgs: readonly string[] = []): Promise<CliProcess> {
  const child = spawn(process.execPath, [CLI, '--port', '0', '--data', data, '--log-level', 'error', ...extraArgs], { env: { PATH: process.env.PATH ?? '' } });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await waitForBanner(child, 15_000, () => err);
  return { child, url, exit, stderr: () => err };
}

export type Outcome = { kind: 'answered'; code: string } | { kind: 'network'; error: string };

/** One API 3.0 call (organization 2021-03-31, permissive auth): the error code or 'Success', or the network error. */
export function callApi(agent: Agent, url: string, action: string, params: object): Promise<Outcome> {
  return callApiForResponse(agent, url, action, params).then(
    (response) => ({ kind: 'answered', code: (response.Error as { Code?: string } | undefined)?.Code ?? 'Success' }),
    (error: NodeJS.ErrnoException) => ({ kind: 'network', error: error.code ?? error.message }),
  );
}

function callApiForResponse(agent: Agent, url: string, action: string, params: object): Promise<Record<string, unknown>> {
  const body = JSON.stringify(params);
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/`,
      {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-TC-Action': action, 'X-TC-Version': '2021-03-31', Authorization: 'SKIP' },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          try {
            resolve((JSON.parse(text) as { Response: Record<string, unknown> }).Response);
          } catch (error) {
            reject(error);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Every user name in a zone, page by page. */
export async function listUserNames(url: string, zoneId = 'z-emulatordemo'): Promise<Set<string>> {
  const agent = new Agent({ keepAlive: true });
  const names = new Set<string>();
  try {
    for (let offset = 0; ; offset += 100) {
      const page = (await callApiForResponse(agent, url, 'ListUsers', { ZoneId: zoneId, MaxResults: 100, Offset: offset })) as {
        Users?: { UserName: string }[];
        TotalCounts?: number;
        Error?: unknown;
      };
      if (!page.Users || page.TotalCounts === undefined) throw new Error(`ListUsers failed: ${JSON.stringify(page.Error)}`);
      for (const user of page.Users) names.add(user.UserName);
      if (offset + 100 >= page.TotalCounts) break;
    }
  } finally {
    agent.destroy();
  }
  return names;
}

/** DescribeIdentityCenter's raw answer, as text. */
export async function describeIdentityCenter(url: string): Promise<string> {
  const agent = new Agent({ keepAlive: false });
  try {
    return JSON.stringify(await callApiForResponse(agent, url, 'DescribeIdentityCenter', {}));
  } finally {
    agent.destroy();
  }
}
