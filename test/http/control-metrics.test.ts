import request from 'supertest';
import { testEmulator, type TestEmulator } from '../helpers/api.js';

interface MetricsBody {
  memory: { rss: number; heapUsed: number };
  eventLoopDelayMs: { max: number; p99: number; mean: number };
  since: string;
}

let emu: TestEmulator;
beforeEach(async () => {
  emu = await testEmulator();
});
afterEach(() => emu.close());

const metrics = async (): Promise<MetricsBody> => {
  const res = await request(emu.server).get('/_emulator/metrics');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return res.body as MetricsBody;
};

/** Holds the event loop, as a slow request handler would. */
function blockFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy wait on purpose
  }
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GET /_emulator/metrics', () => {
  test('reports memory and event-loop delay as numbers, and when the window began', async () => {
    const body = await metrics();
    expect(body.memory.rss).toBeGreaterThan(0);
    expect(body.memory.heapUsed).toBeGreaterThan(0);
    for (const value of Object.values(body.eventLoopDelayMs)) {
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(0);
    }
    expect(Object.keys(body.eventLoopDelayMs).sort()).toEqual(['max', 'mean', 'p99']);
    // The window starts when the app is created, on the emulator's clock.
    expect(body.since).toBe('2026-03-01T00:00:00.000Z');
  });

  test('sees a stall of the event loop', async () => {
    await tick(20);
    blockFor(80);
    await tick(20);
    const body = await metrics();
    expect(body.eventLoopDelayMs.max).toBeGreaterThanOrEqual(50);
    expect(body.eventLoopDelayMs.max).toBeGreaterThanOrEqual(body.eventLoopDelayMs.p99);
  });
});

describe('POST /_emulator/metrics/reset', () => {
  test('starts a new window: the earlier stall is forgotten', async () => {
    await tick(20);
    blockFor(80);
    await tick(20);
    const stalled = (await metrics()).eventLoopDelayMs.max;
    emu.clock.advance(60);

    const res = await request(emu.server).post('/_emulator/metrics/reset');
    expect(res.status).toBe(204);

    const after = await metrics();
    expect(after.eventLoopDelayMs.max).toBeLessThan(stalled);
    expect(after.since).toBe('2026-03-01T00:01:00.000Z');
  });

  test('is POST only', async () => {
    const res = await request(emu.server).get('/_emulator/metrics/reset');
    expect(res.status).not.toBe(204);
  });
});
