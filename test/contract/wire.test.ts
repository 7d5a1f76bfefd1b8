// The HTTP contract seen by a client with no SDK at all (plain fetch): every
// answer of the API surface is HTTP 200, `Content-Type: application/json`
// exactly, and a {"Response": {...}} envelope; oversized requests are refused
// without taking the server down.
import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import { createLogger } from '../../src/runtime/logger.js';
import { DEMO_ZONE_ID } from '../helpers/api.js';
import { API_VERSION, UUID, startLiveEmulator, tcTimeMs, type LiveEmulator } from '../helpers/live-emulator.js';

const MB = 1024 * 1024;
const CHINESE = /[\u4e00-\u9fff]/;

interface Envelope {
  Response: Record<string, unknown> & { RequestId: string; Error?: { Code: string; Message: string } };
}

/**
 * Asserts the parts of the contract every API answer shares and returns the
 * parsed body: HTTP 200, exactly `application/json`, a JSON object with a
 * Response carrying a UUID RequestId, and either an {Code, Message} Error or none.
 */
async function envelope(res: Response): Promise<Envelope> {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json');
  const text = await res.text();
  expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
  const body = JSON.parse(text) as Envelope;
  expect(Object.keys(body)).toEqual(['Response']);
  expect(body.Response.RequestId).toMatch(UUID);
  if (body.Response.Error) {
    expect(Object.keys(body.Response).sort()).toEqual(['Error', 'RequestId']);
    expect(Object.keys(body.Response.Error).sort()).toEqual(['Code', 'Message']);
    expect(typeof body.Response.Error.Code).toBe('string');
    expect(body.Response.Error.Message).not.toBe('');
  }
  return body;
}

/** The error code of an envelope, or null for a success. */
const codeOf = (body: Envelope) => body.Response.Error?.Code ?? null;

/** API 3.0 headers for an unsigned (permissive-mode) call. */
const tc3Headers = (action: string, extra: Record<string, string> = {}) => ({
  'X-TC-Action': action,
  'X-TC-Version': API_VERSION,
  Authorization: 'SKIP',
  ...extra,
});

function tc3Post(live: LiveEmulator, action: string, body: string | Buffer, headers: Record<string, string> = {}) {
  return fetch(`${live.url}/`, {
    method: 'POST',
    headers: tc3Headers(action, { 'Content-Type': 'application/json', ...headers }),
    body,
  });
}

function v1Get(live: LiveEmulator, params: Record<string, string>, headers: Record<string, string> = {}) {
  const query = new URLSearchParams({ Version: API_VERSION, SecretId: 'AKIDANY', Signature: 'unchecked', ...params });
  return fetch(`${live.url}/?${query}`, { headers });
}

/** A body stream with no Content-Length (chunked): the limit must be enforced while reading. */
function chunkedBody(totalBytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      const size = Math.min(MB, totalBytes - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
  });
}

