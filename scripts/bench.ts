/**
 * npm run bench — speed and memory of the emulator on this machine, measured
 * over real HTTP against a live instance. Targets are printed beside each
 * result; they are goals to watch, not test assertions (shared machines are noisy).
 *
 *   npm run bench                 # default sizes
 *   BENCH_USERS=5000 npm run bench
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packagePath } from '../src/runtime/package-root.js';

const USERS = Number(process.env.BENCH_USERS ?? 1000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ZONE = 'z-emulatordemo';

interface Result {
  name: string;
  count: number;
  p50: number;
  p99: number;
  perSecond: number;
  target: string;
}

const results: Result[] = [];

// node:http with keep-alive: fetch (undici) costs the load generator more CPU than the emulator spends.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function send(method: string, url: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: body === undefined ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function api(base: string, action: string, params: object): Promise<Record<string, unknown>> {
  const res = await send(
    'POST',
    `${base}/`,
    { 'Content-Type': 'application/json', 'X-TC-Action': action, 'X-TC-Version': '2021-03-31', Authorization: 'SKIP' },
    JSON.stringify(params),
  );
  const body = JSON.parse(res.text) as { Response: Record<string, unknown> & { Error?: { Code: string } } };
  if (body.Response.Error) throw new Error(`${action}: ${body.Response.Error.Code}`);
  return body.Response;
}

/** Runs `total` calls of `fn` with `concurrency` in flight; records latency percentiles and throughput. */
async function measure(name: string, total: number, concurrency: number, target: string, fn: (i: number) => Promise<unknown>): Promise<void> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      await fn(i);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  results.push({ name, count: total, p50: pick(0.5), p99: pick(0.99), perSecond: total / elapsed, target });
}

async function scimToken(base: string): Promise<string> {
  await api(base, 'UpdateSCIMSynchronizationStatus', { ZoneId: ZONE, SCIMSynchronizationStatus: 'Enabled' });
  return String((await api(base, 'CreateSCIMCredential', { ZoneId: ZONE })).CredentialSecret);
}

async function scim(base: string, token: string, method: string, path: string, body?: object): Promise<unknown> {
  const res = await send(
    method,
    `${base}/scim/v2${path}`,
    { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' },
    body ? JSON.stringify(body) : undefined,
  );
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.status === 204 ? null : (JSON.parse(res.text) as unknown);
}

/** The emulator in its own process, as users run it, so the load generator does not share its thread. */
async function spawnEmulator(args: string[]): Promise<{ base: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [packagePath('dist', 'src', 'cli.js'), '--port', '0', '--log-level', 'silent', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { base, child };
}

const memoryMb: Record<string, number> = {};

async function run(label: string, base: string): Promise<void> {
  const token = await scimToken(base);
  await measure(`${label}: SCIM POST /Users (durable write each)`, USERS, CONCURRENCY, 'p99 < 50 ms', (i) =>
    scim(base, token, 'POST', '/Users', {
      userName: `bench.user${i}@example.com`,
      name: { givenName: 'Bench', familyName: `User${i}` },
      emails: [{ value: `bench.user${i}@example.com`, type: 'work', primary: true }],
      active: true,
    }),
  );
  await measure(`${label}: SCIM GET /Users?filter=userName eq (${USERS} users)`, REQUESTS, CONCURRENCY, 'p99 < 50 ms', (i) =>
    scim(base, token, 'GET', `/Users?filter=${encodeURIComponent(`userName eq "bench.user${i % USERS}@example.com"`)}`),
  );
  await measure(`${label}: API ListUsers page of 100 (${USERS} users)`, REQUESTS, CONCURRENCY, 'p99 < 50 ms', () =>
    api(base, 'ListUsers', { ZoneId: ZONE, MaxResults: 100 }),
  );
  await measure(`${label}: API ListSCIMCredentials`, REQUESTS, CONCURRENCY, 'p99 < 20 ms', () => api(base, 'ListSCIMCredentials', { ZoneId: ZONE }));
  const health = JSON.parse((await send('GET', `${base}/_emulator/health`, {})).text) as { memory: { rss: number } };
  memoryMb[label] = health.memory.rss / (1024 * 1024);
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tce-bench-'));
  try {
    for (const [label, args] of [
      ['memory', ['--in-memory']],
      ['file', ['--data', join(dir, 'bench.json')]],
    ] as const) {
      const { base, child } = await spawnEmulator([...args]);
      try {
        await run(label, base);
      } finally {
        child.kill('SIGTERM');
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`\ntencentcloud-emulator benchmark (users=${USERS}, requests=${REQUESTS}, concurrency=${CONCURRENCY})\n`);
  console.log('| scenario | n | p50 ms | p99 ms | req/s | target |');
  console.log('|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(`| ${r.name} | ${r.count} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.perSecond.toFixed(0)} | ${r.target} |`);
  }
  for (const [label, mb] of Object.entries(memoryMb)) {
    console.log(`\n${label}: emulator resident memory after the run: ${mb.toFixed(0)} MB (target < 200 MB)`);
  }
  agent.destroy();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
