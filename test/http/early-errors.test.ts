/**
 * Requests refused before any handler runs (oversized headers, broken
 * framing, stalled requests, no Host, an unmet Expect): the API still answers
 * with a localised Tencent Cloud envelope, /scim/v2 with a SCIM error and a
 * 4xx status, /_emulator with a control-plane JSON error and a 4xx. Where Node
 * gives nothing to tell the surface by, one 4xx body every surface can read.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { start, type RunningEmulator } from '../../src/app.js';
import { createLogger } from '../../src/runtime/logger.js';
import { sequentialIdGenerator } from '../../src/runtime/ids.js';
import { testFixtures } from '../helpers/api.js';

/** Short limits, apart enough to tell which one closed a connection. */
const HEAD_MS = 400;
const REQUEST_MS = 1500;

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await start(
    { port: 0, dataFile: null, logLevel: 'silent' },
    { logger: createLogger('silent'), fixtures: testFixtures(), ids: sequentialIdGenerator(), httpLimits: { headersTimeoutMs: HEAD_MS, requestTimeoutMs: REQUEST_MS } },
  );
});
afterAll(() => emu.close());

interface RawAnswer {
  status: number;
  headers: string;
  body: string;
  /** From the first byte sent to the connection's close. */
  ms: number;
}

/** Sends bytes as they are and reads what comes back until the server closes the connection. */
function raw(bytes: string | Buffer, options: { keepOpenMs?: number } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(emu.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const sent = performance.now();
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined); // the server may reset after answering
    socket.on('close', () => {
      const ms = performance.now() - sent;
      const text = Buffer.concat(chunks).toString('utf8');
      const match = /^HTTP\/1\.1 (\d{3})[^\r]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(text);
      if (!match) return reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
      resolve({ status: Number(match[1]), headers: match[2]!, body: match[3]!, ms });
    });
    socket.write(bytes);
    if (options.keepOpenMs === undefined) return;
    setTimeout(() => socket.end(), options.keepOpenMs).unref();
  });
}

const huge = 'a'.repeat(300 * 1024);

describe('the API surface', () => {
  test('headers over the limit: an envelope with RequestSizeLimitExceeded, in the language asked for, RequestId from the id generator', async () => {
    const answer = await raw(`POST / HTTP/1.1\r\nHost: x\r\nX-TC-Language: zh-CN\r\nX-Big: ${huge}\r\n\r\n`);
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatch(/Content-Type: application\/json\r?\n?/);
    const body = JSON.parse(answer.body) as { Response: { Error: { Code: string; Message: string }; RequestId: string } };
    expect(body.Response.Error.Code).toBe('RequestSizeLimitExceeded');
    expect(body.Response.Error.Message).toMatch(/[\u4e00-\u9fff]/);
    expect(body.Response.RequestId).toMatch(/^00000000-0000-4000-8000-[0-9a-f]{12}$/);
  });

  test('duplicate Content-Length: an envelope with InvalidParameter', async () => {
    const answer = await raw('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ Response: { Error: { Code: 'InvalidParameter', Message: 'The HTTP request is malformed.' } } });
  });

  test('a request stalled mid-body: an envelope that says it timed out', async () => {
    const answer = await raw('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-TC-Action: DescribeIdentityCenter\r\nX-TC-Version: 2021-03-31\r\nContent-Length: 100\r\n\r\n{"a"', {
      keepOpenMs: 5000,
    });
    // Closed by the whole-request limit, and the message names that limit.
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ Response: { Error: { Message: `The request was not received in full within ${REQUEST_MS / 1000} s.` } } });
    expect(answer.ms).toBeGreaterThanOrEqual(REQUEST_MS - 20);
  });

  test('a connection half-closed mid-body, the head whole in the first packet: an envelope in the language the parsed head asked for', async () => {
    const answer = await raw('POST / HTTP/1.1\r\nHost: x\r\nX-TC-Language: zh-CN\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a"', { keepOpenMs: 50 });
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.body) as { Response: { Error: { Code: string; Message: string } } };
    expect(body.Response.Error.Code).toBe('InvalidParameter');
    expect(body.Response.Error.Message).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('the SCIM surface', () => {
  const expectScimBody = (answer: RawAnswer, status: number | readonly number[]) => {
    expect(Array.isArray(status) ? status : [status]).toContain(answer.status);
    expect(answer.headers).toMatch(/Content-Type: application\/scim\+json/);
    expect(JSON.parse(answer.body)).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(answer.status) });
  };

  test('a 300 KB bearer token: 431 with a SCIM error body, never a 200', async () => {
    expectScimBody(await raw(`GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${huge}\r\n\r\n`), 431);
  });

  test('duplicate Content-Length: 400 with a SCIM error body', async () => {
    expectScimBody(await raw('POST /scim/v2/Users HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}'), 400);
  });

  test('broken chunked encoding: a 4xx with a SCIM error body (400 from the framing, or 401 when the token check answers first)', async () => {
    expectScimBody(await raw('POST /scim/v2/Users HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nnot hex\r\n0\r\n\r\n'), [400, 401]);
  });

  test('broken chunked encoding in the request line position: 400 with a SCIM error body', async () => {
    expectScimBody(await raw('POST /scim/v2/Users HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\nZZ\r\n'), 400);
  });

  test('a connection half-closed mid-body, the head whole in the first packet: a SCIM error body, never an envelope', async () => {
    expectScimBody(await raw('POST /scim/v2/Users HTTP/1.1\r\nHost: x\r\nContent-Type: application/scim+json\r\nContent-Length: 200\r\n\r\n{"schemas":[', { keepOpenMs: 50 }), [400, 401]);
  });

  test('an 8 KB URL and a NUL byte in a header: 400 with a SCIM error body, never an envelope', async () => {
    expectScimBody(await raw(`GET /scim/v2/Users?filter=${'u'.repeat(8192)} HTTP/1.1\r\nHost: x\r\nX-Note: a\0b\r\n\r\n`), 400);
  });

  test('HTTP/1.1 without Host: 400 with a SCIM error body', async () => {
    expectScimBody(await raw('GET /scim/v2/Users HTTP/1.1\r\nAuthorization: Bearer x\r\n\r\n'), 400);
  });

  test('Expect: 200-ok: 417 with a SCIM error body', async () => {
    expectScimBody(await raw('GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n\r\n'), 417);
  });

  test('more header fields than the limit: 431 with a SCIM error body', async () => {
    expectScimBody(await raw(`GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\n${'X-F: 1\r\n'.repeat(2001)}\r\n`), 431);
  });
});

