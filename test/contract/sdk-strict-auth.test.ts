// Strict auth mode against what the official Node SDKs really sign: every
// signing method must verify with the right key and fail with the SDK-visible
// error codes otherwise.
import { ManualClock } from '../../src/runtime/clock.js';
import { DEMO_ACCOUNT, DEMO_ZONE_ID, OTHER_ACCOUNT } from '../helpers/api.js';
import {
  UUID,
  sdkError,
  startLiveEmulator,
  type ClientOptions,
  type LiveEmulator,
  type ReqMethod,
  type SignMethod,
} from '../helpers/live-emulator.js';

type Flavour = 'organization.v20210331.Client' | 'CommonClient';

interface Combination {
  flavour: Flavour;
  signMethod: SignMethod;
  reqMethod: ReqMethod;
}

const COMBINATIONS: Combination[] = [
  { flavour: 'organization.v20210331.Client', signMethod: 'TC3-HMAC-SHA256', reqMethod: 'POST' },
  { flavour: 'organization.v20210331.Client', signMethod: 'TC3-HMAC-SHA256', reqMethod: 'GET' },
  { flavour: 'organization.v20210331.Client', signMethod: 'HmacSHA256', reqMethod: 'POST' },
  { flavour: 'organization.v20210331.Client', signMethod: 'HmacSHA256', reqMethod: 'GET' },
  { flavour: 'organization.v20210331.Client', signMethod: 'HmacSHA1', reqMethod: 'POST' },
  { flavour: 'organization.v20210331.Client', signMethod: 'HmacSHA1', reqMethod: 'GET' },
  { flavour: 'CommonClient', signMethod: 'TC3-HMAC-SHA256', reqMethod: 'POST' },
  { flavour: 'CommonClient', signMethod: 'HmacSHA1', reqMethod: 'GET' },
];

/** DescribeIdentityCenter through either client flavour: the cheapest signed call. */
function describeIdentityCenter(live: LiveEmulator, flavour: Flavour, options: ClientOptions) {
  return flavour === 'organization.v20210331.Client'
    ? live.orgClient(options).DescribeIdentityCenter()
    : (live.commonClient(options).request('DescribeIdentityCenter', {}) as Promise<Record<string, unknown>>);
}

describe('strict auth: signatures made by the SDKs', () => {
  let live: LiveEmulator;
  beforeAll(async () => {
    live = await startLiveEmulator({ auth: 'strict' });
  });
  afterAll(() => live.close());

  describe.each(COMBINATIONS)('$flavour, $signMethod $reqMethod', ({ flavour, signMethod, reqMethod }) => {
    const call = (options: ClientOptions = {}) => describeIdentityCenter(live, flavour, { signMethod, reqMethod, ...options });

    test('the right SecretKey is accepted and acts as its account', async () => {
      expect(await call()).toMatchObject({ ZoneId: DEMO_ZONE_ID, ServiceStatus: 'Enabled' });
      const other = await call({ secretId: OTHER_ACCOUNT.secretId, secretKey: OTHER_ACCOUNT.secretKey });
      expect(other).toMatchObject({ ZoneId: '', ServiceStatus: 'Disabled' });
    });

    test('a wrong SecretKey is AuthFailure.SignatureFailure with a UUID RequestId', async () => {
      const err = await sdkError(call({ secretKey: `${DEMO_ACCOUNT.secretKey}-wrong` }));
      expect(err.code).toBe('AuthFailure.SignatureFailure');
      expect(err.requestId).toMatch(UUID);
    });

    test("another account's SecretKey under this SecretId is AuthFailure.SignatureFailure", async () => {
      const err = await sdkError(call({ secretKey: OTHER_ACCOUNT.secretKey }));
      expect(err.code).toBe('AuthFailure.SignatureFailure');
    });

    test('an unknown SecretId is AuthFailure.SecretIdNotFound with a UUID RequestId', async () => {
      const err = await sdkError(call({ secretId: 'AKIDNOTINTHEFIXTURES', secretKey: DEMO_ACCOUNT.secretKey }));
      expect(err.code).toBe('AuthFailure.SecretIdNotFound');
      expect(err.requestId).toMatch(UUID);
    });
  });

  test('a signed mutation goes through: CreateSCIMCredential with TC3 POST', async () => {
    const created = await live.orgClient().CreateSCIMCredential({ ZoneId: DEMO_ZONE_ID, ExpireDuration: 7200 });
    expect(created.CredentialId).toMatch(/^scimcred-[a-z0-9]{12}$/);
    const listed = await live.orgClient({ signMethod: 'HmacSHA256', reqMethod: 'GET' }).ListSCIMCredentials({ ZoneId: DEMO_ZONE_ID });
    expect(listed.SCIMCredentials!.map((c) => c.CredentialId)).toContain(created.CredentialId);
  });
});

