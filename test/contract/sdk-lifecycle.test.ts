// The Identity Center and SCIM credential lifecycle driven end to end by the
// official Node SDKs, once per signing method / HTTP method / client flavour.
// Within one combination the tests run in order against one emulator: each
// step starts from the state the previous one left.
import type * as M from 'tencentcloud-sdk-nodejs/tencentcloud/services/organization/v20210331/organization_models.js';
import { DEMO_ZONE_ID, OTHER_ACCOUNT } from '../helpers/api.js';
import {
  TC_TIME,
  UUID,
  sdkError,
  startLiveEmulator,
  tcTimeMs,
  type ClientOptions,
  type LiveEmulator,
  type ReqMethod,
  type SignMethod,
} from '../helpers/live-emulator.js';

/** The actions under test, with the SDK's own request/response types. */
interface IdentityCenterApi {
  DescribeIdentityCenter(): Promise<M.DescribeIdentityCenterResponse>;
  OpenIdentityCenter(req: M.OpenIdentityCenterRequest): Promise<M.OpenIdentityCenterResponse>;
  GetSCIMSynchronizationStatus(req: M.GetSCIMSynchronizationStatusRequest): Promise<M.GetSCIMSynchronizationStatusResponse>;
  UpdateSCIMSynchronizationStatus(req: M.UpdateSCIMSynchronizationStatusRequest): Promise<M.UpdateSCIMSynchronizationStatusResponse>;
  CreateSCIMCredential(req: M.CreateSCIMCredentialRequest): Promise<M.CreateSCIMCredentialResponse>;
  ListSCIMCredentials(req: M.ListSCIMCredentialsRequest): Promise<M.ListSCIMCredentialsResponse>;
  UpdateSCIMCredentialStatus(req: M.UpdateSCIMCredentialStatusRequest): Promise<M.UpdateSCIMCredentialStatusResponse>;
  DeleteSCIMCredential(req: M.DeleteSCIMCredentialRequest): Promise<M.DeleteSCIMCredentialResponse>;
}

type Flavour = 'organization.v20210331.Client' | 'CommonClient';

interface Combination {
  flavour: Flavour;
  signMethod: SignMethod;
  reqMethod: ReqMethod;
  /** How the parameters travel: JSON keeps numbers, the others turn every value into a string. */
  wire: 'JSON body' | 'query string' | 'form body';
}

const COMBINATIONS: Combination[] = [
  { flavour: 'organization.v20210331.Client', signMethod: 'TC3-HMAC-SHA256', reqMethod: 'POST', wire: 'JSON body' },
  { flavour: 'organization.v20210331.Client', signMethod: 'TC3-HMAC-SHA256', reqMethod: 'GET', wire: 'query string' },
  { flavour: 'organization.v20210331.Client', signMethod: 'HmacSHA256', reqMethod: 'POST', wire: 'form body' },
  { flavour: 'organization.v20210331.Client', signMethod: 'HmacSHA1', reqMethod: 'GET', wire: 'query string' },
  { flavour: 'CommonClient', signMethod: 'TC3-HMAC-SHA256', reqMethod: 'POST', wire: 'JSON body' },
  { flavour: 'CommonClient', signMethod: 'HmacSHA1', reqMethod: 'GET', wire: 'query string' },
];

