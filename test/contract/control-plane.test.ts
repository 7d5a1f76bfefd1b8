/**
 * The control plane as a Node user meets it: the test helper
 * (`tencentcloud-emulator/testing`) with the official SDK, injected errors
 * raised by the SDK as in production, the clock and the signature window,
 * and deterministic runs.
 */
import { Agent } from 'node:http';
import request from 'supertest';
import { v20210331 as organization } from 'tencentcloud-sdk-nodejs/tencentcloud/services/organization/v20210331/index.js';
import { createApp, createHttpServer } from '../../src/app.js';
import { createLogger } from '../../src/runtime/logger.js';
import { startEmulator, type TestEmulator } from '../../src/testing.js';
import { DEMO_ACCOUNT, DEMO_ZONE_ID, testFixtures } from '../helpers/api.js';
import { sdkError } from '../helpers/live-emulator.js';

const agent = new Agent({ keepAlive: false });
afterAll(() => agent.destroy());

function orgClient(emu: TestEmulator) {
  return new organization.Client({
    credential: { secretId: DEMO_ACCOUNT.secretId, secretKey: DEMO_ACCOUNT.secretKey },
    region: 'ap-guangzhou',
    profile: { httpProfile: { endpoint: emu.endpoint, protocol: 'http://', reqTimeout: 5, agent } },
  });
}

describe('startEmulator with the official SDK', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ fixtures: testFixtures() });
  });
  afterEach(() => emu.reset());
  afterAll(() => emu.stop());

  test('listens on a free loopback port, in memory, with the SCIM base beside the API', async () => {
    expect(emu.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(emu.url).toBe(`http://${emu.endpoint}`);
    expect(emu.scimBase).toBe(`http://${emu.endpoint}/scim/v2`);
    expect(emu.emulator.store.location).toBe('in memory');
    const zone = await orgClient(emu).DescribeIdentityCenter();
    expect(zone.ZoneId).toBe(DEMO_ZONE_ID);
  });

  test('the SDK raises an injected error as it would in production', async () => {
    const rule = emu.faults.add({ action: 'CreateSCIMCredential', code: 'RequestLimitExceeded', message: 'Too many requests (injected).', count: 1 });
    expect(rule.id).toBe('fault-1');
    const error = await sdkError(orgClient(emu).CreateSCIMCredential({ ZoneId: DEMO_ZONE_ID }));
    expect(error.code).toBe('RequestLimitExceeded');
    expect(error.message).toBe('Too many requests (injected).');
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    // The journal has it under the same RequestId; the rule is spent, so the retry succeeds.
    expect(emu.requests({ action: 'CreateSCIMCredential' })[0]).toMatchObject({ code: 'RequestLimitExceeded', requestId: error.requestId });
    const key = await orgClient(emu).CreateSCIMCredential({ ZoneId: DEMO_ZONE_ID });
    expect(key.CredentialStatus).toBe('Enabled');
    expect(emu.faults.list()).toEqual([]);
  });

  test('reset() and state(): what a test changed is gone, and the state holds no secret', async () => {
    const key = await orgClient(emu).CreateSCIMCredential({ ZoneId: DEMO_ZONE_ID });
    expect(JSON.stringify(emu.state())).toContain(key.CredentialId!);
    expect(JSON.stringify(emu.state())).not.toContain(DEMO_ACCOUNT.secretKey);
    const result = await emu.reset();
    expect(result.counts.scimCredentials).toBe(0);
    expect(JSON.stringify(emu.state())).not.toContain(key.CredentialId!);
  });

  test('clock: a key created with an hour to live is expired an hour later', async () => {
    emu.clock.freeze();
    const created = await orgClient(emu).CreateSCIMCredential({ ZoneId: DEMO_ZONE_ID, ExpireDuration: 3600 });
    emu.clock.advance(3600);
    expect(emu.emulator.control.overview().zones[0]!.scimKeys.find((k) => k.credentialId === created.CredentialId)!.expired).toBe(true);
  });
});

