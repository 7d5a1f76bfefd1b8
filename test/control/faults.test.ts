/**
 * Fault rules (/_emulator/faults) and rate-limit emulation: injected errors
 * look exactly like real ones, on both surfaces.
 */
import request from 'supertest';
import { createApp, createHttpServer, type EmulatorApp } from '../../src/app.js';
import type { EmulatorConfig } from '../../src/config.js';
import { createLogger } from '../../src/runtime/logger.js';
import { DEMO_ZONE_ID, OTHER_ACCOUNT, asOther, errorCode, ok, testEmulator, testFixtures, type TestEmulator } from '../helpers/api.js';
import { controlClient, controlError, controlOk, type ControlClient } from '../helpers/control.js';
import { createScimKey, enableScimSync, expectListResponse, expectScimError, scimClient, type Json } from '../helpers/scim.js';

let emu: TestEmulator;
let ctl: ControlClient;
beforeEach(async () => {
  emu = await testEmulator();
  ctl = controlClient(emu.server);
});
afterEach(() => emu.close());

const ZoneId = DEMO_ZONE_ID;
const addFault = async (client: ControlClient, rule: object): Promise<Json> => controlOk<Json>(await client.post('/faults', rule), 201);
const envelopeError = (res: request.Response) => (res.body as { Response: { Error: { Code: string; Message: string }; RequestId: string } }).Response;

