/**
 * Requests Node rejects before any handler runs (oversized headers, broken
 * framing, stalled requests): the API still answers with a localised
 * Tencent Cloud envelope, and /scim/v2 with a SCIM error and a 4xx status.
 */
import { connect } from 'node:net';
import { start, type RunningEmulator } from '../../src/app.js';
import { createLogger } from '../../src/runtime/logger.js';
import { sequentialIdGenerator } from '../../src/runtime/ids.js';
import { testFixtures } from '../helpers/api.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await start(
    { port: 0, dataFile: null, logLevel: 'silent' },
    { logger: createLogger('silent'), fixtures: testFixtures(), ids: sequentialIdGenerator(), httpLimits: { headersTimeoutMs: 400, requestTimeoutMs: 800 } },
  );
});
afterAll(() => emu.close());

interface RawAnswer {
  status: number;
  headers: string;
  body: string;
}

/** Sends bytes as they are and reads what comes back until the server closes the connection. */
function raw(bytes: string | Buffer, options: { keepOpenMs?: number } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(emu.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined); // the server may reset after answering
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const match = /^HTTP\/1\.1 (\d{3})[^\r]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(text);
      if (!match) return reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
      resolve({ status: Number(match[1]), headers: match[2]!, body: match[3]! });
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
    // Either Node's timeout (clientError) or the body reader answers; both must say what happened.
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ Response: { Error: { Message: expect.stringMatching(/within|time/i) } } });
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

  test('headers that never finish: 408 with a SCIM error body', async () => {
    expectScimBody(await raw('GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n', { keepOpenMs: 5000 }), 408);
  });
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

test('request heads are remembered without taking the socket off Node\'s native parser (no data listener: ~8 us a request)', async () => {
  const seen: Array<{ consumed: unknown; dataListeners: number }> = [];
  const onRequest = (req: { socket: { parser?: { _consumed?: unknown } | null; listenerCount(event: string): number } }): void => {
    seen.push({ consumed: req.socket.parser?._consumed, dataListeners: req.socket.listenerCount('data') });
  };
  emu.server.prependListener('request', onRequest);
  try {
    const answer = await fetch(`${emu.url}/scim/v2/ServiceProviderConfig`, { headers: { Authorization: 'Bearer nope' } });
    await answer.arrayBuffer();
  } finally {
    emu.server.removeListener('request', onRequest);
  }
  // Node's own listener is the one data listener; the parser still reads the socket itself.
  expect(seen).toEqual([{ consumed: true, dataListeners: 1 }]);
});
