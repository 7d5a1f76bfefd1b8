/**
 * /_emulator/clock moves the one clock the emulator runs on: record times,
 * SCIM key expiry, the strict-mode signature window.
 */
import { createApp, createHttpServer } from '../../src/app.js';
import { ControllableClock } from '../../src/runtime/clock.js';
import { createLogger } from '../../src/runtime/logger.js';
import { DEMO_ZONE_ID, ok, testEmulator, testFixtures, type TestEmulator } from '../helpers/api.js';
import { controlClient, controlError, controlOk, type ControlClient } from '../helpers/control.js';
import { createScimKey, enableScimSync, expectScimError, scimClient } from '../helpers/scim.js';

let emu: TestEmulator;
let ctl: ControlClient;
beforeEach(async () => {
  emu = await testEmulator();
  ctl = controlClient(emu.server);
});
afterEach(() => emu.close());

const clockOf = async (client: ControlClient) => controlOk<{ now: string; frozen: boolean }>(await client.get('/clock'));

describe('GET and POST /_emulator/clock', () => {
  test('GET says what time it is and whether it stands still', async () => {
    expect(await clockOf(ctl)).toEqual({ now: '2026-03-01T00:00:00.000Z', frozen: true });
  });

  test('{"advanceSeconds": n} moves it on (and back with a negative n), answering the new time', async () => {
    expect(controlOk(await ctl.post('/clock', { advanceSeconds: 90 }))).toEqual({ now: '2026-03-01T00:01:30.000Z', frozen: true });
    expect(controlOk(await ctl.post('/clock', { advanceSeconds: -30.5 }))).toEqual({ now: '2026-03-01T00:00:59.500Z', frozen: true });
  });

  test('{"set": ISO-8601} moves it to that instant, whatever the offset it is written with', async () => {
    expect(controlOk(await ctl.post('/clock', { set: '2027-05-01T08:00:00+08:00' }))).toEqual({ now: '2027-05-01T00:00:00.000Z', frozen: true });
  });

  test('the times the API returns follow it', async () => {
    controlOk(await ctl.post('/clock', { set: '2030-01-02T03:04:05Z' }));
    const user = ok(await emu.call('CreateUser', { ZoneId: DEMO_ZONE_ID, UserName: 'timed' })).UserInfo as Record<string, unknown>;
    expect(user.CreateTime).toBe('2030-01-02 11:04:05'); // UTC+8, as the real service answers
  });

  test.each([
    [{}],
    [{ advanceSeconds: 1, freeze: true }],
    [{ advanceSeconds: '60' }],
    [{ advanceSeconds: 1e300 }],
    [{ set: 'tomorrow' }],
    [{ set: '2026-01-01T00:00:00' }], // no zone: it would depend on the machine's
    [{ freeze: 'yes' }],
    [{ rewind: 1 }],
  ])('refuses %j with a 400 and leaves the clock alone', async (body) => {
    controlError(await ctl.post('/clock', body), 400);
    expect(await clockOf(ctl)).toEqual({ now: '2026-03-01T00:00:00.000Z', frozen: true });
  });
});

describe('freezing a running clock', () => {
  let running: Awaited<ReturnType<typeof createApp>>;
  let runningCtl: ControlClient;
  let tick: (ms: number) => void;
  beforeEach(async () => {
    // A clock that runs, from a fake source we move by hand.
    let sourceMs = Date.parse('2026-04-01T00:00:00Z');
    const clock = new ControllableClock({ source: () => sourceMs });
    running = await createApp({ dataFile: null, logLevel: 'silent' }, { clock, logger: createLogger('silent'), fixtures: testFixtures() });
    runningCtl = controlClient(createHttpServer(running));
    tick = (ms) => (sourceMs += ms);
  });
  afterEach(() => running.close());

  test('a running clock moves with time; frozen, it stands; unfrozen, it runs on from where it stood', async () => {
    expect(await clockOf(runningCtl)).toEqual({ now: '2026-04-01T00:00:00.000Z', frozen: false });
    tick(5000);
    expect((await clockOf(runningCtl)).now).toBe('2026-04-01T00:00:05.000Z');

    expect(controlOk(await runningCtl.post('/clock', { freeze: true }))).toEqual({ now: '2026-04-01T00:00:05.000Z', frozen: true });
    tick(60_000);
    expect((await clockOf(runningCtl)).now).toBe('2026-04-01T00:00:05.000Z');

    controlOk(await runningCtl.post('/clock', { advanceSeconds: 10 }));
    expect(controlOk(await runningCtl.post('/clock', { freeze: false }))).toEqual({ now: '2026-04-01T00:00:15.000Z', frozen: false });
    tick(1000);
    expect((await clockOf(runningCtl)).now).toBe('2026-04-01T00:00:16.000Z');
  });

  test('set on a running clock keeps it running from the new time', async () => {
    controlOk(await runningCtl.post('/clock', { set: '2030-01-01T00:00:00Z' }));
    tick(2500);
    expect(await clockOf(runningCtl)).toEqual({ now: '2030-01-01T00:00:02.500Z', frozen: false });
  });
});

describe('making a SCIM key expire without waiting', () => {
  test('advance past its ExpireTime: the next SCIM request with it is a 401', async () => {
    await enableScimSync(emu);
    const { token } = await createScimKey(emu, { ExpireDuration: 3600 });
    const scim = scimClient(emu.server, token);
    expect((await scim('GET', '/Users')).status).toBe(200);

    controlOk(await ctl.post('/clock', { advanceSeconds: 3599 }));
    expect((await scim('GET', '/Users')).status).toBe(200);

    controlOk(await ctl.post('/clock', { advanceSeconds: 1 }));
    const res = await scim('GET', '/Users');
    expect(expectScimError(res, 401).detail).toMatch(/expired/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  test('set to a time past its expiry does the same, and set back before it revives it', async () => {
    await enableScimSync(emu);
    const { token } = await createScimKey(emu, { ExpireDuration: 7200 });
    const scim = scimClient(emu.server, token);
    controlOk(await ctl.post('/clock', { set: '2026-03-01T02:00:00Z' }));
    expectScimError(await scim('GET', '/Users'), 401);
    controlOk(await ctl.post('/clock', { set: '2026-03-01T01:59:59Z' }));
    expect((await scim('GET', '/Users')).status).toBe(200);
  });
});