describe('an injected API error', () => {
  test('has exactly the envelope, HTTP status and headers of a real error', async () => {
    const real = await emu.call('CreateSCIMCredential', { ZoneId: 'z-nosuchzone00' }, { 'X-TC-TraceId': 'trace-1' });
    expect(errorCode(real)).toBe('FailedOperation.ZoneIdNotExist');

    const rule = await addFault(ctl, { action: 'CreateSCIMCredential', code: 'InternalError', message: 'Injected: the database is down.', count: 1 });
    expect(rule).toEqual({
      id: 'fault-1',
      action: 'CreateSCIMCredential',
      scimPath: null,
      method: null,
      account: null,
      code: 'InternalError',
      message: 'Injected: the database is down.',
      status: null,
      latencyMs: 0,
      count: 1,
      remaining: 1,
      probability: null,
      fired: 0,
    });
    const injected = await emu.call('CreateSCIMCredential', { ZoneId }, { 'X-TC-TraceId': 'trace-1' });

    expect(injected.status).toBe(real.status);
    const headers = (res: request.Response) => {
      const { date: _date, 'content-length': _length, ...rest } = res.headers as Record<string, string>;
      return rest;
    };
    expect(headers(injected)).toEqual(headers(real));
    expect(injected.headers['content-type']).toBe('application/json');
    expect(Object.keys(injected.body as object)).toEqual(['Response']);
    expect(Object.keys(envelopeError(injected))).toEqual(['Error', 'RequestId']);
    expect(envelopeError(injected).Error).toEqual({ Code: 'InternalError', Message: 'Injected: the database is down.' });
    expect(envelopeError(injected).RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('count: 1 fails the next matching request only; other actions never', async () => {
    await addFault(ctl, { action: 'CreateSCIMCredential', code: 'FailedOperation.DBOperationError', count: 1 });
    ok(await emu.call('ListSCIMCredentials', { ZoneId }));
    expect(errorCode(await emu.call('CreateSCIMCredential', { ZoneId }))).toBe('FailedOperation.DBOperationError');
    ok(await emu.call('CreateSCIMCredential', { ZoneId }));
    // Spent rules go away.
    expect(controlOk<{ faults: unknown[] }>(await ctl.get('/faults')).faults).toEqual([]);
  });

  test('without count or probability it fails every matching request until cleared', async () => {
    await addFault(ctl, { action: 'ListUsers', code: 'RequestLimitExceeded' });
    for (let i = 0; i < 3; i += 1) expect(errorCode(await emu.call('ListUsers', { ZoneId }))).toBe('RequestLimitExceeded');
    expect(controlOk<{ faults: Json[] }>(await ctl.get('/faults')).faults).toEqual([expect.objectContaining({ id: 'fault-1', fired: 3, remaining: null })]);
    expect(controlOk(await ctl.del('/faults'))).toEqual({ cleared: 1 });
    ok(await emu.call('ListUsers', { ZoneId }));
  });

  test('a rule without a message says it was injected, in the caller\u2019s language', async () => {
    await addFault(ctl, { action: 'ListUsers', code: 'InternalError' });
    expect(envelopeError(await emu.call('ListUsers', { ZoneId })).Error.Message).toBe('The emulator was told to fail this request with InternalError (an injected fault).');
    expect(envelopeError(await emu.call('ListUsers', { ZoneId }, { 'X-TC-Language': 'zh-CN' })).Error.Message).toBe('模拟器按注入的故障规则以 InternalError 拒绝了此请求。');
  });

  test('account limits a rule to one account', async () => {
    await addFault(ctl, { action: 'DescribeIdentityCenter', account: OTHER_ACCOUNT.uin, code: 'InternalError' });
    ok(await emu.call('DescribeIdentityCenter', {}));
    expect(errorCode(await emu.call('DescribeIdentityCenter', {}, asOther()))).toBe('InternalError');
  });

  test('latencyMs delays the answer; alone, the request then succeeds', async () => {
    await addFault(ctl, { action: 'ListUsers', latencyMs: 300, count: 1 });
    const started = performance.now();
    ok(await emu.call('ListUsers', { ZoneId }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    // Spent: nothing delays the next one.
    expect(controlOk<{ faults: unknown[] }>(await ctl.get('/faults')).faults).toEqual([]);
  });

  test('latencyMs with a code delays the error', async () => {
    await addFault(ctl, { action: 'ListUsers', latencyMs: 200, code: 'InternalError', count: 1 });
    const started = performance.now();
    expect(errorCode(await emu.call('ListUsers', { ZoneId }))).toBe('InternalError');
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });
});

describe('probability', () => {
  async function seeded(seed: number): Promise<{ app: EmulatorApp; call: (action: string) => Promise<request.Response>; ctl: ControlClient }> {
    const app = await createApp({ dataFile: null, logLevel: 'silent', seed, clock: '2026-01-01T00:00:00Z' }, { logger: createLogger('silent'), fixtures: testFixtures() });
    const server = createHttpServer(app);
    const call = (action: string) =>
      request(server).post('/').set({ 'Content-Type': 'application/json', 'X-TC-Action': action, 'X-TC-Version': '2021-03-31', Authorization: 'SKIP' }).send(JSON.stringify({ ZoneId }));
    return { app, call, ctl: controlClient(server) };
  }

  /** Which of `n` ListUsers calls a probability-0.5 rule failed ('x') or let through ('.'). */
  async function pattern(seed: number, rule: object, n: number): Promise<string> {
    const s = await seeded(seed);
    try {
      await addFault(s.ctl, { action: 'ListUsers', code: 'InternalError', ...rule });
      let out = '';
      for (let i = 0; i < n; i += 1) out += (envelopeError(await s.call('ListUsers')).Error?.Code ?? '.') === 'InternalError' ? 'x' : '.';
      return out;
    } finally {
      await s.app.close();
    }
  }

  test('a seeded emulator fails the same requests run after run', async () => {
    const first = await pattern(42, { probability: 0.5 }, 24);
    expect(first).toMatch(/x/);
    expect(first).toMatch(/\./);
    expect(await pattern(42, { probability: 0.5 }, 24)).toBe(first);
    // Another seed, another pattern (this is what the draws depend on).
    expect(await pattern(43, { probability: 0.5 }, 24)).not.toBe(first);
  });

  test('with count, it fires with that probability until it has fired count times', async () => {
    const result = await pattern(7, { probability: 0.5, count: 3 }, 30);
    expect(result.replace(/\./g, '')).toBe('xxx');
  });
});

describe('SCIM faults', () => {
  let token: string;
  beforeEach(async () => {
    await enableScimSync(emu);
    ({ token } = await createScimKey(emu));
  });

  test('a status fault answers that status with a SCIM error body, for the next N requests under the path', async () => {
    const rule = await addFault(ctl, { scimPath: '/Users', status: 503, count: 2 });
    expect(rule).toMatchObject({ scimPath: '/Users', status: 503, code: null, count: 2 });
    const scim = scimClient(emu.server, token);

    const first = await scim('GET', '/Users');
    expect(expectScimError(first, 503).detail).toBe('The emulator was told to answer 503 (an injected fault).');
    expectScimError(await scim('GET', '/users/u-whatever'), 503); // below the path, any case
    expectListResponse(await scim('GET', '/Users'));
  });

  test('other paths are not affected, and method narrows it', async () => {
    await addFault(ctl, { scimPath: '/scim/v2/Groups', method: 'POST', status: 500, message: 'Injected outage' });
    const scim = scimClient(emu.server, token);
    expectListResponse(await scim('GET', '/Users'));
    expectListResponse(await scim('GET', '/Groups'));
    const res = await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'g' });
    expect(expectScimError(res, 500).detail).toBe('Injected outage');
  });

  test('it answers before authentication, as an outage would', async () => {
    await addFault(ctl, { scimPath: '/', status: 503, count: 1 });
    expectScimError(await scimClient(emu.server, null)('GET', '/ServiceProviderConfig'), 503);
  });

  test('account matches the owner of the token\u2019s zone', async () => {
    await addFault(ctl, { scimPath: '/Users', status: 429, account: OTHER_ACCOUNT.uin });
    expectListResponse(await scimClient(emu.server, token)('GET', '/Users'));
    await addFault(ctl, { scimPath: '/Users', status: 429, account: '100000000001' });
    expectScimError(await scimClient(emu.server, token)('GET', '/Users'), 429);
  });

  test('latency delays a SCIM answer', async () => {
    await addFault(ctl, { scimPath: '/Users', latencyMs: 250, count: 1 });
    const started = performance.now();
    expectListResponse(await scimClient(emu.server, token)('GET', '/Users'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
  });
});

describe('listing and clearing rules', () => {
  test('GET lists in order with what they have done; DELETE /faults/<id> removes one; unknown ids are 404', async () => {
    const a = await addFault(ctl, { action: 'ListUsers', code: 'InternalError', count: 5 });
    const b = await addFault(ctl, { scimPath: '/Groups', status: 500 });
    errorCode(await emu.call('ListUsers', { ZoneId }));
    const listed = controlOk<{ faults: Json[] }>(await ctl.get('/faults')).faults;
    expect(listed.map((f) => [f.id, f.remaining, f.fired])).toEqual([
      [a.id, 4, 1],
      [b.id, null, 0],
    ]);
    expect(controlOk(await ctl.del(`/faults/${a.id as string}`))).toEqual({ deleted: a.id });
    controlError(await ctl.del(`/faults/${a.id as string}`), 404);
    expect(controlOk<{ faults: Json[] }>(await ctl.get('/faults')).faults.map((f) => f.id)).toEqual([b.id]);
    ok(await emu.call('ListUsers', { ZoneId }));
  });

  test.each([
    [{ code: 'InternalError' }, /exactly one of action/],
    [{ action: 'ListUsers', scimPath: '/Users', code: 'InternalError' }, /exactly one of action/],
    [{ action: 'NoSuchAction', code: 'InternalError' }, /not an action/],
    [{ action: 'ListUsers', status: 503 }, /API faults take a code/],
    [{ scimPath: '/Users', code: 'InternalError' }, /SCIM faults take an HTTP status/],
    [{ scimPath: 'Users', status: 503 }, /starts with "\/"/],
    [{ action: 'ListUsers', code: 'not a code' }, /not shaped like/],
    [{ action: 'ListUsers' }, /must do something/],
    [{ action: 'ListUsers', code: 'InternalError', probability: 0 }, /probability/],
    [{ action: 'ListUsers', code: 'InternalError', probability: 1.5 }, /probability/],
    [{ action: 'ListUsers', code: 'InternalError', count: 0 }, /count/],
    [{ action: 'ListUsers', latencyMs: 600_000 }, /latencyMs/],
    [{ scimPath: '/Users', status: 200 }, /status/],
    [{ action: 'ListUsers', code: 'InternalError', method: 'GET' }, /method is for scimPath/],
    [{ action: 'ListUsers', code: 'InternalError', statusCode: 1 }, /unknown field "statusCode"/],
    [{ action: 'ListUsers', code: 'InternalError', account: 'demo' }, /Uin/],
  ])('refuses %j with a 400 saying why', async (rule, why) => {
    expect(controlError(await ctl.post('/faults', rule), 400)).toMatch(why);
    expect(controlOk<{ faults: unknown[] }>(await ctl.get('/faults')).faults).toEqual([]);
  });
});

describe('rate limits (--rate-limits)', () => {
  async function limited(config: Partial<EmulatorConfig>): Promise<{ app: EmulatorApp; call: (action: string, headers?: Record<string, string>) => Promise<request.Response>; ctl: ControlClient }> {
    const app = await createApp({ dataFile: null, logLevel: 'silent', clock: '2026-01-01T00:00:00Z', ...config }, { logger: createLogger('silent'), fixtures: testFixtures() });
    const server = createHttpServer(app);
    const call = (action: string, headers: Record<string, string> = {}) =>
      request(server)
        .post('/')
        .set({ 'Content-Type': 'application/json', 'X-TC-Action': action, 'X-TC-Version': '2021-03-31', Authorization: 'SKIP', ...headers })
        .send(JSON.stringify({ ZoneId }));
    return { app, call, ctl: controlClient(server) };
  }

  test('the 21st SCIM key call in one second is RequestLimitExceeded; the next second it goes through again', async () => {
    const { app, call, ctl: limitedCtl } = await limited({ rateLimits: true });
    try {
      for (let i = 0; i < 20; i += 1) ok(await call('ListSCIMCredentials'));
      const refused = await call('ListSCIMCredentials');
      expect(errorCode(refused)).toBe('RequestLimitExceeded');
      expect(envelopeError(refused).Error.Message).toMatch(/ListSCIMCredentials.*more than 20 times in one second/);
      // Per action and per account.
      ok(await call('ListUsers'));
      ok(await call('CreateSCIMCredential'));
      expect(errorCode(await call('ListSCIMCredentials', asOther()))).not.toBe('RequestLimitExceeded');
      // The window is on the emulator's clock.
      controlOk(await limitedCtl.post('/clock', { advanceSeconds: 1 }));
      ok(await call('ListSCIMCredentials'));
    } finally {
      await app.close();
    }
  });

  test('are off by default', async () => {
    const { app, call } = await limited({});
    try {
      for (let i = 0; i < 25; i += 1) ok(await call('ListSCIMCredentials'));
    } finally {
      await app.close();
    }
  });
});
