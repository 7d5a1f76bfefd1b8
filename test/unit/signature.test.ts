// Signatures here come from the official Node SDK's own code (Sign.sign3, and
// the real CommonClient talking to a capturing HTTP server), so these tests
// pin the verifier to what clients actually send, not to our reading of it.
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import {
  parseTc3Authorization,
  verifyTc3,
  verifyV1,
  type Tc3Authorization,
  type Tc3VerifyInput,
  type V1VerifyInput,
} from '../../src/api/signature/index.js';

// The SDK is CommonJS with `exports.default = Sign`; require() sidesteps ESM/CJS default-interop differences.
const require = createRequire(import.meta.url);

interface Sign3Args {
  method?: string;
  url?: string;
  payload: unknown;
  timestamp: number;
  service: string;
  secretId: string;
  secretKey: string;
  multipart: boolean;
  boundary?: string;
  headers: Record<string, string>;
}
interface SignModule {
  default: { sign(secretKey: string, signStr: string, signMethod: string): string; sign3(args: Sign3Args): string };
}
interface CommonClientCtor {
  new (
    endpoint: string,
    version: string,
    config: {
      credential: { secretId: string; secretKey: string; token?: string };
      region?: string;
      profile?: { signMethod?: string; httpProfile?: { protocol?: string; reqMethod?: string; endpoint?: string } };
    },
  ): { request(action: string, req: unknown): Promise<unknown> };
}

const { default: Sign } = require('tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js') as SignModule;
const { CommonClient } = require('tencentcloud-sdk-nodejs-common/tencentcloud/common/common_client.js') as {
  CommonClient: CommonClientCtor;
};

const SECRET_ID = 'AKIDemulatortest0000000000000000000';
const SECRET_KEY = 'emulatorSecretKey0000000000000000';
const TIMESTAMP = 1_700_000_000; // 2023-11-14 UTC

/** A request as the emulator would see it off the wire, plus what to feed verifyTc3. */
interface SignedTc3 {
  auth: string;
  input: Omit<Tc3VerifyInput, 'authorization'>;
}

/** Signs with the SDK's Sign.sign3 and reproduces what http_connection.js then puts on the wire. */
function sdkTc3(opts: {
  method: 'GET' | 'POST';
  url: string;
  service: string;
  payload?: Record<string, unknown>;
  signedPayload?: Buffer; // overrides what sign3 hashes (UNSIGNED-PAYLOAD)
  contentType?: string;
  extraHeaders?: Record<string, string>;
}): SignedTc3 {
  const contentType =
    opts.contentType ?? (opts.method === 'GET' ? 'application/x-www-form-urlencoded' : 'application/json');
  const url = new URL(opts.url);
  const body = opts.method === 'POST' ? Buffer.from(JSON.stringify(opts.payload ?? {}), 'utf8') : Buffer.alloc(0);
  const auth = Sign.sign3({
    method: opts.method,
    url: opts.url,
    payload: opts.signedPayload ?? (opts.method === 'POST' ? (opts.payload ?? {}) : ''),
    timestamp: TIMESTAMP,
    service: opts.service,
    secretId: SECRET_ID,
    secretKey: SECRET_KEY,
    multipart: false,
    headers: { 'Content-Type': contentType },
  });
  return {
    auth,
    input: {
      method: opts.method,
      canonicalUri: url.pathname,
      rawQueryString: url.search.slice(1),
      headers: {
        // http_connection.js sends Host: new URL(url).host, i.e. WITH the port.
        host: url.host,
        'content-type': contentType,
        'x-tc-action': 'DescribeOrganization',
        'x-tc-timestamp': String(TIMESTAMP),
        'x-tc-version': '2021-03-31',
        ...opts.extraHeaders,
      },
      body,
      timestamp: String(TIMESTAMP),
    },
  };
}

function mustParse(header: string): Tc3Authorization {
  const parsed = parseTc3Authorization(header);
  if (parsed === null) throw new Error(`unparseable Authorization: ${header}`);
  return parsed;
}