test('the SAML pages: a 300 KB header gets 431 with a refusal page naming the check', async () => {
  const answer = await raw(`GET /saml/sp/z-testzone0001/login HTTP/1.1\r\nHost: x\r\nCookie: ${huge}\r\n\r\n`);
  expect(answer.status).toBe(431);
  expect(answer.headers).toMatch(/Content-Type: text\/html; charset=utf-8/);
  expect(answer.headers).toMatch(/X-TCE-SAML-Check: headers-too-large/);
  expect(answer.body).toContain('The request line and headers are larger than the emulator accepts.');
});

test('after a complete keep-alive exchange, an oversized next request on the same connection still gets its answer', async () => {
  const first = 'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-TC-Action: DescribeIdentityCenter\r\nX-TC-Version: 2021-03-31\r\nAuthorization: SKIP\r\nContent-Length: 2\r\n\r\n{}';
  const second = `GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${huge}\r\n\r\n`;
  const text = await new Promise<string>((resolve) => {
    const socket = connect(emu.port, '127.0.0.1');
    let all = '';
    socket.on('data', (c: Buffer) => {
      all += c.toString();
      if (all.includes('DescribeIdentityCenter') || /RequestId/.test(all)) {
        if (!socket.writableEnded && !all.includes('431')) socket.write(second);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(all));
    socket.write(first);
  });
  expect(text).toMatch(/^HTTP\/1\.1 200/);
  expect(text).toMatch(/HTTP\/1\.1 431[\s\S]*urn:ietf:params:scim:api:messages:2\.0:Error/);
});

describe('the control plane', () => {
  const expectControlBody = (answer: RawAnswer, status: number) => {
    expect(answer.status).toBe(status);
    expect(answer.headers).toMatch(/Content-Type: application\/json/);
    expect(JSON.parse(answer.body)).toEqual({ error: expect.any(String) });
  };

  test('a 300 KB header: 431 with a control-plane error body, never an envelope', async () => {
    expectControlBody(await raw(`GET /_emulator/health HTTP/1.1\r\nHost: x\r\nX-Big: ${huge}\r\n\r\n`), 431);
  });

  test('a 300 KB control token: 431 with a control-plane error body', async () => {
    expectControlBody(await raw(`GET /_emulator/state HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${huge}\r\n\r\n`), 431);
  });

  test('HTTP/1.1 without Host: 400 with a control-plane error body', async () => {
    const answer = await raw('GET /_emulator/health HTTP/1.1\r\n\r\n');
    expectControlBody(answer, 400);
    expect(JSON.parse(answer.body)).toEqual({ error: 'An HTTP/1.1 request must have a `Host` header.' });
  });

  test('Expect: 200-ok: 417 with a control-plane error body', async () => {
    expectControlBody(await raw('GET /_emulator/health HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n\r\n'), 417);
  });
});

describe('the API surface, HTTP-level refusals (their status is HTTP\'s; the body an envelope)', () => {
  test('HTTP/1.1 without Host: 400 with an envelope', async () => {
    const answer = await raw('POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ Response: { Error: { Code: 'InvalidParameter', Message: 'An HTTP/1.1 request must have a `Host` header.' } } });
  });

  test('Expect: 200-ok: 417 with an envelope in the language asked for', async () => {
    const answer = await raw('POST / HTTP/1.1\r\nHost: x\r\nX-TC-Language: zh-CN\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\n{}');
    expect(answer.status).toBe(417);
    const body = JSON.parse(answer.body) as { Response: { Error: { Code: string; Message: string } } };
    expect(body.Response.Error.Code).toBe('InvalidParameter');
    expect(body.Response.Error.Message).toMatch(/[\u4e00-\u9fff]/);
  });

  test('HTTP/1.0 needs no Host: the request is served', async () => {
    const answer = await raw('POST / HTTP/1.0\r\nContent-Type: application/json\r\nX-TC-Action: DescribeIdentityCenter\r\nX-TC-Version: 2021-03-31\r\nAuthorization: SKIP\r\nContent-Length: 2\r\n\r\n{}');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).not.toHaveProperty('Response.Error.Message', 'An HTTP/1.1 request must have a `Host` header.');
  });
});

describe('where Node gives nothing to tell the surface by: the problem\'s 4xx and one body every surface reads', () => {
  const expectAnySurfaceBody = (answer: RawAnswer, status: number, message: string) => {
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.body)).toMatchObject({
      Response: { Error: { Message: message } },
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: String(status),
      detail: message,
      error: message,
    });
  };

  test('headers that never finish: 408 when the head limit ends, saying that limit', async () => {
    const answer = await raw('GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n', { keepOpenMs: 5000 });
    expectAnySurfaceBody(answer, 408, `The request line and headers were not received within ${HEAD_MS / 1000} s.`);
    // Closed by the head limit (not the whole-request one), within Node's checking period of it.
    expect(answer.ms).toBeGreaterThanOrEqual(HEAD_MS - 20);
    expect(answer.ms).toBeLessThan(REQUEST_MS);
  });

  test('headers past the size at which Node itself stops reading: 431', async () => {
    const past = 'b'.repeat(1100 * 1024);
    expectAnySurfaceBody(await raw(`GET /_emulator/health HTTP/1.1\r\nHost: x\r\nX-Big: ${past}\r\n\r\n`), 431, 'The request line and headers are larger than the emulator accepts.');
  });
});