describe('every API answer is HTTP 200, exactly application/json, with a JSON envelope', () => {
  let live: LiveEmulator;
  beforeAll(async () => {
    live = await startLiveEmulator();
  });
  afterAll(() => live.close());

  const cases: [string, (live: LiveEmulator) => Promise<Response>, string | null][] = [
    ['a success', (l) => tc3Post(l, 'DescribeIdentityCenter', '{}'), null],
    ['a domain error', (l) => tc3Post(l, 'ListSCIMCredentials', JSON.stringify({ ZoneId: 'z-nosuchzone00' })), 'FailedOperation.ZoneIdNotExist'],
    ['an unknown action', (l) => tc3Post(l, 'NoSuchAction', '{}'), 'InvalidAction'],
    [
      'an unknown API version',
      (l) => tc3Post(l, 'DescribeIdentityCenter', '{}', { 'X-TC-Version': '2018-12-25' }),
      'NoSuchVersion',
    ],
    ['malformed JSON', (l) => tc3Post(l, 'DescribeIdentityCenter', '{"ZoneId": '), 'InvalidParameter'],
    ['a JSON body that is not an object', (l) => tc3Post(l, 'DescribeIdentityCenter', '[]'), 'InvalidParameter'],
    [
      'Content-Type text/plain',
      (l) => tc3Post(l, 'DescribeIdentityCenter', '{}', { 'Content-Type': 'text/plain' }),
      'InvalidParameter',
    ],
    [
      'an unknown parameter',
      (l) => tc3Post(l, 'ListSCIMCredentials', JSON.stringify({ ZoneId: DEMO_ZONE_ID, Bogus: 1 })),
      'UnknownParameter',
    ],
    ['a missing required parameter', (l) => tc3Post(l, 'ListSCIMCredentials', '{}'), 'MissingParameter'],
    [
      'an unknown path',
      (l) => fetch(`${l.url}/v2/organization`, { method: 'POST', headers: tc3Headers('DescribeIdentityCenter'), body: '{}' }),
      'InvalidAction',
    ],
    [
      'the PUT method',
      (l) => fetch(`${l.url}/`, { method: 'PUT', headers: tc3Headers('DescribeIdentityCenter', { 'Content-Type': 'application/json' }), body: '{}' }),
      'UnsupportedProtocol',
    ],
    ['the DELETE method', (l) => fetch(`${l.url}/`, { method: 'DELETE', headers: tc3Headers('DescribeIdentityCenter') }), 'UnsupportedProtocol'],
    ['GET / with no parameters at all', (l) => fetch(`${l.url}/`), 'MissingParameter'],
    [
      'no Authorization header',
      (l) =>
        fetch(`${l.url}/`, {
          method: 'POST',
          headers: { 'X-TC-Action': 'DescribeIdentityCenter', 'X-TC-Version': API_VERSION, 'Content-Type': 'application/json' },
          body: '{}',
        }),
      'AuthFailure.InvalidAuthorization',
    ],
    [
      'a malformed Authorization header',
      (l) => tc3Post(l, 'DescribeIdentityCenter', '{}', { Authorization: 'Bearer nope' }),
      'AuthFailure.InvalidAuthorization',
    ],
    [
      'a v1 request with an unsupported SignatureMethod',
      (l) => v1Get(l, { Action: 'DescribeIdentityCenter', SignatureMethod: 'HmacMD5' }),
      'AuthFailure.SignatureFailure',
    ],
  ];

  test.each(cases)('%s', async (_name, send, expected) => {
    expect(codeOf(await envelope(await send(live)))).toBe(expected);
  });
});

describe('oversized requests', () => {
  let live: LiveEmulator;
  beforeAll(async () => {
    live = await startLiveEmulator();
  });
  afterAll(() => live.close());

  const cases: [string, (live: LiveEmulator) => Promise<Response>][] = [
    ['a TC3 POST body over 10 MB with a Content-Length', (l) => tc3Post(l, 'DescribeIdentityCenter', Buffer.alloc(10 * MB + 1, 0x20))],
    [
      'a chunked TC3 POST body over 10 MB (no Content-Length)',
      (l) =>
        fetch(`${l.url}/`, {
          method: 'POST',
          headers: tc3Headers('DescribeIdentityCenter', { 'Content-Type': 'application/json' }),
          body: chunkedBody(11 * MB),
          duplex: 'half',
        } as RequestInit),
    ],
    [
      'a v1 form POST body over 1 MB',
      (l) =>
        fetch(`${l.url}/`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: `Action=DescribeIdentityCenter&Version=${API_VERSION}&Pad=${'a'.repeat(MB)}`,
        }),
    ],
    ['a GET URL over 32 KB', (l) => v1Get(l, { Action: 'DescribeIdentityCenter', Pad: 'a'.repeat(33 * 1024) })],
    [
      'request headers over 256 KB (refused by the HTTP parser itself)',
      (l) => tc3Post(l, 'DescribeIdentityCenter', '{}', { 'X-Padding': 'a'.repeat(300 * 1024) }),
    ],
  ];

  test.each(cases)('%s: RequestSizeLimitExceeded, connection closed, and the server keeps serving', async (_name, send) => {
    const res = await send(live);
    expect(res.headers.get('connection')).toBe('close');
    expect(codeOf(await envelope(res))).toBe('RequestSizeLimitExceeded');
    expect(codeOf(await envelope(await tc3Post(live, 'DescribeIdentityCenter', '{}')))).toBeNull();
  });

  test('a TC3 POST body of just under 10 MB is read in full (and then judged on its content)', async () => {
    const body = `{"Pad": "${'a'.repeat(10 * MB - 20)}"}`;
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(10 * MB);
    expect(codeOf(await envelope(await tc3Post(live, 'DescribeIdentityCenter', body)))).toBe('UnknownParameter');
  });

  test('a client that hangs up in the middle of an oversized body does not take the server down', async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(live.port, '127.0.0.1', () => {
        socket.write(
          'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-TC-Action: DescribeIdentityCenter\r\n' +
            `X-TC-Version: ${API_VERSION}\r\nAuthorization: SKIP\r\nContent-Type: application/json\r\n` +
            'Transfer-Encoding: chunked\r\n\r\n',
        );
        const size = 12 * MB;
        socket.write(`${size.toString(16)}\r\n`);
        socket.write(Buffer.alloc(size, 0x20), () => socket.destroy());
      });
      socket.on('error', () => resolve()); // EPIPE / ECONNRESET once the server closes its side
      socket.on('close', () => resolve());
    });
    expect(codeOf(await envelope(await tc3Post(live, 'DescribeIdentityCenter', '{}')))).toBeNull();
  });
});

