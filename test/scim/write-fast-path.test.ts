/**
 * POST /scim/v2/Users is answered without Express (src/scim/write-fast-path.ts),
 * its body read as body-parser reads it (src/scim/read-json-body.ts). Two
 * emulators with the same seed, clock and fixtures take the same requests, one
 * through its own request listener (the direct path), the other through the
 * Express app alone: every answer must be byte for byte the same (but the
 * Date), and so must what each request leaves behind (request journal, key
 * usage, users).
 */
import { connect } from 'node:net';
import { type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { MAX_SCIM_BODY_BYTES } from '../../src/scim/discovery.js';
import { isScimUsersCreate } from '../../src/route-request.js';
import { testEmulator, type TestEmulator } from '../helpers/api.js';
import { URN, createScimKey, enableScimSync, expressOnlyServer, settle } from '../helpers/scim.js';
import { sfc32 } from '../../src/runtime/random.js';

interface Twin {
  emu: TestEmulator;
  server: Server;
  token: string;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function twin(viaExpress: boolean): Promise<Twin> {
  const emu = await testEmulator({ seed: 20260301 });
  await enableScimSync(emu);
  const { token } = await createScimKey(emu);
  const server = viaExpress ? expressOnlyServer(emu) : emu.server;
  await listen(server);
  return { emu, server, token };
}

let direct: Twin;
let routed: Twin;
beforeAll(async () => {
  direct = await twin(false);
  routed = await twin(true);
});
afterAll(async () => {
  for (const t of [direct, routed]) {
    t.server.closeAllConnections();
    await new Promise<void>((resolve) => t.server.close(() => resolve()));
    await t.emu.close();
  }
});

/** A request as bytes: the head is built here; `chunks` are written one by one, a few milliseconds apart. */
interface RawRequest {
  path?: string;
  headers: Record<string, string>;
  chunks: Buffer[];
}

/** Sends the request on its own connection (Connection: close) and returns the whole answer as text. */
async function exchange(server: Server, request: RawRequest): Promise<string> {
  const port = (server.address() as AddressInfo).port;
  const socket = connect(port, '127.0.0.1');
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => undefined); // the server may close before all of an oversize body is written
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const head = [`POST ${request.path ?? '/scim/v2/Users'} HTTP/1.1`, 'Host: scim.example.test', 'Connection: close', ...Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`)];
  socket.write(`${head.join('\r\n')}\r\n\r\n`);
  for (const chunk of request.chunks) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    if (!socket.writable) break;
    socket.write(chunk);
  }
  await closed;
  await settle();
  return Buffer.concat(received).toString('latin1');
}

/** The answer without its Date header (the only part allowed to differ). */
const withoutDate = (answer: string) => answer.replace(/^Date: .*\r\n/im, '');

/** The newest SCIM journal entry, without what differs from run to run. */
function lastJournal(t: Twin): Record<string, unknown> | undefined {
  const [entry] = t.emu.control.journal.list({ limit: 1, surface: 'scim' });
  if (!entry) return undefined;
  const { latencyMs: _l, time: _t, seq: _s, id: _i, requestId: _r, ...rest } = entry as unknown as Record<string, unknown>;
  return rest;
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const json = (value: unknown) => utf8(JSON.stringify(value));
const user = (userName: string, extra: Record<string, unknown> = {}) => json({ schemas: [URN.user], userName, ...extra });

/** Content-Length and a body in one chunk, or split at `splits`. */
function body(bytes: Buffer, splits: number[] = []): { length: string; chunks: Buffer[] } {
  const chunks: Buffer[] = [];
  let at = 0;
  for (const split of [...splits, bytes.length]) {
    chunks.push(bytes.subarray(at, split));
    at = split;
  }
  return { length: String(bytes.length), chunks };
}

type Case = [title: string, status: number, build: (token: string) => RawRequest];

const scimJson = (token: string, bytes: Buffer, extra: Record<string, string> = {}, splits: number[] = []): RawRequest => {
  const { length, chunks } = body(bytes, splits);
  return { headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json', 'Content-Length': length, ...extra }, chunks };
};

const chunked = (text: string) => Buffer.from(`${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`, 'utf8');
const oversize = Buffer.concat([utf8('{"schemas":["'), Buffer.alloc(MAX_SCIM_BODY_BYTES, 0x61), utf8('"]}')]);

const CASES: Case[] = [
  ['a valid user', 201, (t) => scimJson(t, user('ada@example.com', { name: { givenName: 'Ada', familyName: 'Lovelace' }, emails: [{ value: 'ada@example.com', primary: true }] }))],
  ['the same userName again (409 uniqueness)', 409, (t) => scimJson(t, user('ada@example.com'))],
  ['an enterprise extension', 201, (t) => scimJson(t, json({ schemas: [URN.user, URN.enterprise], userName: 'grace@example.com', [URN.enterprise]: { employeeNumber: '42', department: 'Navy' } }))],
  ['a body in 3-byte pieces, characters split between them', 201, (t) => {
    const bytes = user('zoe@example.com', { displayName: 'Zoë 😀 Ωmega' });
    return scimJson(t, bytes, {}, Array.from({ length: Math.floor((bytes.length - 1) / 3) }, (_, i) => (i + 1) * 3));
  }],
  ['application/json; charset=utf-8', 201, (t) => scimJson(t, user('edsger@example.com'), { 'Content-Type': 'application/json; charset=UTF-8' })],
  ['no Content-Type', 201, (t) => {
    const r = scimJson(t, user('barbara@example.com'));
    delete r.headers['Content-Type'];
    return r;
  }],
  ['an empty Content-Type', 201, (t) => scimJson(t, user('alan@example.com'), { 'Content-Type': '' })],
  ['a byte-order mark before the JSON', 201, (t) => scimJson(t, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), user('bom@example.com')]), {}, [1, 2])],
  ['two byte-order marks (only one is dropped)', 400, (t) => scimJson(t, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), user('bom2@example.com')]))],
  ['invalid UTF-8 in a value', 400, (t) => scimJson(t, Buffer.concat([utf8('{"schemas":["'+URN.user+'"],"userName":"bad'), Buffer.from([0xff, 0xc3]), utf8('@example.com","displayName":"x'), Buffer.from([0xe2, 0x82]), utf8('"}')]), {}, [70])],
  ['invalid UTF-8 at the very end', 400, (t) => scimJson(t, Buffer.concat([user('end@example.com'), Buffer.from([0xf0, 0x9f])]))],
  ['chunked transfer encoding', 201, (t) => ({ headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/scim+json', 'Transfer-Encoding': 'chunked' }, chunks: [chunked('{"schemas":["' + URN.user + '"],'), chunked('"userName":"chunked@example.com"}'), utf8('0\r\n\r\n')] })],
  ['the path in another case, with a trailing slash and a query', 201, (t) => ({ ...scimJson(t, user('path@example.com')), path: '/SCIM/V2/users/?x=1&x=2' })],
  ['an empty body (an empty JSON body is {}, so no userName)', 400, (t) => scimJson(t, Buffer.alloc(0))],
  ['no body at all (neither Content-Length nor Transfer-Encoding)', 400, (t) => ({ headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/scim+json' }, chunks: [] })],
  ['only blanks', 400, (t) => scimJson(t, utf8(' \n\t '))],
  ['JSON that is cut short', 400, (t) => scimJson(t, utf8('{"schemas":['))],
  ['not JSON at all', 400, (t) => scimJson(t, utf8('userName=ada'))],
  ['a trailing comma', 400, (t) => scimJson(t, utf8('{"userName":"x",}'))],
  ['a JSON array', 400, (t) => scimJson(t, utf8('[{"userName":"x"}]'))],
  ['a JSON string', 400, (t) => scimJson(t, utf8('"ada"'))],
  ['JSON null', 400, (t) => scimJson(t, utf8('null'))],
  ['a JSON number', 400, (t) => scimJson(t, utf8(' 42 '))],
  ['a missing userName', 400, (t) => scimJson(t, json({ schemas: [URN.user], displayName: 'Nobody' }))],
  ['a userName that is not a string', 201, (t) => scimJson(t, json({ schemas: [URN.user], userName: 7 }))],
  ['text/plain (415)', 415, (t) => scimJson(t, user('plain@example.com'), { 'Content-Type': 'text/plain' })],
  ['a form (415)', 415, (t) => scimJson(t, utf8('userName=ada'), { 'Content-Type': 'application/x-www-form-urlencoded' })],
  ['a 415 with odd parameters', 415, (t) => scimJson(t, user('odd@example.com'), { 'Content-Type': 'text/json; charset="weird"; x' })],
  ['charset=latin1 (refused)', 400, (t) => scimJson(t, user('latin@example.com'), { 'Content-Type': 'application/scim+json; charset=latin1' })],
  ['charset=utf8 without the dash (refused)', 400, (t) => scimJson(t, user('utf8@example.com'), { 'Content-Type': 'application/json;charset=utf8' })],
  ['a charset but no media type', 400, (t) => scimJson(t, user('nomedia@example.com'), { 'Content-Type': ' ; charset=iso-8859-1' })],
  ['a refused charset and no body', 400, (t) => ({ headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/json; charset=latin1' }, chunks: [] })],
  ['an oversize body with its Content-Length (413)', 413, (t) => scimJson(t, oversize, {}, [1000, 500_000])],
  ['an oversize chunked body (413)', 413, (t) => ({ headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/scim+json', 'Transfer-Encoding': 'chunked' }, chunks: [chunked(oversize.subarray(0, 600_000).toString('latin1')), chunked(oversize.subarray(600_000).toString('latin1')), utf8('0\r\n\r\n')] })],
  ['a body of exactly the limit', 400, (t) => scimJson(t, Buffer.concat([utf8('{"schemas":["'), Buffer.alloc(MAX_SCIM_BODY_BYTES - 16, 0x61), utf8('"]}')]).subarray(0, MAX_SCIM_BODY_BYTES))],
  ['a bad token (401)', 401, () => scimJson('not-a-key', user('nokey@example.com'))],
  ['no token (401)', 401, (t) => {
    const r = scimJson(t, user('noauth@example.com'));
    delete r.headers.Authorization;
    return r;
  }],
  ['a Basic header (401)', 401, (t) => scimJson(t, user('basic@example.com'), { Authorization: 'Basic eDp5' })],
  ['no token and a bad body (401 first)', 401, () => ({ headers: { 'Content-Type': 'text/plain', 'Content-Length': '3' }, chunks: [utf8('abc')] })],
];

test.each(CASES)('%s: %d, the same answer and the same traces both ways', async (_title, status, build) => {
  const requestDirect = build(direct.token);
  const requestRouted = build(routed.token);
  const headers = Object.fromEntries(Object.entries(requestDirect.headers).map(([k, v]) => [k.toLowerCase(), v])) as IncomingHttpHeaders;
  expect(isScimUsersCreate('POST', requestDirect.path ?? '/scim/v2/Users', headers)).toBe(true);
  const answerDirect = await exchange(direct.server, requestDirect);
  const answerRouted = await exchange(routed.server, requestRouted);
  expect(answerDirect.slice(0, 12)).toBe(`HTTP/1.1 ${status}`);
  expect(withoutDate(answerDirect)).toBe(withoutDate(answerRouted));
  expect(lastJournal(direct)).toEqual(lastJournal(routed));
  expect(direct.emu.control.state()).toEqual(routed.emu.control.state());
});

// Bytes that matter to UTF-8 decoding (lead, continuation, BOM, invalid) and to JSON.
const AWKWARD = [0xff, 0xfe, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xef, 0xbb, 0xbf, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0x00, 0x22, 0x5c, 0x7b, 0x7d, 0x2c, 0x20];

test('80 generated bodies (awkward bytes in valid users, byte-order marks, random pieces): the same answers and traces both ways', async () => {
  const random = sfc32(8, 'bodies'); // seeded (src/runtime/random.ts), so a failure can be replayed
  const pick = (n: number) => Math.floor(random() * n);
  for (let i = 0; i < 80; i++) {
    let bytes = user(`gen-${i}@example.com`, { displayName: `Gen ${i} é😀` });
    for (let m = pick(4); m > 0; m--) {
      const at = pick(bytes.length + 1);
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([AWKWARD[pick(AWKWARD.length)]!]), bytes.subarray(at)]);
    }
    if (pick(4) === 0) bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
    const splits = [...new Set(Array.from({ length: pick(5) }, () => 1 + pick(bytes.length - 1)))].sort((x, y) => x - y);
    const answerDirect = await exchange(direct.server, scimJson(direct.token, bytes, {}, splits));
    const answerRouted = await exchange(routed.server, scimJson(routed.token, bytes, {}, splits));
    expect([i, withoutDate(answerDirect)]).toEqual([i, withoutDate(answerRouted)]);
    expect([i, lastJournal(direct)]).toEqual([i, lastJournal(routed)]);
  }
  expect(direct.emu.control.state()).toEqual(routed.emu.control.state());
});

test('an injected fault answers the direct path as it answers the router, and leaves the same traces', async () => {
  for (const t of [direct, routed]) t.emu.control.faults.add({ scimPath: '/Users', method: 'POST', status: 503, count: 1 });
  const answerDirect = await exchange(direct.server, scimJson(direct.token, user('fault@example.com')));
  const answerRouted = await exchange(routed.server, scimJson(routed.token, user('fault@example.com')));
  expect(answerDirect).toMatch(/^HTTP\/1\.1 503 /);
  expect(withoutDate(answerDirect)).toBe(withoutDate(answerRouted));
  expect(lastJournal(direct)).toEqual(lastJournal(routed));
  expect(direct.emu.control.state()).toEqual(routed.emu.control.state());
});

test('a client that stops mid-body: no answer needed, no crash, the same traces both ways, and the server goes on', async () => {
  const before = [direct, routed].map((t) => t.emu.control.journal.list({ limit: 1000, surface: 'scim' }).length);
  for (const t of [direct, routed]) {
    const port = (t.server.address() as AddressInfo).port;
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`POST /scim/v2/Users HTTP/1.1\r\nHost: scim.example.test\r\nAuthorization: Bearer ${t.token}\r\nContent-Type: application/scim+json\r\nContent-Length: 200\r\n\r\n{"schemas":[`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const after = [direct, routed].map((t) => t.emu.control.journal.list({ limit: 1000, surface: 'scim' }).length);
  expect(after[0]! - before[0]!).toBe(after[1]! - before[1]!);
  expect(direct.emu.control.state()).toEqual(routed.emu.control.state());
  const again = await exchange(direct.server, scimJson(direct.token, user('after-abort@example.com')));
  expect(again).toMatch(/^HTTP\/1\.1 201 /);
  await exchange(routed.server, scimJson(routed.token, user('after-abort@example.com')));
});

test.each<[string, Record<string, string>, string?]>([
  ['a Content-Encoding (body-parser inflates it)', { 'content-type': 'application/scim+json', 'content-encoding': 'gzip' }],
  ['Content-Encoding: identity', { 'content-type': 'application/scim+json', 'content-encoding': 'identity' }],
  ['a UTF-16 charset (decoded by iconv-lite)', { 'content-type': 'application/scim+json; charset=utf-16' }],
  ['a quoted charset', { 'content-type': 'application/scim+json; charset="utf-8"' }],
  ['a second parameter', { 'content-type': 'application/scim+json; charset=utf-8; x=y' }],
  ['a stray semicolon', { 'content-type': 'application/json;' }],
  ['another path', { 'content-type': 'application/scim+json' }, '/scim/v2/Users/.search'],
  ['a path Express parses its own way', { 'content-type': 'application/scim+json' }, '/scim/v2/Users#x'],
  ['a user path', { 'content-type': 'application/scim+json' }, '/scim/v2/Users/u-1'],
])('%s is left to Express', (_title, headers, path = '/scim/v2/Users') => {
  expect(isScimUsersCreate('POST', path, headers)).toBe(false);
});

test('those left to Express are answered by it as before (gzip is inflated)', async () => {
  const bytes = gzipSync(user('gzip@example.com'));
  const request = (t: Twin): RawRequest => ({ headers: { Authorization: `Bearer ${t.token}`, 'Content-Type': 'application/scim+json', 'Content-Encoding': 'gzip', 'Content-Length': String(bytes.length) }, chunks: [bytes] });
  const answerDirect = await exchange(direct.server, request(direct));
  const answerRouted = await exchange(routed.server, request(routed));
  expect(answerDirect).toMatch(/^HTTP\/1\.1 201 /);
  expect(withoutDate(answerDirect)).toBe(withoutDate(answerRouted));
});

test.each(['GET', 'PUT', 'PATCH', 'DELETE'])('%s is not taken by the direct write path', (method) => {
  expect(isScimUsersCreate(method, '/scim/v2/Users', { 'content-type': 'application/scim+json' })).toBe(false);
});