function checkTc3(signed: SignedTc3, key = SECRET_KEY, patch: Partial<Tc3VerifyInput> = {}) {
  return verifyTc3({ ...signed.input, authorization: mustParse(signed.auth), ...patch }, key);
}

/**
 * TC3 the way the Python SDK (and tccli, and the Go SDK) computes it:
 * abstract_client.py `_get_tc3_signature`, with the Host header (port included)
 * and `sha256("UNSIGNED-PAYLOAD")` when unsigned; plus the documentation's
 * optional `x-tc-action:<lower-cased action>` header.
 */
function referenceTc3(opts: {
  host: string;
  service: string;
  body: string;
  contentType: string;
  signAction?: string;
  unsigned?: boolean;
}): string {
  const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
  const hmac = (key: string | Buffer, msg: string) => createHmac('sha256', key).update(msg, 'utf8').digest();
  const date = new Date(TIMESTAMP * 1000).toISOString().slice(0, 10);
  let headers = `content-type:${opts.contentType}\nhost:${opts.host}\n`;
  let signedHeaders = 'content-type;host';
  if (opts.signAction !== undefined) {
    headers += `x-tc-action:${opts.signAction.toLowerCase()}\n`;
    signedHeaders += ';x-tc-action';
  }
  const payloadHash = sha(opts.unsigned ? 'UNSIGNED-PAYLOAD' : opts.body);
  const canonical = ['POST', '/', '', headers, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${opts.service}/tc3_request`;
  const toSign = ['TC3-HMAC-SHA256', String(TIMESTAMP), scope, sha(canonical)].join('\n');
  const key = hmac(hmac(hmac(`TC3${SECRET_KEY}`, date), opts.service), 'tc3_request');
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  return `TC3-HMAC-SHA256 Credential=${SECRET_ID}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

const postJson = () =>
  sdkTc3({
    method: 'POST',
    url: 'https://organization.tencentcloudapi.com/',
    service: 'organization',
    payload: { Limit: 10, Offset: 0, Name: '研发部' },
  });

const getWithQuery = () =>
  sdkTc3({
    method: 'GET',
    url: 'https://organization.tencentcloudapi.com/?Limit=10&Offset=0&Filters.0.Name=%E5%90%8D%E5%AD%97&Tag=a%20b',
    service: 'organization',
  });

describe('parseTc3Authorization', () => {
  test('parses the header the SDKs send', () => {
    expect(
      parseTc3Authorization(
        `TC3-HMAC-SHA256 Credential=${SECRET_ID}/2023-11-14/organization/tc3_request, SignedHeaders=content-type;host, Signature=${'ab'.repeat(32)}`,
      ),
    ).toEqual({
      algorithm: 'TC3-HMAC-SHA256',
      secretId: SECRET_ID,
      date: '2023-11-14',
      service: 'organization',
      credentialScope: '2023-11-14/organization/tc3_request',
      signedHeadersRaw: 'content-type;host',
      signedHeaders: ['content-type', 'host'],
      signature: 'ab'.repeat(32),
    });
  });

  test('tolerates no space or several spaces after the commas', () => {
    const sig = 'cd'.repeat(32);
    for (const sep of [',', ', ', ',   ', ' , ']) {
      const parsed = parseTc3Authorization(
        `TC3-HMAC-SHA256 Credential=id/2023-11-14/127/tc3_request${sep}SignedHeaders=content-type;host${sep}Signature=${sig}`,
      );
      expect(parsed?.service).toBe('127');
      expect(parsed?.signature).toBe(sig);
    }
  });

  test('keeps a service containing a port as the client wrote it', () => {
    expect(
      parseTc3Authorization(
        `TC3-HMAC-SHA256 Credential=id/2023-11-14/localhost:9000/tc3_request, SignedHeaders=content-type;host, Signature=${'0'.repeat(64)}`,
      )?.service,
    ).toBe('localhost:9000');
  });

  const good = {
    cred: 'Credential=id/2023-11-14/organization/tc3_request',
    sh: 'SignedHeaders=content-type;host',
    sig: `Signature=${'a'.repeat(64)}`,
  };
  test.each<[string, string]>([
    ['empty string', ''],
    ['algorithm only', 'TC3-HMAC-SHA256'],
    ['another algorithm', `HMAC-SHA256 ${good.cred}, ${good.sh}, ${good.sig}`],
    ['lower-case algorithm', `tc3-hmac-sha256 ${good.cred}, ${good.sh}, ${good.sig}`],
    ['missing Credential', `TC3-HMAC-SHA256 ${good.sh}, ${good.sig}`],
    ['missing SignedHeaders', `TC3-HMAC-SHA256 ${good.cred}, ${good.sig}`],
    ['missing Signature', `TC3-HMAC-SHA256 ${good.cred}, ${good.sh}`],
    ['duplicated field', `TC3-HMAC-SHA256 ${good.cred}, ${good.cred}, ${good.sh}, ${good.sig}`],
    ['unknown field', `TC3-HMAC-SHA256 ${good.cred}, ${good.sh}, ${good.sig}, Extra=1`],
    ['field without =', `TC3-HMAC-SHA256 ${good.cred}, SignedHeaders, ${good.sig}`],
    ['scope not ending in tc3_request', `TC3-HMAC-SHA256 Credential=id/2023-11-14/organization/aws4_request, ${good.sh}, ${good.sig}`],
    ['scope with too few parts', `TC3-HMAC-SHA256 Credential=id/2023-11-14/tc3_request, ${good.sh}, ${good.sig}`],
    ['scope with too many parts', `TC3-HMAC-SHA256 Credential=id/2023-11-14/a/b/tc3_request, ${good.sh}, ${good.sig}`],
    ['empty SecretId', `TC3-HMAC-SHA256 Credential=/2023-11-14/organization/tc3_request, ${good.sh}, ${good.sig}`],
    ['empty service', `TC3-HMAC-SHA256 Credential=id/2023-11-14//tc3_request, ${good.sh}, ${good.sig}`],
    ['date without dashes', `TC3-HMAC-SHA256 Credential=id/20231114/organization/tc3_request, ${good.sh}, ${good.sig}`],
    ['date that does not exist', `TC3-HMAC-SHA256 Credential=id/2023-02-30/organization/tc3_request, ${good.sh}, ${good.sig}`],
    ['empty SignedHeaders', `TC3-HMAC-SHA256 ${good.cred}, SignedHeaders=, ${good.sig}`],
    ['empty header name in SignedHeaders', `TC3-HMAC-SHA256 ${good.cred}, SignedHeaders=content-type;;host, ${good.sig}`],
    ['non-hex signature', `TC3-HMAC-SHA256 ${good.cred}, ${good.sh}, Signature=${'z'.repeat(64)}`],
    ['empty signature', `TC3-HMAC-SHA256 ${good.cred}, ${good.sh}, Signature=`],
  ])('returns null for %s', (_name, header) => {
    expect(parseTc3Authorization(header)).toBeNull();
  });
});

describe('verifyTc3 accepts what the official Node SDK signs', () => {
  test('POST with a JSON body', () => {
    expect(checkTc3(postJson())).toEqual({ ok: true });
  });

  test('GET with the query string signed as received (not re-sorted or re-encoded)', () => {
    expect(checkTc3(getWithQuery())).toEqual({ ok: true });
  });

  test('Host header with a port, though the Node SDK signed the host without it', () => {
    const signed = sdkTc3({
      method: 'POST',
      url: 'http://localhost:9000/',
      service: 'localhost:9000', // endpoint.split('.')[0]
      payload: { Limit: 1 },
    });
    expect(signed.input.headers['host']).toBe('localhost:9000');
    expect(checkTc3(signed)).toEqual({ ok: true });
  });

  test('service "127" taken from the credential scope of an SDK pointed at 127.0.0.1', () => {
    const signed = sdkTc3({ method: 'POST', url: 'http://127.0.0.1:9000/', service: '127', payload: {} });
    expect(mustParse(signed.auth).service).toBe('127');
    expect(checkTc3(signed)).toEqual({ ok: true });
  });

  test('UNSIGNED-PAYLOAD: the SDKs hash the marker, so any body verifies', () => {
    const signed = sdkTc3({
      method: 'POST',
      url: 'http://127.0.0.1:9000/',
      service: '127',
      payload: { Name: 'real body' },
      signedPayload: Buffer.from('UNSIGNED-PAYLOAD'),
      extraHeaders: { 'x-tc-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    expect(checkTc3(signed)).toEqual({ ok: true });
    expect(checkTc3(signed, SECRET_KEY, { body: Buffer.from('{"Name":"other body"}') })).toEqual({ ok: true });
    // Without the header the body is hashed, and it is not the marker.
    const { 'x-tc-content-sha256': _dropped, ...headers } = signed.input.headers;
    expect(checkTc3(signed, SECRET_KEY, { headers })).toEqual({ ok: false, reason: 'bad-signature' });
  });
});

describe('verifyTc3 accepts the other clients’ conventions', () => {
  const body = JSON.stringify({ Limit: 10 });
  const input = (auth: string, headers: Record<string, string>): Tc3VerifyInput => ({
    method: 'POST',
    canonicalUri: '/',
    rawQueryString: '',
    headers: { 'x-tc-timestamp': String(TIMESTAMP), ...headers },
    body: Buffer.from(body),
    authorization: mustParse(auth),
    timestamp: TIMESTAMP,
  });

  test('Host signed with its port (Python/Go SDKs, tccli)', () => {
    const auth = referenceTc3({ host: '127.0.0.1:9000', service: 'organization', body, contentType: 'application/json' });
    expect(verifyTc3(input(auth, { host: '127.0.0.1:9000', 'content-type': 'application/json' }), SECRET_KEY)).toEqual({
      ok: true,
    });
  });

  test('Python/Go UNSIGNED-PAYLOAD', () => {
    const auth = referenceTc3({ host: 'localhost:9000', service: 'organization', body, contentType: 'application/json', unsigned: true });
    const headers = { host: 'localhost:9000', 'content-type': 'application/json', 'x-tc-content-sha256': 'UNSIGNED-PAYLOAD' };
    expect(verifyTc3(input(auth, headers), SECRET_KEY)).toEqual({ ok: true });
  });

  test('x-tc-action signed lower-cased, as the API documentation does, while sent in its real case', () => {
    const auth = referenceTc3({
      host: 'organization.tencentcloudapi.com',
      service: 'organization',
      body,
      contentType: 'application/json; charset=utf-8',
      signAction: 'DescribeOrganization',
    });
    const headers = {
      host: 'organization.tencentcloudapi.com',
      'content-type': 'application/json; charset=utf-8',
      'x-tc-action': 'DescribeOrganization',
    };
    expect(mustParse(auth).signedHeaders).toEqual(['content-type', 'host', 'x-tc-action']);
    expect(verifyTc3(input(auth, headers), SECRET_KEY)).toEqual({ ok: true });
    // ...and x-tc-action is then really covered.
    expect(verifyTc3(input(auth, { ...headers, 'x-tc-action': 'DeleteOrganization' }), SECRET_KEY)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  test('header value signed verbatim with upper-case letters (SDK given a custom Content-Type)', () => {
    const signed = sdkTc3({
      method: 'POST',
      url: 'https://organization.tencentcloudapi.com/',
      service: 'organization',
      payload: {},
      contentType: 'application/json; charset=UTF-8',
    });
    expect(checkTc3(signed)).toEqual({ ok: true });
  });
});

describe('verifyTc3 rejects tampering', () => {
  const bad = { ok: false, reason: 'bad-signature' };

  test('wrong secret key', () => {
    expect(checkTc3(postJson(), 'anotherSecretKey')).toEqual(bad);
  });

  test('body changed by one byte', () => {
    const signed = postJson();
    const body = Buffer.from(signed.input.body);
    body[body.length - 2] = (body[body.length - 2] as number) ^ 0x01;
    expect(checkTc3(signed, SECRET_KEY, { body })).toEqual(bad);
  });

  test('signed header value changed (content-type)', () => {
    const signed = postJson();
    expect(
      checkTc3(signed, SECRET_KEY, { headers: { ...signed.input.headers, 'content-type': 'application/x-www-form-urlencoded' } }),
    ).toEqual(bad);
  });

  test('signed header value changed (host)', () => {
    const signed = postJson();
    expect(checkTc3(signed, SECRET_KEY, { headers: { ...signed.input.headers, host: 'cvm.tencentcloudapi.com' } })).toEqual(bad);
  });

  test('Host with a different port than a port-signing client used', () => {
    const body = '{}';
    const auth = referenceTc3({ host: '127.0.0.1:9000', service: '127', body, contentType: 'application/json' });
    const result = verifyTc3(
      {
        method: 'POST',
        canonicalUri: '/',
        rawQueryString: '',
        headers: { host: '127.0.0.1:9001', 'content-type': 'application/json' },
        body: Buffer.from(body),
        authorization: mustParse(auth),
        timestamp: TIMESTAMP,
      },
      SECRET_KEY,
    );
    expect(result).toEqual(bad);
  });

  test('different query string', () => {
    const signed = getWithQuery();
    expect(checkTc3(signed, SECRET_KEY, { rawQueryString: signed.input.rawQueryString.replace('Limit=10', 'Limit=11') })).toEqual(bad);
  });

  test('same query parameters in another order', () => {
    const signed = getWithQuery();
    const reordered = signed.input.rawQueryString.split('&').reverse().join('&');
    expect(checkTc3(signed, SECRET_KEY, { rawQueryString: reordered })).toEqual(bad);
  });

  test('different timestamp', () => {
    expect(checkTc3(postJson(), SECRET_KEY, { timestamp: String(TIMESTAMP + 1) })).toEqual(bad);
  });

  test('different method', () => {
    expect(checkTc3(postJson(), SECRET_KEY, { method: 'PUT' })).toEqual(bad);
  });

  test('credential scope service changed', () => {
    const signed = postJson();
    expect(checkTc3({ ...signed, auth: signed.auth.replace('/organization/', '/cam/') })).toEqual(bad);
  });

  test('credential scope date changed: refused as not the timestamp\'s UTC date', () => {
    const signed = postJson();
    expect(checkTc3({ ...signed, auth: signed.auth.replace('/2023-11-14/', '/2023-11-15/') })).toEqual({ ok: false, reason: 'scope-date' });
  });

  test('signature of a different length', () => {
    const signed = postJson();
    expect(checkTc3({ ...signed, auth: signed.auth.slice(0, -2) })).toEqual(bad);
    expect(checkTc3({ ...signed, auth: `${signed.auth}00` })).toEqual(bad);
  });

  test('a signed header missing from the request is malformed', () => {
    const signed = postJson();
    const { 'content-type': _dropped, ...headers } = signed.input.headers;
    expect(checkTc3(signed, SECRET_KEY, { headers })).toEqual({ ok: false, reason: 'malformed' });
  });

  test('an empty timestamp is malformed', () => {
    expect(checkTc3(postJson(), SECRET_KEY, { timestamp: '' })).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('verifyV1', () => {
  /** Signs the way abstract_client.js formatSignString + Sign.sign do, for hand-picked params. */
  function sdkV1(method: string, host: string, params: Record<string, string>, signMethod: string): Record<string, string> {
    const keys = Object.keys(params).sort();
    const signStr = `${method}${host}/?${keys.map((k) => `${k}=${params[k]}`).join('&')}`;
    return { ...params, Signature: Sign.sign(SECRET_KEY, signStr, signMethod) };
  }
  const base = (signMethod: string): Record<string, string> => ({
    Action: 'DescribeOrganization',
    Nonce: '12345',
    Timestamp: String(TIMESTAMP),
    Version: '2021-03-31',
    SecretId: SECRET_ID,
    RequestClient: 'SDK_NODEJS_4.1.220',
    SignatureMethod: signMethod,
  });
  const check = (params: Record<string, string>, patch: Partial<V1VerifyInput> = {}, key = SECRET_KEY) =>
    verifyV1({ method: 'POST', host: '127.0.0.1:9000', path: '/', params, ...patch }, key);

  test('HmacSHA256 over flattened Filters.0.Name keys (no "." → "_" rewriting) and Chinese values', () => {
    const params = sdkV1(
      'POST',
      '127.0.0.1:9000',
      { ...base('HmacSHA256'), Region: 'ap-guangzhou', 'Filters.0.Name': '名称', 'Filters.0.Values.0': '研发 部&=' },
      'HmacSHA256',
    );
    expect(check(params)).toEqual({ ok: true });
  });

  test('Python-style keys: "_" signed as "."', () => {
    const signedAs = { ...base('HmacSHA1'), 'Some.Key': 'v' };
    const { Signature } = sdkV1('POST', '127.0.0.1:9000', signedAs, 'HmacSHA1');
    const { 'Some.Key': _dotted, ...rest } = signedAs;
    expect(check({ ...rest, Some_Key: 'v', Signature })).toEqual({ ok: true });
  });

  test('SignatureMethod absent defaults to HmacSHA1', () => {
    const { SignatureMethod: _m, ...params } = base('HmacSHA1');
    expect(check(sdkV1('GET', '127.0.0.1:9000', params, 'HmacSHA1'), { method: 'GET' })).toEqual({ ok: true });
  });

  test('keys are sorted by byte order, not locale (upper case before lower case)', () => {
    const params = sdkV1('POST', '127.0.0.1:9000', { ...base('HmacSHA1'), aLower: '1', Zeta: '2', _under: '3' }, 'HmacSHA1');
    expect(check(params)).toEqual({ ok: true });
  });

  const bad = { ok: false, reason: 'bad-signature' };
  const signed = () => sdkV1('POST', '127.0.0.1:9000', { ...base('HmacSHA256'), 'Filters.0.Name': '名称' }, 'HmacSHA256');

  test('rejects a wrong secret key', () => {
    expect(check(signed(), {}, 'anotherSecretKey')).toEqual(bad);
  });
  test('rejects a changed parameter value', () => {
    expect(check({ ...signed(), 'Filters.0.Name': '名字' })).toEqual(bad);
  });
  test('rejects an added parameter, even an empty one', () => {
    expect(check({ ...signed(), Region: '' })).toEqual(bad);
  });
  test('rejects another host or method', () => {
    expect(check(signed(), { host: '127.0.0.1' })).toEqual(bad);
    expect(check(signed(), { method: 'GET' })).toEqual(bad);
  });
  test('rejects a SignatureMethod switched after signing', () => {
    expect(check({ ...signed(), SignatureMethod: 'HmacSHA1' })).toEqual(bad);
  });
  test('rejects a truncated signature', () => {
    const params = signed();
    expect(check({ ...params, Signature: (params['Signature'] as string).slice(0, -4) })).toEqual(bad);
  });
  test('reports an unknown SignatureMethod distinctly', () => {
    expect(check({ ...signed(), SignatureMethod: 'HmacMD5' })).toEqual({ ok: false, reason: 'unsupported-method' });
    expect(check({ ...signed(), SignatureMethod: 'hmacsha256' })).toEqual({ ok: false, reason: 'unsupported-method' });
  });
  test('reports a missing Signature as malformed', () => {
    const { Signature: _s, ...params } = signed();
    expect(check(params)).toEqual({ ok: false, reason: 'malformed' });
  });
});

// The real SDK client against a capturing server: proves the verifier accepts the
// bytes that actually go over the wire (Host with port, node-fetch encoding, ...).
describe('requests sent by the real Node SDK client verify', () => {
  interface Captured {
    method: string;
    url: string;
    headers: IncomingHttpHeaders;
    body: Buffer;
  }
  let server: Server;
  let endpoint: string;
  let captured: Captured[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        captured.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ Response: { RequestId: 'captured' } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    captured = [];
  });

  async function send(signMethod: string, reqMethod: string, req: unknown): Promise<Captured> {
    const client = new CommonClient(endpoint, '2021-03-31', {
      credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
      region: 'ap-guangzhou',
      profile: { signMethod, httpProfile: { protocol: 'http://', reqMethod } },
    });
    await client.request('DescribeOrganization', req);
    expect(captured).toHaveLength(1);
    return captured[0] as Captured;
  }

  function tc3Of(c: Captured): Tc3VerifyInput {
    const q = c.url.indexOf('?');
    return {
      method: c.method,
      canonicalUri: q < 0 ? c.url : c.url.slice(0, q),
      rawQueryString: q < 0 ? '' : c.url.slice(q + 1),
      headers: c.headers,
      body: c.body,
      authorization: mustParse(String(c.headers['authorization'])),
      timestamp: String(c.headers['x-tc-timestamp']),
    };
  }

  function v1Of(c: Captured): V1VerifyInput {
    const q = c.url.indexOf('?');
    const form = c.method === 'GET' ? c.url.slice(q + 1) : c.body.toString('utf8');
    return {
      method: c.method,
      host: String(c.headers['host']),
      path: q < 0 ? c.url : c.url.slice(0, q),
      params: Object.fromEntries(new URLSearchParams(form)),
    };
  }

  test('TC3 POST JSON (service "127", Host with port)', async () => {
    const c = await send('TC3-HMAC-SHA256', 'POST', { Name: '研发部', Filters: [{ Name: 'a', Values: ['b c'] }] });
    const input = tc3Of(c);
    expect(input.authorization.service).toBe('127');
    expect(c.headers['host']).toBe(endpoint);
    expect(verifyTc3(input, SECRET_KEY)).toEqual({ ok: true });
    expect(verifyTc3(input, 'anotherSecretKey')).toEqual({ ok: false, reason: 'bad-signature' });
  });

  test('TC3 GET with a flattened, percent-encoded query', async () => {
    const c = await send('TC3-HMAC-SHA256', 'GET', { Name: '研发部', Filters: [{ Name: 'a', Values: ["b c'd"] }] });
    const input = tc3Of(c);
    expect(input.rawQueryString).toContain('Filters.0.Values.0=');
    expect(verifyTc3(input, SECRET_KEY)).toEqual({ ok: true });
  });

  test('v1 HmacSHA1 GET', async () => {
    const c = await send('HmacSHA1', 'GET', { Limit: 10 });
    const input = v1Of(c);
    expect(input.params['SignatureMethod']).toBe('HmacSHA1');
    expect(input.params['Region']).toBe('ap-guangzhou');
    expect(verifyV1(input, SECRET_KEY)).toEqual({ ok: true });
    expect(verifyV1(input, 'anotherSecretKey')).toEqual({ ok: false, reason: 'bad-signature' });
  });

  test('v1 HmacSHA256 POST with Filters.0.Name and Chinese values', async () => {
    const c = await send('HmacSHA256', 'POST', {
      Filters: [{ Name: '部门名称', Values: ['研发 & 测试', 'x=y'] }],
      Empty: '',
    });
    const input = v1Of(c);
    expect(input.params['Filters.0.Name']).toBe('部门名称');
    expect(input.params['Empty']).toBe('');
    expect(verifyV1(input, SECRET_KEY)).toEqual({ ok: true });
    expect(verifyV1({ ...input, params: { ...input.params, 'Filters.0.Values.1': 'x=z' } }, SECRET_KEY)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });
});