describe('a whole request followed by bytes that are not a request (a body without Content-Length): the request is answered', () => {
  /** What Node's own client gets for a body it sends unframed (it does so for OPTIONS and DELETE). */
  const nodeClient = (method: string, path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: emu.port, method, path, headers, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end('{"unframed":true}');
    });

  test('SCIM DELETE: its own SCIM answer', async () => {
    const answer = await nodeClient('DELETE', '/scim/v2/Users/u-nope', { Authorization: 'Bearer not-a-key' });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401' });
  });

  test('control-plane OPTIONS: its own 405', async () => {
    const answer = await nodeClient('OPTIONS', '/_emulator/health');
    expect(answer.status).toBe(405);
    expect(JSON.parse(answer.body)).toEqual({ error: expect.stringContaining('OPTIONS') });
  });

  test('API OPTIONS: its own envelope, and nothing after it but the close', async () => {
    const answer = await raw('OPTIONS / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n{"unframed":true}');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ Response: { Error: { Code: 'UnsupportedProtocol' } } });
  });
});

test('no socket gets a data listener of the emulator\'s: request heads stay on Node\'s native parser', async () => {
  const seen: number[] = [];
  const onRequest = (req: { socket: { listenerCount(event: string): number } }): void => {
    seen.push(req.socket.listenerCount('data'));
  };
  emu.server.prependListener('request', onRequest);
  try {
    const answer = await fetch(`${emu.url}/scim/v2/ServiceProviderConfig`, { headers: { Authorization: 'Bearer nope' } });
    await answer.arrayBuffer();
  } finally {
    emu.server.removeListener('request', onRequest);
  }
  // Node's own listener is the one data listener.
  expect(seen).toEqual([1]);
});