describe('the strict-mode signature window follows the emulator clock', () => {
  test('an SDK request signed now is SignatureExpire once the clock is an hour ahead, and fine again when it is back', async () => {
    const emu = await startEmulator({ fixtures: testFixtures(), auth: 'strict' });
    try {
      const client = orgClient(emu);
      await client.DescribeIdentityCenter();
      emu.clock.advance(3600);
      expect((await sdkError(client.DescribeIdentityCenter())).code).toBe('AuthFailure.SignatureExpire');
      emu.clock.advance(-3600);
      await client.DescribeIdentityCenter();
    } finally {
      await emu.stop();
    }
  });
});

describe('deterministic mode (--seed with --clock)', () => {
  /** A sequence of calls touching every identifier and secret source; returns each raw response body. */
  async function run(seed: number, rounds = 1): Promise<string[]> {
    const app = await createApp({ dataFile: null, logLevel: 'silent', seed, clock: '2026-01-01T00:00:00Z' }, { logger: createLogger('silent'), fixtures: testFixtures() });
    const server = createHttpServer(app);
    // One Host for every request: SCIM meta.location carries it.
    const api = (action: string, params: object) =>
      request(server)
        .post('/')
        .set({ Host: 'localhost:9000', 'Content-Type': 'application/json', 'X-TC-Action': action, 'X-TC-Version': '2021-03-31', Authorization: 'SKIP' })
        .send(JSON.stringify(params));
    const bodies: string[] = [];
    try {
      for (let round = 0; round < rounds; round += 1) {
        const ZoneId = DEMO_ZONE_ID;
        const steps: (() => request.Test)[] = [
          () => api('UpdateSCIMSynchronizationStatus', { ZoneId, SCIMSynchronizationStatus: 'Enabled' }),
          () => api('CreateSCIMCredential', { ZoneId }),
          () => api('CreateUser', { ZoneId, UserName: 'alice' }),
          () => api('CreateGroup', { ZoneId, GroupName: 'devs' }),
          () => api('ListUsers', { ZoneId }),
          () => api('GetUser', { ZoneId, UserId: 'u-nosuchuser00' }),
        ];
        for (const step of steps) bodies.push((await step()).text);
        const secret = (JSON.parse(bodies[1 + round * 7]!) as { Response: { CredentialSecret: string } }).Response.CredentialSecret;
        const scim = await request(server)
          .post('/scim/v2/Users')
          .set({ Host: 'localhost:9000', Authorization: `Bearer ${secret}`, 'Content-Type': 'application/scim+json' })
          .send(JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'bob@example.com' }));
        bodies.push(scim.text);
        if (round + 1 < rounds) await request(server).post('/_emulator/reset').set('Host', 'localhost:9000').send('{}');
      }
      return bodies;
    } finally {
      await app.close();
    }
  }

  test('two fresh emulators with the same seed and clock answer the same calls byte for byte', async () => {
    const first = await run(20260101);
    const second = await run(20260101);
    expect(second).toEqual(first);
    // They really do carry generated values: IDs, a secret, RequestIds.
    expect(first[1]).toMatch(/"CredentialId":"scimcred-[a-z0-9]{12}".*"CredentialSecret":"[A-Za-z0-9+/=]{44}".*"RequestId":"[0-9a-f-]{36}"/);
    expect(first[6]).toMatch(/"id":"u-[a-z0-9]{12}"/);
  });

  test('another seed gives other identifiers', async () => {
    const [a, b] = [await run(1), await run(2)];
    expect(b[1]).not.toBe(a[1]);
  });

  test('a reset starts the sequences over: the same calls after it answer as after start-up', async () => {
    const bodies = await run(99, 2);
    expect(bodies.slice(7)).toEqual(bodies.slice(0, 7));
  });
});