describe('strict auth: request timestamps against the server clock', () => {
  // The SDKs sign with the real time; the emulator's clock is moved around it.
  const clock = new ManualClock(new Date());
  let live: LiveEmulator;
  beforeAll(async () => {
    live = await startLiveEmulator({ auth: 'strict', clock });
  });
  afterAll(() => live.close());

  describe.each(COMBINATIONS)('$flavour, $signMethod $reqMethod', ({ flavour, signMethod, reqMethod }) => {
    const call = () => describeIdentityCenter(live, flavour, { signMethod, reqMethod });

    test('a timestamp 10 minutes behind the server is AuthFailure.SignatureExpire', async () => {
      clock.set(new Date(Date.now() + 10 * 60_000));
      const err = await sdkError(call());
      expect(err.code).toBe('AuthFailure.SignatureExpire');
      expect(err.requestId).toMatch(UUID);
    });

    test('a timestamp 10 minutes ahead of the server is AuthFailure.SignatureExpire', async () => {
      clock.set(new Date(Date.now() - 10 * 60_000));
      expect((await sdkError(call())).code).toBe('AuthFailure.SignatureExpire');
    });

    test('a timestamp 4 minutes off (within 300 s) is accepted', async () => {
      clock.set(new Date(Date.now() + 4 * 60_000));
      expect(await call()).toMatchObject({ ZoneId: DEMO_ZONE_ID });
      clock.set(new Date(Date.now() - 4 * 60_000));
      expect(await call()).toMatchObject({ ZoneId: DEMO_ZONE_ID });
    });
  });
});

describe('the SDK skipSign option (Authorization: SKIP)', () => {
  // skipSign is a per-request option of AbstractClient.request, honoured on the TC3 path only.
  describe.each([['organization.v20210331.Client'], ['CommonClient']] as const)('%s', (flavour) => {
    const skipped = (live: LiveEmulator) =>
      (flavour === 'organization.v20210331.Client' ? live.orgClient() : live.commonClient()).request(
        'DescribeIdentityCenter',
        {},
        { skipSign: true },
      ) as Promise<Record<string, unknown>>;

    describe('in strict mode', () => {
      let live: LiveEmulator;
      beforeAll(async () => {
        live = await startLiveEmulator({ auth: 'strict' });
      });
      afterAll(() => live.close());

      test('an unsigned request is rejected with AuthFailure.InvalidAuthorization', async () => {
        const err = await sdkError(skipped(live));
        expect(err.code).toBe('AuthFailure.InvalidAuthorization');
        expect(err.requestId).toMatch(UUID);
      });
    });

    describe('in permissive mode', () => {
      let live: LiveEmulator;
      beforeAll(async () => {
        live = await startLiveEmulator({ auth: 'permissive' });
      });
      afterAll(() => live.close());

      test('an unsigned request is accepted and acts as the first fixture account', async () => {
        expect(await skipped(live)).toMatchObject({ ZoneId: DEMO_ZONE_ID, ServiceStatus: 'Enabled' });
      });

      test('an unsigned request acts as the first account even when the client holds another account key', async () => {
        const client = live.orgClient({ secretId: OTHER_ACCOUNT.secretId, secretKey: OTHER_ACCOUNT.secretKey });
        const res = await client.request('DescribeIdentityCenter', {}, { skipSign: true });
        expect(res).toMatchObject({ ZoneId: DEMO_ZONE_ID });
      });
    });
  });
});
