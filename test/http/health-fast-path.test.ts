/** GET /_emulator/health is answered before Express loads, and exactly as the control router answers it. */
import request from 'supertest';
import { testEmulator, type TestEmulator } from '../helpers/api.js';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await testEmulator();
});
afterAll(() => emu.close());

const withoutMoving = (body: Record<string, unknown>) => {
  const { uptimeSeconds: _u, memory: _m, clock: _c, ...rest } = body;
  return rest;
};

test('a loopback GET /_emulator/health is answered on the fast path with the router\'s body and headers', async () => {
  const fast = await request(emu.server).get('/_emulator/health');
  // An Origin header sends the same request through the control router (its access rules look at Origin).
  const routed = await request(emu.server).get('/_emulator/health').set('Origin', new URL(fast.request.url).origin);
  expect(fast.status).toBe(200);
  expect(routed.status).toBe(200);
  expect(fast.headers['content-type']).toBe(routed.headers['content-type']);
  expect(withoutMoving(fast.body as Record<string, unknown>)).toEqual(withoutMoving(routed.body as Record<string, unknown>));
  expect(fast.body).toMatchObject({ status: 'ok', version: expect.any(String) });
});

test('a Host that is not a loopback name still goes through the access rules (403 without a token)', async () => {
  const res = await request(emu.server).get('/_emulator/health').set('Host', 'rebound.example.com');
  expect(res.status).toBe(403);
  expect(res.body).toEqual({ error: expect.any(String) });
});

describe('GET /_emulator/metrics and POST /_emulator/metrics/reset (the benchmark\'s probes) on the fast path', () => {
  test('metrics: the same status, content type and fields as through the control router', async () => {
    const fast = await request(emu.server).get('/_emulator/metrics');
    const routed = await request(emu.server).get('/_emulator/metrics').set('Origin', new URL(fast.request.url).origin);
    expect(fast.status).toBe(200);
    expect(routed.status).toBe(200);
    expect(fast.headers['content-type']).toBe(routed.headers['content-type']);
    expect(Object.keys(fast.body as object).sort()).toEqual(Object.keys(routed.body as object).sort());
    expect((fast.body as { since: string }).since).toBe((routed.body as { since: string }).since);
  });

  test('reset: 204 with no body either way, and the window starts again', async () => {
    const fast = await request(emu.server).post('/_emulator/metrics/reset');
    expect(fast.status).toBe(204);
    expect(fast.text).toBe('');
    // A same-origin page's request: the router lets it change things.
    const routed = await request(emu.server).post('/_emulator/metrics/reset').set('Host', 'localhost').set('Origin', 'http://localhost');
    expect(routed.status).toBe(204);
    expect(fast.headers['content-type']).toBe(routed.headers['content-type']);
  });

  test('a reset with a body, or from a non-loopback Host, is left to the control router and its rules', async () => {
    const withBody = await request(emu.server).post('/_emulator/metrics/reset').set('Content-Type', 'text/plain').send('x');
    expect(withBody.status).toBe(204);
    const rebound = await request(emu.server).post('/_emulator/metrics/reset').set('Host', 'rebound.example.com');
    expect(rebound.status).toBe(403);
    const metricsRebound = await request(emu.server).get('/_emulator/metrics').set('Host', 'rebound.example.com');
    expect(metricsRebound.status).toBe(403);
  });
});
