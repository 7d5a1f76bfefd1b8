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
