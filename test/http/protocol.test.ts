import request from 'supertest';
import { validate as isUuid, version as uuidVersion } from 'uuid';
import { DEMO_ZONE_ID, errorCode, ok, testEmulator, type TestEmulator } from '../helpers/api.js';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await testEmulator();
});
afterAll(() => emu.close());

const tc3 = (action: string) =>
  request(emu.server)
    .post('/')
    .set('X-TC-Action', action)
    .set('X-TC-Version', '2021-03-31')
    .set('Authorization', 'SKIP');

describe('response envelope', () => {
  test('a success is {"Response": {..., "RequestId": <uuid v4>}} with HTTP 200 and exactly application/json', async () => {
    const res = await emu.call('DescribeIdentityCenter');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    const body = ok(res);
    expect(isUuid(body.RequestId) && uuidVersion(body.RequestId)).toBe(4);
    expect(body.ZoneId).toBe(DEMO_ZONE_ID);
  });

  test('an error is {"Response": {"Error": {Code, Message}, "RequestId"}} with HTTP 200 and exactly application/json', async () => {
    const res = await emu.call('NoSuchThing');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(Object.keys(res.body.Response).sort()).toEqual(['Error', 'RequestId']);
    expect(res.body.Response.Error).toEqual({ Code: 'InvalidAction', Message: expect.stringContaining('NoSuchThing') });
    expect(isUuid(res.body.Response.RequestId)).toBe(true);
  });

  test('every request gets its own RequestId', async () => {
    const [a, b] = await Promise.all([emu.call('DescribeIdentityCenter'), emu.call('DescribeIdentityCenter')]);
    expect(ok(a).RequestId).not.toBe(ok(b).RequestId);
  });

  test('X-TC-TraceId is echoed on successes and errors', async () => {
    const good = await emu.call('DescribeIdentityCenter', {}, { 'X-TC-TraceId': 'trace-123' });
    const bad = await emu.call('Nope', {}, { 'X-TC-TraceId': 'trace-456' });
    expect(good.headers['x-tc-traceid']).toBe('trace-123');
    expect(bad.headers['x-tc-traceid']).toBe('trace-456');
  });

  test('an X-TC-TraceId of absurd length or with control characters is not echoed; the answer stays readable', async () => {
    const long = await emu.call('DescribeIdentityCenter', {}, { 'X-TC-TraceId': 't'.repeat(100 * 1024) });
    expect(ok(long).RequestId).toBeDefined();
    expect(long.headers['x-tc-traceid']).toBeUndefined();
    const odd = await emu.call('DescribeIdentityCenter', {}, { 'X-TC-TraceId': 'a b\u00e9' });
    expect(odd.headers['x-tc-traceid']).toBeUndefined();
    const fine = await emu.call('DescribeIdentityCenter', {}, { 'X-TC-TraceId': 'x'.repeat(256) });
    expect(fine.headers['x-tc-traceid']).toBe('x'.repeat(256));
  });

  test('a v1 request whose parameter names do not parse is answered in its Language parameter', async () => {
    const res = await request(emu.server)
      .get('/')
      .query({ Action: 'ListUsers', Version: '2021-03-31', Language: 'zh-CN', 'Filters..Name': 'x', SecretId: 'AKIDX', Signature: 'x', Nonce: '1', Timestamp: '1' });
    expect(errorCode(res)).toBe('InvalidParameter');
    expect(res.body.Response.Error.Message).toMatch(/[\u4e00-\u9fff]/);
  });

  test('X-TC-Language zh-CN gives the message in Chinese, the code unchanged', async () => {
    const res = await emu.call('CreateSCIMCredential', { ZoneId: 'z-nosuchzone00' }, { 'X-TC-Language': 'zh-CN' });
    expect(errorCode(res)).toBe('FailedOperation.ZoneIdNotExist');
    expect(res.body.Response.Error.Message).toMatch(/[\u4e00-\u9fff]/);
  });

  test('the v1 Language parameter selects Chinese too', async () => {
    const res = await request(emu.server).get('/').query({
      Action: 'GetSCIMSynchronizationStatus',
      Version: '2021-03-31',
      ZoneId: 'z-nosuchzone00',
      SecretId: 'AKIDX',
      Signature: 'sig',
      Language: 'zh-CN',
    });
    expect(errorCode(res)).toBe('FailedOperation.ZoneIdNotExist');
    expect(res.body.Response.Error.Message).toMatch(/[\u4e00-\u9fff]/);
  });

  test('an unexpected failure is InternalError with no stack trace', async () => {
    // A handler that throws a plain Error stands for any bug.
    const broken = await testEmulator();
    broken.store.read = () => {
      throw new Error('boom at /secret/path.ts:12');
    };
    const res = await broken.call('DescribeIdentityCenter');
    expect(errorCode(res)).toBe('InternalError');
    expect(JSON.stringify(res.body)).not.toMatch(/boom|\.ts:|at /);
    await broken.close();
  });
});