function apiFor(live: LiveEmulator, flavour: Flavour, options: ClientOptions): IdentityCenterApi {
  if (flavour === 'organization.v20210331.Client') {
    const c = live.orgClient(options);
    return {
      DescribeIdentityCenter: () => c.DescribeIdentityCenter(),
      OpenIdentityCenter: (req) => c.OpenIdentityCenter(req),
      GetSCIMSynchronizationStatus: (req) => c.GetSCIMSynchronizationStatus(req),
      UpdateSCIMSynchronizationStatus: (req) => c.UpdateSCIMSynchronizationStatus(req),
      CreateSCIMCredential: (req) => c.CreateSCIMCredential(req),
      ListSCIMCredentials: (req) => c.ListSCIMCredentials(req),
      UpdateSCIMCredentialStatus: (req) => c.UpdateSCIMCredentialStatus(req),
      DeleteSCIMCredential: (req) => c.DeleteSCIMCredential(req),
    };
  }
  const c = live.commonClient(options);
  const call =
    (action: string) =>
    (req: object = {}) =>
      c.request(action, req);
  return {
    DescribeIdentityCenter: call('DescribeIdentityCenter'),
    OpenIdentityCenter: call('OpenIdentityCenter'),
    GetSCIMSynchronizationStatus: call('GetSCIMSynchronizationStatus'),
    UpdateSCIMSynchronizationStatus: call('UpdateSCIMSynchronizationStatus'),
    CreateSCIMCredential: call('CreateSCIMCredential'),
    ListSCIMCredentials: call('ListSCIMCredentials'),
    UpdateSCIMCredentialStatus: call('UpdateSCIMCredentialStatus'),
    DeleteSCIMCredential: call('DeleteSCIMCredential'),
  };
}

const SECONDS = 1000;
const YEAR_OF_DAYS_MS = 365 * 86400 * SECONDS;
const UTC_PLUS_8_MS = 8 * 3600 * SECONDS;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const CHINESE = /[\u4e00-\u9fff]/;

