/**
 * The wrk load runner (scripts/bench/wrk.ts): it sends each prepared request
 * in turn, counts wrong answers as the JavaScript check would, and reports
 * its own CPU. Behaviour only; no speed is asserted.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiCheck, runLoadSamples, statusCheck } from '../../scripts/bench/load.js';
import { expecting, parse, wrkAvailable } from '../../scripts/bench/wrk.js';

const haveWrk = wrkAvailable();
if (!haveWrk) console.warn('wrk tests skipped: wrk is not installed (apt-get install wrk)');
const withWrk = haveWrk ? describe : describe.skip;

test('an expectation check answers as a plain check would', () => {
  expect(apiCheck(200, '{"Response":{"RequestId":"x"}}')).toBeNull();
  expect(apiCheck(200, '{"Response":{"Error":{"Code":"InvalidParameter"}}}')).toBe('API error InvalidParameter');
  expect(apiCheck(500, '')).toBe('HTTP 500');
  expect(statusCheck(201)(201, '')).toBeNull();
  expect(statusCheck(201)(400, '{"detail":"bad"}')).toBe('HTTP 400: bad');
  const single = expecting({ status: 200, includes: '"totalResults":1' }, () => 'no single match');
  expect(single(200, '{"totalResults":1}')).toBeNull();
  expect(single(200, '{"totalResults":2}')).toBe('no single match');
});

test("wrk's report is read: counts, first failure, quantiles in ms, the children's CPU", () => {
  const run = parse(['RESULT 1000 2000000 3 1', 'FIRST HTTP 500: oops', `QUANTILES ${Array.from({ length: 1000 }, (_, i) => i + 1).join(' ')}`, '0m0.010s 0m0.020s', '0m1.500s 0m0.250s'].join('\n'));
  expect(run.stats).toMatchObject({ requests: 1000, seconds: 2, perSecond: 500, failures: 4, firstFailure: 'HTTP 500: oops', p50Ms: 0.5, p99Ms: 0.99, maxMs: 1 });
  expect(run.generatorCpuUs).toBeCloseTo(1_750_000);
});

withWrk('against a server', () => {
  let server: Server;
  let url: string;
  const seen = new Map<string, number>();
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.set(req.url ?? '', (seen.get(req.url ?? '') ?? 0) + 1);
      req.resume();
      req.on('end', () => {
        const body = req.url === '/bad' ? '{"Response":{"Error":{"Code":"X"}}}' : '{"Response":{}}';
        res.writeHead(200, { 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('every prepared request is sent, and error envelopes are counted as failures', async () => {
    seen.clear();
    const run = await runLoadSamples({
      url,
      connections: 2,
      durationS: 1,
      generator: 'wrk',
      source: { kind: 'fixed', build: () => ['/a', '/b', '/bad'].map((path) => ({ method: 'POST' as const, path, headers: { 'Content-Type': 'application/json' }, body: '{}' })) },
      check: apiCheck,
    });
    expect(run.stats.requests).toBeGreaterThan(30);
    expect([...seen.keys()].sort()).toEqual(['/a', '/b', '/bad']);
    // A request still on its way when wrk stops reaches the server without being counted.
    const bad = seen.get('/bad') ?? 0;
    expect(run.stats.failures).toBeGreaterThan(0);
    expect(run.stats.failures).toBeLessThanOrEqual(bad);
    expect(run.stats.failures).toBeGreaterThanOrEqual(bad - 2);
    expect(run.stats.firstFailure).toContain('"Code":"X"');
    expect(run.latencies.length).toBe(1000);
    expect(run.generatorCpuUs).toBeGreaterThan(0);
  });
});