describe('headers and language', () => {
  let live: LiveEmulator;
  beforeAll(async () => {
    live = await startLiveEmulator();
  });
  afterAll(() => live.close());

  test.each([
    ['a success', (l: LiveEmulator, h: Record<string, string>) => tc3Post(l, 'DescribeIdentityCenter', '{}', h)],
    ['a domain error', (l: LiveEmulator, h: Record<string, string>) => tc3Post(l, 'GetSCIMSynchronizationStatus', '{"ZoneId":"z-x"}', h)],
    ['malformed JSON', (l: LiveEmulator, h: Record<string, string>) => tc3Post(l, 'DescribeIdentityCenter', '{', h)],
    ['a v1 GET', (l: LiveEmulator, h: Record<string, string>) => v1Get(l, { Action: 'DescribeIdentityCenter' }, h)],
  ])('X-TC-TraceId is echoed on %s', async (_name, send) => {
    const traceId = `trace-${Math.random().toString(36).slice(2)}`;
    const res = await send(live, { 'X-TC-TraceId': traceId });
    expect(res.headers.get('x-tc-traceid')).toBe(traceId);
    await envelope(res);
  });

  test('without X-TC-TraceId the response carries none', async () => {
    const res = await tc3Post(live, 'DescribeIdentityCenter', '{}');
    expect(res.headers.get('x-tc-traceid')).toBeNull();
  });

  test('X-TC-Language zh-CN gives a Chinese message and the same error code', async () => {
    const params = JSON.stringify({ ZoneId: 'z-nosuchzone00' });
    const zh = await envelope(await tc3Post(live, 'ListSCIMCredentials', params, { 'X-TC-Language': 'zh-CN' }));
    const en = await envelope(await tc3Post(live, 'ListSCIMCredentials', params));
    expect(zh.Response.Error!.Code).toBe('FailedOperation.ZoneIdNotExist');
    expect(en.Response.Error!.Code).toBe('FailedOperation.ZoneIdNotExist');
    expect(zh.Response.Error!.Message).toMatch(CHINESE);
    expect(en.Response.Error!.Message).not.toMatch(CHINESE);
  });

  test('the v1 Language=zh-CN parameter gives a Chinese message', async () => {
    const body = await envelope(await v1Get(live, { Action: 'ListSCIMCredentials', ZoneId: 'z-nosuchzone00', Language: 'zh-CN' }));
    expect(body.Response.Error!.Message).toMatch(CHINESE);
  });

  test('X-TC-Language zh-CN applies to authentication errors', async () => {
    const res = await fetch(`${live.url}/`, {
      method: 'POST',
      headers: { 'X-TC-Action': 'DescribeIdentityCenter', 'X-TC-Version': API_VERSION, 'X-TC-Language': 'zh-CN', 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect((await envelope(res)).Response.Error!.Message).toMatch(CHINESE);
  });

  test.each([
    ['malformed JSON', (l: LiveEmulator) => tc3Post(l, 'DescribeIdentityCenter', '{', { 'X-TC-Language': 'zh-CN' })],
    [
      'an unsupported Content-Type',
      (l: LiveEmulator) => tc3Post(l, 'DescribeIdentityCenter', '{}', { 'X-TC-Language': 'zh-CN', 'Content-Type': 'text/plain' }),
    ],
    [
      'the PUT method',
      (l: LiveEmulator) =>
        fetch(`${l.url}/`, { method: 'PUT', headers: tc3Headers('DescribeIdentityCenter', { 'X-TC-Language': 'zh-CN' }) }),
    ],
    [
      'a TC3 POST body over 10 MB',
      (l: LiveEmulator) => tc3Post(l, 'DescribeIdentityCenter', Buffer.alloc(10 * MB + 1, 0x20), { 'X-TC-Language': 'zh-CN' }),
    ],
  ])('X-TC-Language zh-CN applies to %s', async (_name, send) => {
    expect((await envelope(await send(live))).Response.Error!.Message).toMatch(CHINESE);
  });

  test('a zh-CN schema validation message has no English fragments besides the parameter name', async () => {
    const res = await tc3Post(live, 'CreateSCIMCredential', JSON.stringify({ ZoneId: DEMO_ZONE_ID, ExpireDuration: 'soon' }), {
      'X-TC-Language': 'zh-CN',
    });
    const body = await envelope(res);
    expect(body.Response.Error!.Code).toBe('InvalidParameter');
    const outsideNames = body.Response.Error!.Message.replace(/`[^`]*`/g, '');
    expect(outsideNames).not.toMatch(/[A-Za-z]{2,}/);
  });
});

describe('response bodies', () => {
  let live: LiveEmulator;
  beforeAll(async () => {
    live = await startLiveEmulator();
  });
  afterAll(() => live.close());

  test('a zone without SCIM credentials lists SCIMCredentials as [] with TotalCounts 0', async () => {
    const res = await tc3Post(live, 'ListSCIMCredentials', JSON.stringify({ ZoneId: DEMO_ZONE_ID }));
    const text = await res.clone().text();
    expect(text).toContain('"SCIMCredentials":[]');
    expect((await envelope(res)).Response).toMatchObject({ TotalCounts: 0, SCIMCredentials: [] });
    const v1 = await envelope(await v1Get(live, { Action: 'ListSCIMCredentials', ZoneId: DEMO_ZONE_ID }));
    expect(v1.Response.SCIMCredentials).toEqual([]);
  });

  test('ExpireDuration as a JSON string is InvalidParameter: JSON bodies are not coerced', async () => {
    const body = await envelope(
      await tc3Post(live, 'CreateSCIMCredential', JSON.stringify({ ZoneId: DEMO_ZONE_ID, ExpireDuration: '3600' })),
    );
    expect(codeOf(body)).toBe('InvalidParameter');
    expect(body.Response.Error!.Message).toContain('ExpireDuration');
  });

  test('ExpireDuration=3600 in a TC3 GET query string is coerced to an integer', async () => {
    const query = new URLSearchParams({ ZoneId: DEMO_ZONE_ID, ExpireDuration: '3600' });
    const res = await fetch(`${live.url}/?${query}`, { headers: tc3Headers('CreateSCIMCredential') });
    const created = (await envelope(res)).Response as Record<string, string>;
    expect(created.CredentialId).toMatch(/^scimcred-[a-z0-9]{12}$/);
    expect(tcTimeMs(created.ExpireTime!) - tcTimeMs(created.CreateTime!)).toBe(3600 * 1000);
  });

  test('ExpireDuration=7200 in a v1 form body is coerced to an integer', async () => {
    const form = new URLSearchParams({
      Action: 'CreateSCIMCredential',
      Version: API_VERSION,
      SecretId: 'AKIDANY',
      Signature: 'unchecked',
      ZoneId: DEMO_ZONE_ID,
      ExpireDuration: '7200',
    });
    const res = await fetch(`${live.url}/`, { method: 'POST', body: form });
    const created = (await envelope(res)).Response as Record<string, string>;
    expect(tcTimeMs(created.ExpireTime!) - tcTimeMs(created.CreateTime!)).toBe(7200 * 1000);
  });

  test('the created credentials are listed without any secret field', async () => {
    const res = await tc3Post(live, 'ListSCIMCredentials', JSON.stringify({ ZoneId: DEMO_ZONE_ID }));
    const body = await envelope(res);
    expect(body.Response.TotalCounts).toBe(2);
    expect(JSON.stringify(body)).not.toMatch(/Secret/i);
  });
});

describe('logging of client disconnects', () => {
  const lines: string[] = [];
  let live: LiveEmulator;
  beforeAll(async () => {
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    live = await startLiveEmulator({ logger: createLogger('info', sink) });
  });
  afterAll(() => live.close());

  test('a client that hangs up in the middle of a small body is not logged as an unhandled error', async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(live.port, '127.0.0.1', () => {
        socket.write(
          'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-TC-Action: DescribeIdentityCenter\r\n' +
            `X-TC-Version: ${API_VERSION}\r\nAuthorization: SKIP\r\nContent-Type: application/json\r\n` +
            'Content-Length: 1000\r\n\r\n{"Zo',
          () => setTimeout(() => socket.destroy(), 20),
        );
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    // The server is still fine...
    expect(codeOf(await envelope(await tc3Post(live, 'DescribeIdentityCenter', '{}')))).toBeNull();
    // ...once both requests have their log line (the hang-up may be noticed after the second one)...
    const records = () => lines.map((line) => JSON.parse(line) as { level: number; msg: string; code?: string });
    for (let waited = 0; records().filter((r) => r.msg === 'request').length < 2 && waited < 2000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // ...and the hang-up is not reported as an emulator failure.
    expect(records().filter((r) => r.level >= 50)).toEqual([]);
    expect(records().map((r) => r.code)).not.toContain('InternalError');
  });
});
