/**
 * What the emulator knows about a request Node refused (src/http/client-errors.ts):
 * only what Node's public `clientError` error gives, `rawPacket` (the chunk
 * Node was reading) and `bytesParsed` (where in it Node stopped); and the
 * answer each surface gives for it (src/early-errors.ts).
 */
import { refusedHead } from '../../src/http/client-errors.js';
import { earlyErrorRenderer } from '../../src/early-errors.js';

const refused = (text: string, stopAt: string | null = null) => {
  const rawPacket = Buffer.from(text, 'latin1');
  return refusedHead({ rawPacket, bytesParsed: stopAt === null ? rawPacket.length : text.indexOf(stopAt) });
};

describe('the refused request, from the bytes Node was reading', () => {
  test('a request line at the start of the chunk gives the target, however long, and the head its language', () => {
    expect(refused(`GET /scim/v2/Users?filter=${'u'.repeat(9000)} HTTP/1.1\r\nX-TC-Language: zh-CN\r\nX-A: a\0b\r\n\r\n`, '\0')).toMatchObject({
      target: expect.stringMatching(/^\/scim\/v2\/Users\?filter=u+$/),
      language: 'zh-CN',
      afterHead: false,
    });
  });

  test('a request with a method Node does not know is still a request', () => {
    expect(refused('BREW /scim/v2/Groups HTTP/1.1\r\n', 'REW')).toEqual({ target: '/scim/v2/Groups', language: 'en-US', afterHead: false });
  });

  test('a pipelined request refused after a whole one in the same chunk is read from where its head starts', () => {
    const chunk = 'GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\nX-TC-Language: zh-CN\r\n\r\nGET /_emulator/health HTTP/1.1\r\nHost: x\r\nX: a\0b\r\n\r\n';
    expect(refused(chunk, '\0')).toEqual({ target: '/_emulator/health', language: 'en-US', afterHead: true });
  });

  test('bytes after a whole head that do not start a request (an unframed body) are no request', () => {
    expect(refused('DELETE /scim/v2/Users/u HTTP/1.1\r\nHost: x\r\n\r\n{"a":1}', '{')).toEqual({ target: undefined, language: 'en-US', afterHead: true });
  });

  test('a chunk from the middle of a head (headers arriving in several chunks) tells nothing', () => {
    expect(refused(`${'a'.repeat(5000)}\r\nX-TC-Language: zh-CN\r\n`)).toEqual({ target: undefined, language: 'en-US', afterHead: false });
    expect(refusedHead({})).toEqual({ target: undefined, language: 'en-US', afterHead: false });
  });
});

describe('the answer each surface gives', () => {
  const render = earlyErrorRenderer(() => '00000000-0000-4000-8000-000000000001');
  const tooLarge = { problem: 'headers-too-large', language: 'zh-CN' } as const;

  test('the API: HTTP 200 and an envelope in the language asked for', () => {
    const answer = render(tooLarge, '/?Action=ListUsers');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ Response: { Error: { Code: 'RequestSizeLimitExceeded', Message: expect.stringMatching(/[\u4e00-\u9fff]/) }, RequestId: '00000000-0000-4000-8000-000000000001' } });
  });

  test('SCIM, the control plane and the SAML pages by path, matched without regard to case, absolute-form targets by their path', () => {
    expect(render(tooLarge, '/SCIM/v2/Users')).toMatchObject({ status: 431, headers: { 'Content-Type': 'application/scim+json' } });
    expect(render(tooLarge, 'http://127.0.0.1:9000/scim/v2/Users')).toMatchObject({ status: 431, headers: { 'Content-Type': 'application/scim+json' } });
    expect(JSON.parse(render(tooLarge, '/_emulator/state').body)).toEqual({ error: 'The request line and headers are larger than the emulator accepts.' });
    expect(render(tooLarge, '/saml/sp/z-1/login').headers).toMatchObject({ 'Content-Type': 'text/html; charset=utf-8', 'X-TCE-SAML-Check': 'headers-too-large' });
    // A path that only begins like a surface's is the API's.
    expect(render(tooLarge, '/scim/v20').status).toBe(200);
  });

  test('a timeout says the limit that ran out, in the seconds configured', () => {
    const answer = render({ problem: 'head-timeout', language: 'en-US', seconds: 0.4 }, '/scim/v2/Users');
    expect(JSON.parse(answer.body)).toMatchObject({ status: '408', detail: 'The request line and headers were not received within 0.4 s.' });
  });

  test('with no target: the 4xx, in English, with each surface\'s error fields in one body', () => {
    const answer = render({ ...tooLarge, problem: 'malformed' }, undefined);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      Response: { Error: { Code: 'InvalidParameter', Message: 'The HTTP request is malformed.' }, RequestId: '00000000-0000-4000-8000-000000000001' },
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '400',
      detail: 'The HTTP request is malformed.',
      error: 'The HTTP request is malformed.',
    });
  });
});