describe('action and version resolution', () => {
  test('an unknown action is InvalidAction', async () => {
    expect(errorCode(await emu.call('DescribeNothing'))).toBe('InvalidAction');
  });

  test('a known action in an unknown version is NoSuchVersion', async () => {
    const res = await emu.call('DescribeIdentityCenter', {}, { 'X-TC-Version': '2018-01-01' });
    expect(errorCode(res)).toBe('NoSuchVersion');
    expect(res.body.Response.Error.Message).toContain('2021-03-31');
  });

  test('a request without a version is MissingParameter', async () => {
    const res = await request(emu.server)
      .post('/')
      .set('Content-Type', 'application/json')
      .set('X-TC-Action', 'DescribeIdentityCenter')
      .set('Authorization', 'SKIP')
      .send('{}');
    expect(errorCode(res)).toBe('MissingParameter');
  });

  test('a request without any action is MissingParameter', async () => {
    expect(errorCode(await request(emu.server).get('/'))).toBe('MissingParameter');
    expect(errorCode(await request(emu.server).post('/').type('form').send('Version=2021-03-31'))).toBe('MissingParameter');
  });

  test('an action of the real API that the emulator does not implement is UnsupportedOperation, and says so', async () => {
    const res = await emu.call('CreateOrganization');
    expect(errorCode(res)).toBe('UnsupportedOperation');
    expect(res.body.Response.Error.Message).toMatch(/not implement/);
  });
});

describe('schema validation', () => {
  test('a missing required parameter is MissingParameter naming it', async () => {
    const res = await emu.call('CreateSCIMCredential', {});
    expect(errorCode(res)).toBe('MissingParameter');
    expect(res.body.Response.Error.Message).toContain('ZoneId');
  });

  test('a parameter the action does not define is UnknownParameter naming it', async () => {
    const res = await emu.call('ListSCIMCredentials', { ZoneId: DEMO_ZONE_ID, Colour: 'red' });
    expect(errorCode(res)).toBe('UnknownParameter');
    expect(res.body.Response.Error.Message).toContain('Colour');
  });

  test('a wrong JSON type is InvalidParameter (JSON bodies are not coerced)', async () => {
    const res = await emu.call('CreateSCIMCredential', { ZoneId: DEMO_ZONE_ID, ExpireDuration: '3600' });
    expect(errorCode(res)).toBe('InvalidParameter');
    expect(res.body.Response.Error.Message).toContain('ExpireDuration');
  });

  test('a negative value for an unsigned integer is InvalidParameterValue', async () => {
    const res = await emu.call('CreateSCIMCredential', { ZoneId: DEMO_ZONE_ID, ExpireDuration: -5 });
    expect(errorCode(res)).toBe('InvalidParameterValue');
  });

  test('v1 GET parameters arrive as strings and are coerced to the schema types', async () => {
    const res = await request(emu.server).get('/').query({
      Action: 'CreateSCIMCredential',
      Version: '2021-03-31',
      ZoneId: DEMO_ZONE_ID,
      ExpireDuration: '7200',
      SecretId: 'AKIDX',
      Signature: 'sig',
    });
    const body = ok(res);
    const created = new Date(`${String(body.CreateTime).replace(' ', 'T')}Z`).getTime();
    const expires = new Date(`${String(body.ExpireTime).replace(' ', 'T')}Z`).getTime();
    expect(expires - created).toBe(7200 * 1000);
    await emu.call('DeleteSCIMCredential', { ZoneId: DEMO_ZONE_ID, CredentialId: body.CredentialId });
  });

  test('a string that is not a number is InvalidParameter even for v1', async () => {
    const res = await request(emu.server)
      .post('/')
      .type('form')
      .send({ Action: 'CreateSCIMCredential', Version: '2021-03-31', ZoneId: DEMO_ZONE_ID, ExpireDuration: 'soon', SecretId: 'AKIDX', Signature: 's' });
    expect(errorCode(res)).toBe('InvalidParameter');
  });

  test('TC3 GET carries the parameters in the query string', async () => {
    const res = await request(emu.server)
      .get('/')
      .query({ ZoneId: DEMO_ZONE_ID })
      .set('X-TC-Action', 'GetSCIMSynchronizationStatus')
      .set('X-TC-Version', '2021-03-31')
      .set('Authorization', 'SKIP');
    expect(ok(res).SCIMSynchronizationStatus).toBe('Disabled');
  });
});

