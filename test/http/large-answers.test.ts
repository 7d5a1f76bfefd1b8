/**
 * Answers past 8 K characters are encoded into pooled buffers
 * (src/http/send-text.ts). On the wire nothing may differ: exact
 * Content-Length in bytes (non-ASCII included), a body that parses, and a
 * keep-alive connection that goes on to the next request.
 */
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { bodySlabs } from '../../src/http/send-text.js';
import { scimEmulator, userBody, createUser, type ScimEmulator } from '../helpers/scim.js';

let env: ScimEmulator;
beforeAll(async () => {
  env = await scimEmulator();
  for (let i = 0; i < 60; i++) await createUser(env.scim, userBody(`large-${i}@example.com`, { displayName: `Zoë ${i} 😀 ${'x'.repeat(120)}` }));
});
afterAll(() => env.close());

interface Answer {
  head: string;
  body: Buffer;
}

/** Sends each request on one kept-alive connection, after the previous answer is complete; frames answers by Content-Length. */
async function exchange(requests: string[]): Promise<Answer[]> {
  const socket = connect((env.emu.server.address() as AddressInfo).port, '127.0.0.1');
  const answers: Answer[] = [];
  let pending = Buffer.alloc(0);
  let next = 0;
  return new Promise((resolve, reject) => {
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = pending.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1]);
        if (pending.length < end + 4 + length) return;
        answers.push({ head, body: pending.subarray(end + 4, end + 4 + length) });
        pending = pending.subarray(end + 4 + length);
        if (next === requests.length) {
          socket.end();
          resolve(answers);
          return;
        }
        socket.write(requests[next++]!);
      }
    });
    socket.write(requests[next++]!);
  });
}

test('large API and SCIM answers and a small one, one after another on one connection: each framed exactly by its byte length', async () => {
  const listUsers = JSON.stringify({ ZoneId: 'z-testzone0001', MaxResults: 100 });
  const answers = await exchange([
    `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-TC-Action: ListUsers\r\nX-TC-Version: 2021-03-31\r\nAuthorization: SKIP\r\nContent-Length: ${listUsers.length}\r\n\r\n${listUsers}`,
    `GET /scim/v2/Users?count=100 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${env.token}\r\n\r\n`,
    `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-TC-Action: DescribeIdentityCenter\r\nX-TC-Version: 2021-03-31\r\nAuthorization: SKIP\r\nContent-Length: 2\r\n\r\n{}`,
  ]);
  expect(answers.map((a) => a.head.split('\r\n')[0])).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
  const [api, scim, small] = answers.map((a) => JSON.parse(a.body.toString('utf8')) as Record<string, Record<string, unknown>>);
  // Past the threshold, in characters, and with multi-byte text: bytes and characters differ.
  expect(answers[0]!.body.toString('utf8').length).toBeGreaterThan(8192);
  expect(answers[1]!.body.toString('utf8').length).toBeGreaterThan(8192);
  expect(answers[0]!.body.length).toBeGreaterThan(answers[0]!.body.toString('utf8').length);
  expect(api!.Response!.TotalCounts).toBe(60);
  expect((api!.Response!.Users as { DisplayName: string }[])[0]!.DisplayName).toMatch(/^Zoë \d+ 😀 x+$/);
  expect(scim!.totalResults).toBe(60);
  expect(answers[1]!.head).toMatch(/\r\nContent-Type: application\/scim\+json/);
  expect(small!.Response!.ZoneId).toBe('z-testzone0001');

  // The same answer as an ordinary client reads it (but the RequestId).
  const viaFetch = await (
    await fetch(`http://127.0.0.1:${(env.emu.server.address() as AddressInfo).port}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-TC-Action': 'ListUsers', 'X-TC-Version': '2021-03-31', Authorization: 'SKIP' },
      body: listUsers,
    })
  ).json();
  const withoutId = (body: unknown) => ({ ...(body as { Response: object }).Response, RequestId: undefined });
  expect(withoutId(api)).toEqual(withoutId(viaFetch));
});

test('large answers in flight at once, on separate connections, each arrive whole and as their own', async () => {
  const base = `http://127.0.0.1:${(env.emu.server.address() as AddressInfo).port}`;
  const listUsers = (maxResults: number) =>
    fetch(`${base}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-TC-Action': 'ListUsers', 'X-TC-Version': '2021-03-31', Authorization: 'SKIP' },
      body: JSON.stringify({ ZoneId: 'z-testzone0001', MaxResults: maxResults }),
    }).then(async (r) => (await r.json()) as { Response: { Users: { UserName: string }[] } });
  const scimPage = (count: number) =>
    fetch(`${base}/scim/v2/Users?count=${count}`, { headers: { Authorization: `Bearer ${env.token}` } }).then(
      async (r) => (await r.json()) as { Resources: { userName: string }[] },
    );
  const sizes = [30, 35, 40, 45, 50, 55, 60];
  const [apiPages, scimPages] = await Promise.all([Promise.all(sizes.map(listUsers)), Promise.all(sizes.map(scimPage))]);
  sizes.forEach((size, i) => {
    expect(apiPages[i]!.Response.Users.map((u) => u.UserName)).toEqual(apiPages[6]!.Response.Users.slice(0, size).map((u) => u.UserName));
    expect(scimPages[i]!.Resources.map((u) => u.userName)).toEqual(scimPages[6]!.Resources.slice(0, size).map((u) => u.userName));
  });
  // Sent answers gave their buffers back ('finish' reached the pool), at most as many as it keeps.
  expect(bodySlabs.idle).toBeGreaterThan(0);
  expect(bodySlabs.idle).toBeLessThanOrEqual(bodySlabs.keep);
});

test('HEAD of a large SCIM list: the GET head (its Content-Length) and no body, and the buffer still goes back', async () => {
  const url = `http://127.0.0.1:${(env.emu.server.address() as AddressInfo).port}/scim/v2/Users?count=60`;
  const headers = { Authorization: `Bearer ${env.token}` };
  const get = await fetch(url, { headers });
  const body = Buffer.from(await get.arrayBuffer());
  // Take every idle buffer out of the pool, so that one back in it afterwards is the HEAD's.
  const held: Buffer[] = [];
  while (bodySlabs.idle > 0) held.push(bodySlabs.take(1));
  const head = await fetch(url, { method: 'HEAD', headers });
  expect(head.status).toBe(200);
  expect(head.headers.get('content-length')).toBe(String(body.length));
  expect((await head.arrayBuffer()).byteLength).toBe(0);
  expect(bodySlabs.idle).toBe(1);
  for (const slab of held) bodySlabs.give(slab);
});