describe.each(COMBINATIONS)('$flavour, $signMethod $reqMethod ($wire)', ({ flavour, signMethod, reqMethod, wire }) => {
  let live: LiveEmulator;
  /** The demo account (owner of DEMO_ZONE_ID), with its real key. */
  let demo: IdentityCenterApi;
  /** The other test account, which starts without a zone. */
  let other: IdentityCenterApi;

  beforeAll(async () => {
    live = await startLiveEmulator({ auth: 'permissive' });
    demo = apiFor(live, flavour, { signMethod, reqMethod });
    other = apiFor(live, flavour, {
      signMethod,
      reqMethod,
      secretId: OTHER_ACCOUNT.secretId,
      secretKey: OTHER_ACCOUNT.secretKey,
    });
  });
  afterAll(() => live.close());

  describe('SCIM credential lifecycle on the demo zone', () => {
    let first: M.CreateSCIMCredentialResponse;
    let second: M.CreateSCIMCredentialResponse;
    const secrets: string[] = [];

    test('DescribeIdentityCenter shows the demo zone open with SCIM sync disabled', async () => {
      const res = await demo.DescribeIdentityCenter();
      expect(res).toMatchObject({
        ZoneId: DEMO_ZONE_ID,
        ZoneName: 'test-zone',
        ServiceStatus: 'Enabled',
        ScimSyncStatus: 'Disabled',
        CreateTime: '2026-01-01 08:00:00',
      });
      expect(res.RequestId).toMatch(UUID);
    });

    test('UpdateSCIMSynchronizationStatus Enabled is reflected by GetSCIMSynchronizationStatus and DescribeIdentityCenter', async () => {
      await demo.UpdateSCIMSynchronizationStatus({ ZoneId: DEMO_ZONE_ID, SCIMSynchronizationStatus: 'Enabled' });
      const status = await demo.GetSCIMSynchronizationStatus({ ZoneId: DEMO_ZONE_ID });
      expect(status.SCIMSynchronizationStatus).toBe('Enabled');
      expect((await demo.DescribeIdentityCenter()).ScimSyncStatus).toBe('Enabled');
    });

    test('an unknown SCIMSynchronizationStatus is InvalidParameter.ScimSyncStatusError', async () => {
      const err = await sdkError(demo.UpdateSCIMSynchronizationStatus({ ZoneId: DEMO_ZONE_ID, SCIMSynchronizationStatus: 'On' }));
      expect(err.code).toBe('InvalidParameter.ScimSyncStatusError');
      expect((await demo.GetSCIMSynchronizationStatus({ ZoneId: DEMO_ZONE_ID })).SCIMSynchronizationStatus).toBe('Enabled');
    });

    test('CreateSCIMCredential returns an enabled bearer token with a 256-bit secret, valid for 365 days by default', async () => {
      first = await demo.CreateSCIMCredential({ ZoneId: DEMO_ZONE_ID });
      expect(first.ZoneId).toBe(DEMO_ZONE_ID);
      expect(first.CredentialId).toMatch(/^scimcred-[a-z0-9]{12}$/);
      expect(first.CredentialType).toBe('BearerToken');
      expect(first.CredentialStatus).toBe('Enabled');
      expect(first.RequestId).toMatch(UUID);

      const secret = first.CredentialSecret!;
      expect(secret).toMatch(BASE64);
      expect(Buffer.from(secret, 'base64').length).toBeGreaterThanOrEqual(32);
      secrets.push(secret);

      expect(first.CreateTime).toMatch(TC_TIME);
      expect(first.ExpireTime).toMatch(TC_TIME);
      expect(tcTimeMs(first.ExpireTime!) - tcTimeMs(first.CreateTime!)).toBe(YEAR_OF_DAYS_MS);
    });

    test('CreateTime is the current time in UTC+8', () => {
      const skew = Math.abs(tcTimeMs(first.CreateTime!) - (Date.now() + UTC_PLUS_8_MS));
      expect(skew).toBeLessThan(60 * SECONDS);
    });

    test(`ExpireDuration 3600 (sent in a ${wire}) gives an ExpireTime one hour after CreateTime`, async () => {
      second = await demo.CreateSCIMCredential({ ZoneId: DEMO_ZONE_ID, ExpireDuration: 3600 });
      expect(second.CredentialId).toMatch(/^scimcred-[a-z0-9]{12}$/);
      expect(second.CredentialId).not.toBe(first.CredentialId);
      expect(second.CredentialSecret).not.toBe(first.CredentialSecret);
      secrets.push(second.CredentialSecret!);
      expect(tcTimeMs(second.ExpireTime!) - tcTimeMs(second.CreateTime!)).toBe(3600 * SECONDS);
    });

    test('a third credential is refused with LimitExceeded.ScimCredentialLimitExceeded and a UUID RequestId', async () => {
      const err = await sdkError(demo.CreateSCIMCredential({ ZoneId: DEMO_ZONE_ID }));
      expect(err.code).toBe('LimitExceeded.ScimCredentialLimitExceeded');
      expect(err.requestId).toMatch(UUID);
      expect(err.message).toContain(DEMO_ZONE_ID);
    });

    test(`an ExpireDuration below one hour (sent in a ${wire}) is InvalidParameterValue`, async () => {
      const err = await sdkError(demo.CreateSCIMCredential({ ZoneId: DEMO_ZONE_ID, ExpireDuration: 60 }));
      expect(err.code).toBe('InvalidParameterValue');
    });

    test(`a non-numeric ExpireDuration (sent in a ${wire}) is InvalidParameter, not coerced`, async () => {
      const err = await sdkError(
        demo.CreateSCIMCredential({ ZoneId: DEMO_ZONE_ID, ExpireDuration: 'soon' as unknown as number }),
      );
      expect(err.code).toBe('InvalidParameter');
    });

    test('ListSCIMCredentials lists both credentials and never any secret', async () => {
      const res = await demo.ListSCIMCredentials({ ZoneId: DEMO_ZONE_ID });
      expect(res.TotalCounts).toBe(2);
      expect(res.SCIMCredentials).toHaveLength(2);
      const byId = new Map(res.SCIMCredentials!.map((c) => [c.CredentialId, c]));
      expect(byId.get(first.CredentialId!)).toEqual({
        ZoneId: DEMO_ZONE_ID,
        Status: 'Enabled',
        CredentialId: first.CredentialId,
        CredentialType: 'BearerToken',
        CreateTime: first.CreateTime,
        ExpireTime: first.ExpireTime,
      });
      expect(byId.get(second.CredentialId!)).toMatchObject({ Status: 'Enabled', ExpireTime: second.ExpireTime });
      const text = JSON.stringify(res);
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/Secret/i);
    });

    test('ListSCIMCredentials filtered by CredentialId returns just that credential', async () => {
      const res = await demo.ListSCIMCredentials({ ZoneId: DEMO_ZONE_ID, CredentialId: second.CredentialId! });
      expect(res.TotalCounts).toBe(1);
      expect(res.SCIMCredentials!.map((c) => c.CredentialId)).toEqual([second.CredentialId]);
    });

    test('UpdateSCIMCredentialStatus Disabled shows as Status Disabled in the list, the other key unchanged', async () => {
      await demo.UpdateSCIMCredentialStatus({ ZoneId: DEMO_ZONE_ID, CredentialId: first.CredentialId!, NewStatus: 'Disabled' });
      const res = await demo.ListSCIMCredentials({ ZoneId: DEMO_ZONE_ID });
      const status = Object.fromEntries(res.SCIMCredentials!.map((c) => [c.CredentialId!, c.Status]));
      expect(status).toEqual({ [first.CredentialId!]: 'Disabled', [second.CredentialId!]: 'Enabled' });
    });

    test('an unknown NewStatus is InvalidParameter.UserScimCredentialStatusError', async () => {
      const err = await sdkError(
        demo.UpdateSCIMCredentialStatus({ ZoneId: DEMO_ZONE_ID, CredentialId: second.CredentialId!, NewStatus: 'Paused' }),
      );
      expect(err.code).toBe('InvalidParameter.UserScimCredentialStatusError');
      expect(err.requestId).toMatch(UUID);
    });

    test('DeleteSCIMCredential removes the credential from the list', async () => {
      await demo.DeleteSCIMCredential({ ZoneId: DEMO_ZONE_ID, CredentialId: second.CredentialId! });
      const res = await demo.ListSCIMCredentials({ ZoneId: DEMO_ZONE_ID });
      expect(res.TotalCounts).toBe(1);
      expect(res.SCIMCredentials!.map((c) => c.CredentialId)).toEqual([first.CredentialId]);
    });

    test.each([
      ['a deleted credential', () => second.CredentialId!],
      ['a credential that never existed', () => 'scimcred-000000000000'],
    ])('DeleteSCIMCredential of %s is InvalidParameter.ScimCredentialNotFound', async (_what, id) => {
      const err = await sdkError(demo.DeleteSCIMCredential({ ZoneId: DEMO_ZONE_ID, CredentialId: id() }));
      expect(err.code).toBe('InvalidParameter.ScimCredentialNotFound');
    });

    test('UpdateSCIMCredentialStatus of an unknown credential is InvalidParameter.ScimCredentialNotFound', async () => {
      const err = await sdkError(
        demo.UpdateSCIMCredentialStatus({ ZoneId: DEMO_ZONE_ID, CredentialId: 'scimcred-000000000000', NewStatus: 'Enabled' }),
      );
      expect(err.code).toBe('InvalidParameter.ScimCredentialNotFound');
    });

    test('a disabled credential still counts toward the limit of two', async () => {
      const third = await demo.CreateSCIMCredential({ ZoneId: DEMO_ZONE_ID });
      expect(third.CredentialStatus).toBe('Enabled');
      const err = await sdkError(demo.CreateSCIMCredential({ ZoneId: DEMO_ZONE_ID }));
      expect(err.code).toBe('LimitExceeded.ScimCredentialLimitExceeded');
      const res = await demo.ListSCIMCredentials({ ZoneId: DEMO_ZONE_ID });
      expect(res.SCIMCredentials!.map((c) => c.Status).sort()).toEqual(['Disabled', 'Enabled']);
    });

    test('an error message is in Chinese when the client profile language is zh-CN', async () => {
      const zh = apiFor(live, flavour, { signMethod, reqMethod, language: 'zh-CN' });
      const err = await sdkError(zh.CreateSCIMCredential({ ZoneId: DEMO_ZONE_ID }));
      expect(err.code).toBe('LimitExceeded.ScimCredentialLimitExceeded');
      expect(err.message).toMatch(CHINESE);
    });
  });

  describe('zones across accounts', () => {
    let otherZoneId: string;

    test('an unknown SecretId acts as the first fixture account in permissive mode', async () => {
      const stranger = apiFor(live, flavour, { signMethod, reqMethod, secretId: 'AKIDNOTINTHEFIXTURES', secretKey: 'whatever' });
      expect((await stranger.DescribeIdentityCenter()).ZoneId).toBe(DEMO_ZONE_ID);
    });

    test('a known SecretId acts as its own account: the other account has no Identity Center yet', async () => {
      const res = await other.DescribeIdentityCenter();
      expect(res).toMatchObject({ ZoneId: '', ServiceStatus: 'Disabled' });
    });

    test('an account without a zone gets FailedOperation.IdentityCenterNotOpen', async () => {
      const err = await sdkError(other.GetSCIMSynchronizationStatus({ ZoneId: DEMO_ZONE_ID }));
      expect(err.code).toBe('FailedOperation.IdentityCenterNotOpen');
      const list = await sdkError(other.ListSCIMCredentials({ ZoneId: DEMO_ZONE_ID }));
      expect(list.code).toBe('FailedOperation.IdentityCenterNotOpen');
    });

    test('an invalid zone name is InvalidParameterValue.ZoneNameFormatError', async () => {
      const err = await sdkError(other.OpenIdentityCenter({ ZoneName: 'Not_Valid' }));
      expect(err.code).toBe('InvalidParameterValue.ZoneNameFormatError');
    });

    test("another account's zone name is InvalidParameterValue.IdentityCenterZoneNameAlreadyExist", async () => {
      const err = await sdkError(other.OpenIdentityCenter({ ZoneName: 'test-zone' }));
      expect(err.code).toBe('InvalidParameterValue.IdentityCenterZoneNameAlreadyExist');
    });

    test('OpenIdentityCenter opens a zone with an ID of z- and 12 lowercase letters/digits', async () => {
      const res = await other.OpenIdentityCenter({ ZoneName: 'other-zone' });
      expect(res.ZoneId).toMatch(/^z-[a-z0-9]{12}$/);
      otherZoneId = res.ZoneId!;
      expect(await other.DescribeIdentityCenter()).toMatchObject({
        ZoneId: otherZoneId,
        ZoneName: 'other-zone',
        ServiceStatus: 'Enabled',
        ScimSyncStatus: 'Disabled',
      });
    });

    test('a second OpenIdentityCenter is FailedOperation.IdentityCenterAlreadyOpen', async () => {
      const err = await sdkError(other.OpenIdentityCenter({ ZoneName: 'another-zone' }));
      expect(err.code).toBe('FailedOperation.IdentityCenterAlreadyOpen');
    });

    test("another account's ZoneId is FailedOperation.ZoneIdNotExist, in both directions", async () => {
      const fromOther = await sdkError(other.ListSCIMCredentials({ ZoneId: DEMO_ZONE_ID }));
      expect(fromOther.code).toBe('FailedOperation.ZoneIdNotExist');
      const fromDemo = await sdkError(demo.CreateSCIMCredential({ ZoneId: otherZoneId }));
      expect(fromDemo.code).toBe('FailedOperation.ZoneIdNotExist');
    });

    test("the new zone starts with no credentials, and the demo zone's keys are not visible from it", async () => {
      const res = await other.ListSCIMCredentials({ ZoneId: otherZoneId });
      expect(res).toMatchObject({ TotalCounts: 0, SCIMCredentials: [] });
    });
  });
});
