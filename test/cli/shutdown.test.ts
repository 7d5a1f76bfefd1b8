/**
 * Graceful shutdown of the real CLI process: every request it accepted gets its
 * answer, every acknowledged write is there after a restart, and no write is
 * saved without its answer.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packagePath } from '../../src/runtime/package-root.js';

const CLI = packagePath('dist', 'src', 'cli.js');

interface Started {
  child: ChildProcessWithoutNullStreams;
  url: string;
  exit: Promise<number | null>;
}

function startCli(data: string): Promise<Started> {
  const child = spawn(process.execPath, [CLI, '--port', '0', '--data', data, '--log-level', 'error'], { env: { PATH: process.env.PATH ?? '' } });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no banner')), 15000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, exit });
      }
    });
  });
}

type Outcome = { kind: 'answered'; code: string } | { kind: 'network'; error: string };

function call(agent: Agent, url: string, action: string, params: object): Promise<Outcome> {
  const body = JSON.stringify(params);
  return new Promise((resolve) => {
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
          const parsed = JSON.parse(text) as { Response: { Error?: { Code: string } } };
          resolve({ kind: 'answered', code: parsed.Response.Error?.Code ?? 'Success' });
        });
        res.on('error', (e) => resolve({ kind: 'network', error: e.message }));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ kind: 'network', error: e.code ?? e.message }));
    req.end(body);
  });
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tce-shutdown-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

test('SIGTERM under write load: every accepted request is answered, exit 0, and the restart holds exactly the acknowledged writes', async () => {
  const data = join(dir, 'state.json');
  const first = await startCli(data);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const names = Array.from({ length: 400 }, (_, i) => `load${i}`);
  let answered = 0;
  const outcomes = names.map((name) =>
    call(agent, first.url, 'CreateUser', { ZoneId: 'z-emulatordemo', UserName: name }).then((o) => {
      if (o.kind === 'answered') answered += 1;
      // Signal once the load is well under way, with many requests in flight.
      if (answered === 40) first.child.kill('SIGTERM');
      return o;
    }),
  );
  const results = await Promise.all(outcomes);
  agent.destroy();
  expect(await first.exit).toBe(0);

  const acknowledged = names.filter((_, i) => results[i]!.kind === 'answered' && (results[i] as { code: string }).code === 'Success');
  const unanswered = names.filter((_, i) => results[i]!.kind === 'network');
  expect(acknowledged.length).toBeGreaterThanOrEqual(40);

  const second = await startCli(data);
  try {
    const listAgent = new Agent({ keepAlive: true });
    const stored = new Set<string>();
    for (let offset = 0; ; offset += 100) {
      const page = await new Promise<{ Users: { UserName: string }[]; TotalCounts: number }>((resolve, reject) => {
        const body = JSON.stringify({ ZoneId: 'z-emulatordemo', MaxResults: 100, Offset: offset });
        const req = request(`${second.url}/`, {
          method: 'POST',
          agent: listAgent,
          headers: { 'Content-Type': 'application/json', 'X-TC-Action': 'ListUsers', 'X-TC-Version': '2021-03-31', Authorization: 'SKIP' },
        }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve((JSON.parse(text) as { Response: { Users: { UserName: string }[]; TotalCounts: number } }).Response));
        });
        req.on('error', reject);
        req.end(body);
      });
      for (const u of page.Users) stored.add(u.UserName);
      if (offset + 100 >= page.TotalCounts) break;
    }
    listAgent.destroy();
    // Every acknowledged write survived; no write was saved without its answer reaching the client.
    for (const name of acknowledged) expect(stored).toContain(name);
    for (const name of unanswered) expect(stored).not.toContain(name);
  } finally {
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
  }
});

test('a second signal exits at once; what was acknowledged is still there', async () => {
  const data = join(dir, 'state.json');
  const first = await startCli(data);
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const ok = await call(agent, first.url, 'UpdateZone', { ZoneId: 'z-emulatordemo', NewZoneName: 'acknowledged-before-signals' });
  expect(ok).toEqual({ kind: 'answered', code: 'Success' });
  agent.destroy();
  first.child.kill('SIGINT');
  first.child.kill('SIGINT');
  const code = await first.exit;
  expect([0, 130]).toContain(code);
  const second = await startCli(data);
  try {
    const agent2 = new Agent({ keepAlive: false });
    const res = await new Promise<string>((resolve) => {
      const req = request(`${second.url}/`, { method: 'POST', agent: agent2, headers: { 'Content-Type': 'application/json', 'X-TC-Action': 'DescribeIdentityCenter', 'X-TC-Version': '2021-03-31', Authorization: 'SKIP' } }, (r) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => resolve(text));
      });
      req.end('{}');
    });
    expect(res).toContain('acknowledged-before-signals');
  } finally {
    second.child.kill('SIGTERM');
    await second.exit;
  }
});
