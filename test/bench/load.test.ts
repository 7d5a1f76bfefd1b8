/**
 * The benchmark's load runner (scripts/bench/load.ts): prepared requests are
 * rebuilt on schedule (a re-signed POST must actually reach the server), and
 * the look-up sample covers the zone. Behaviour only; no speed is asserted.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { combineRuns, runLoad, statusCheck } from '../../scripts/bench/load.js';
import { spreadSample } from '../../scripts/bench/scenarios.js';

let server: Server;
let url: string;
const seen = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const stamp = String(req.headers['x-stamp'] ?? '');
    seen.set(stamp, (seen.get(stamp) ?? 0) + 1);
    req.resume();
    req.on('end', () => {
      res.writeHead(stamp === '' ? 400 : 200, { 'Content-Length': 2 });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('a fixed source is rebuilt every refreshMs, and the connections send what it rebuilt', async () => {
  seen.clear();
  let builds = 0;
  const stats = await runLoad({
    url,
    connections: 2,
    durationS: 1,
    source: {
      kind: 'fixed',
      build: () => {
        builds += 1;
        return [{ method: 'POST', path: '/', headers: { 'X-Stamp': `build-${builds}` }, body: '{}' }];
      },
      refreshMs: 200,
    },
    check: statusCheck(200),
  });
  expect(stats.failures).toBe(0);
  expect(stats.requests).toBeGreaterThan(0);
  expect(builds).toBeGreaterThanOrEqual(3);
  // Requests after the first rebuild carry the new stamp: the refresh reached the connections.
  const stamps = [...seen.keys()];
  expect(stamps).toContain('build-1');
  expect(stamps.some((s) => s !== 'build-1')).toBe(true);
});

test('a wrong answer is counted as a failure, with the first reason', async () => {
  const stats = await runLoad({
    url,
    connections: 1,
    durationS: 1,
    source: { kind: 'fixed', build: () => [{ method: 'GET', path: '/', headers: {} }] },
    check: statusCheck(200),
  });
  expect(stats.failures).toBe(stats.requests);
  expect(stats.firstFailure).toMatch(/^HTTP 400/);
});

test('a dynamic source is asked for every request', async () => {
  let asked = 0;
  const stats = await runLoad({
    url,
    connections: 1,
    durationS: 1,
    source: {
      kind: 'dynamic',
      next: () => ({ method: 'GET', path: '/', headers: { 'X-Stamp': `n${asked++}` } }),
    },
    check: statusCheck(200),
  });
  expect(stats.failures).toBe(0);
  expect(asked).toBeGreaterThanOrEqual(stats.requests);
});

test('spreadSample takes up to max items spread over the whole list, the first included', () => {
  const all = Array.from({ length: 10 }, (_, i) => i);
  expect(spreadSample(all, 20)).toEqual(all);
  expect(spreadSample(all, 5)).toEqual([0, 2, 4, 6, 8]);
  expect(spreadSample(all, 3)).toEqual([0, 3, 6]);
  expect(spreadSample([], 3)).toEqual([]);
});

test('runs combined: requests and time summed, percentiles and max over every latency, failures added', () => {
  const run = (latencies: number[], seconds: number, failures = 0, firstFailure: string | null = null) => ({
    stats: { requests: latencies.length, seconds, perSecond: latencies.length / seconds, p50Ms: 0, p99Ms: 0, maxMs: 0, failures, firstFailure },
    latencies: Float64Array.from(latencies).sort(),
  });
  // 100 fast answers in one run, 100 slow ones in the other: the combined median sits between them, the p99 among the slow.
  const fast = run(Array.from({ length: 100 }, () => 1), 1);
  const slow = run(Array.from({ length: 100 }, (_, i) => 10 + i), 2, 3, 'HTTP 500');
  const combined = combineRuns([fast, slow]);
  expect(combined).toMatchObject({ requests: 200, seconds: 3, failures: 3, firstFailure: 'HTTP 500', p50Ms: 1, maxMs: 109 });
  expect(combined.perSecond).toBeCloseTo(200 / 3);
  expect(combined.p99Ms).toBe(107);
  expect(combineRuns([])).toMatchObject({ requests: 0, perSecond: 0, p50Ms: 0, maxMs: 0, firstFailure: null });
});