describe('malformed input never crashes and always gets an envelope', () => {
  test('malformed JSON is InvalidParameter', async () => {
    const res = await tc3('ListSCIMCredentials').set('Content-Type', 'application/json').send('{"ZoneId": ');
    expect(res.headers['content-type']).toBe('application/json');
    expect(errorCode(res)).toBe('InvalidParameter');
  });

  test('a JSON body that is not an object is InvalidParameter', async () => {
    for (const body of ['[]', '"text"', '42', 'null']) {
      const res = await tc3('ListSCIMCredentials').set('Content-Type', 'application/json').send(body);
      expect(errorCode(res)).toBe('InvalidParameter');
    }
  });

  test('an unsupported content type is InvalidParameter', async () => {
    const res = await tc3('ListSCIMCredentials').set('Content-Type', 'text/xml').send('<ZoneId/>');
    expect(errorCode(res)).toBe('InvalidParameter');
    expect(res.body.Response.Error.Message).toContain('text/xml');
  });

  test('a method other than GET or POST is answered with an envelope', async () => {
    const res = await request(emu.server).put('/').send('x');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(errorCode(res)).toBe('UnsupportedProtocol');
  });

  test('a path other than / is answered with an envelope', async () => {
    const res = await request(emu.server).post('/v2/index.php').send('x');
    expect(res.headers['content-type']).toBe('application/json');
    expect(errorCode(res)).toBe('InvalidAction');
  });

  test('an unknown /_emulator path is the control plane\'s 404 with a JSON error, never the API envelope', async () => {
    const res = await request(emu.server).get('/_emulator/nothing');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: expect.any(String) });
  });

  test('SCIM paths are matched without regard to case, as Express did', async () => {
    const res = await request(emu.server).get('/SCIM/V2/ServiceProviderConfig');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/scim+json');
  });

  test('flattened names that conflict are InvalidParameter', async () => {
    const res = await request(emu.server).get('/?Action=ListUsers&Version=2021-03-31&ZoneId=z&FilterGroups=a&FilterGroups.0=b&SecretId=a&Signature=b');
    expect(errorCode(res)).toBe('InvalidParameter');
  });

  test('__proto__ in a flattened name is refused', async () => {
    const res = await request(emu.server).get('/?Action=ListSCIMCredentials&Version=2021-03-31&__proto__.x=1&SecretId=a&Signature=b');
    expect(errorCode(res)).toBe('InvalidParameter');
  });

  test('a GET over 32 KB is RequestSizeLimitExceeded', async () => {
    const res = await request(emu.server).get(`/?Action=ListSCIMCredentials&Version=2021-03-31&ZoneId=${'z'.repeat(33 * 1024)}`);
    expect(errorCode(res)).toBe('RequestSizeLimitExceeded');
  });

  test('a v1 POST over 1 MB is RequestSizeLimitExceeded', async () => {
    const res = await request(emu.server).post('/').type('form').send(`Action=ListSCIMCredentials&Version=2021-03-31&ZoneId=${'z'.repeat(1024 * 1024 + 10)}`);
    expect(errorCode(res)).toBe('RequestSizeLimitExceeded');
  });

  test('headers far beyond any limit still get an envelope', async () => {
    const res = await request(emu.server).get('/').set('X-Padding', 'p'.repeat(300 * 1024));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(errorCode(res)).toBe('RequestSizeLimitExceeded');
  });

  test('a TC3 POST over 10 MB is RequestSizeLimitExceeded', async () => {
    const big = JSON.stringify({ ZoneId: 'z'.repeat(10 * 1024 * 1024 + 10) });
    const res = await tc3('ListSCIMCredentials').set('Content-Type', 'application/json').send(big);
    expect(errorCode(res)).toBe('RequestSizeLimitExceeded');
  });

  test('empty lists are [] and never null or missing', async () => {
    const res = await emu.call('ListSCIMCredentials', { ZoneId: DEMO_ZONE_ID });
    expect(ok(res).SCIMCredentials).toEqual([]);
    expect(ok(res).TotalCounts).toBe(0);
  });
});

