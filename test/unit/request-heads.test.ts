/**
 * How the emulator knows what a refused request was (src/http/client-errors.ts)
 * on a connection whose parser it cannot hook (no native parser slot): the
 * fallback keeps the first chunk of each request from `data` events.
 */
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { clientErrorFacts, rememberRequestHeads } from '../../src/http/client-errors.js';

function fakeServer() {
  const server = new EventEmitter();
  rememberRequestHeads(server as unknown as Parameters<typeof rememberRequestHeads>[0]);
  return server;
}

const overflow = Object.assign(new Error('Header overflow'), { code: 'HPE_HEADER_OVERFLOW' });

test('without a parser to hook, the first chunk of each request is kept from data events and describes a refused request', () => {
  const server = fakeServer();
  const socket = new PassThrough();
  server.emit('connection', socket);
  expect(socket.listenerCount('data')).toBe(1);

  socket.emit('data', Buffer.from('GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\nX-TC-Language: zh-CN\r\nAuthorization: Bearer '));
  socket.emit('data', Buffer.from('a'.repeat(1000)));
  expect(clientErrorFacts(overflow, socket)).toEqual({ path: '/scim/v2/Users', language: 'zh-CN', kind: 'headers-too-large' });

  // Keep-alive: once a request is handed over, the next chunk starts the next request.
  server.emit('request', { socket, complete: true, url: '/scim/v2/Users', headers: {} }, { headersSent: true, writableFinished: true });
  socket.emit('data', Buffer.from('POST / HTTP/1.1\r\nHost: x\r\n'));
  expect(clientErrorFacts(overflow, socket)).toEqual({ path: '/', language: 'en-US', kind: 'headers-too-large' });
});

test('a request whose head was parsed and whose body broke is described by the request itself', () => {
  const server = fakeServer();
  const socket = new PassThrough();
  server.emit('connection', socket);
  socket.emit('data', Buffer.from('POST /scim/v2/Users HTTP/1.1\r\nContent-Length: 90\r\n\r\n{"sche'));
  server.emit('request', { socket, complete: false, url: '/scim/v2/Users', headers: { 'x-tc-language': 'zh-CN' } }, { headersSent: false, writableFinished: false });
  const eof = Object.assign(new Error('Invalid EOF state'), { code: 'HPE_INVALID_EOF_STATE' });
  expect(clientErrorFacts(eof, socket)).toEqual({ path: '/scim/v2/Users', language: 'zh-CN', kind: 'malformed' });
});

test('with nothing remembered, rawPacket is read; with nothing at all, no path', () => {
  const packet = Object.assign(new Error('x'), { code: 'HPE_INVALID_METHOD', rawPacket: Buffer.from('BREW /scim/v2/Groups HTTP/1.1\r\n') });
  expect(clientErrorFacts(packet)).toEqual({ path: '/scim/v2/Groups', language: 'en-US', kind: 'malformed' });
  expect(clientErrorFacts(Object.assign(new Error('x'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }))).toEqual({ path: undefined, language: 'en-US', kind: 'timeout' });
});