describe('authentication (permissive mode)', () => {
  test('an unsigned request is AuthFailure.InvalidAuthorization', async () => {
    const res = await request(emu.server)
      .post('/')
      .set('Content-Type', 'application/json')
      .set('X-TC-Action', 'DescribeIdentityCenter')
      .set('X-TC-Version', '2021-03-31')
      .send('{}');
    expect(errorCode(res)).toBe('AuthFailure.InvalidAuthorization');
  });

  test('a malformed TC3 Authorization is AuthFailure.InvalidAuthorization', async () => {
    const res = await emu.call('DescribeIdentityCenter', {}, { Authorization: 'TC3-HMAC-SHA256 nonsense' });
    expect(errorCode(res)).toBe('AuthFailure.InvalidAuthorization');
  });

  test('any well-formed TC3 Authorization is accepted, whatever the signature', async () => {
    const res = await emu.call('DescribeIdentityCenter', {}, {
      Authorization: 'TC3-HMAC-SHA256 Credential=AKIDunknown/2026-03-01/organization/tc3_request, SignedHeaders=content-type;host, Signature=' + 'ab'.repeat(32),
    });
    expect(ok(res).ZoneId).toBe(DEMO_ZONE_ID);
  });

  test('a v1 request without a Signature is AuthFailure.InvalidAuthorization', async () => {
    const res = await request(emu.server).get('/').query({ Action: 'DescribeIdentityCenter', Version: '2021-03-31', SecretId: 'AKIDX' });
    expect(errorCode(res)).toBe('AuthFailure.InvalidAuthorization');
  });

  test('a v1 SignatureMethod other than HmacSHA1/HmacSHA256 is refused', async () => {
    const res = await request(emu.server)
      .get('/')
      .query({ Action: 'DescribeIdentityCenter', Version: '2021-03-31', SecretId: 'AKIDX', Signature: 's', SignatureMethod: 'MD5' });
    expect(errorCode(res)).toBe('AuthFailure.SignatureFailure');
  });
});

describe('authentication (strict mode)', () => {
  let strict: TestEmulator;
  beforeAll(async () => {
    strict = await testEmulator({ auth: 'strict' });
  });
  afterAll(() => strict.close());

  test('Authorization: SKIP is refused', async () => {
    expect(errorCode(await strict.call('DescribeIdentityCenter'))).toBe('AuthFailure.InvalidAuthorization');
  });

  test('an unknown SecretId is AuthFailure.SecretIdNotFound', async () => {
    const res = await strict.call('DescribeIdentityCenter', {}, {
      Authorization: 'TC3-HMAC-SHA256 Credential=AKIDunknown/2026-03-01/organization/tc3_request, SignedHeaders=content-type;host, Signature=' + 'ab'.repeat(32),
      'X-TC-Timestamp': String(Math.floor(strict.clock.now().getTime() / 1000)),
    });
    expect(errorCode(res)).toBe('AuthFailure.SecretIdNotFound');
  });
});
