/**
 * The bench's own HTTP client (scripts/bench/http-client.ts): a request that
 * meets a kept-alive socket the server has just dropped is sent again once,
 * and nothing else is retried.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { agent, send } from '../../scripts/bench/http-client.js';

let server: Server;
let url: string;
let arrivals = 0;
/** Requests (1-based, over the server's life) it drops instead of answering. */
let dropping = new Set<number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    arrivals += 1;
    if (dropping.has(arrivals)) {
      req.socket.destroy();
      return;
    }
    res.end(`answer ${arrivals}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  agent.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  agent.destroy();
  arrivals = 0;
});

test('a reused keep-alive socket dropped before the answer: the request goes again on a new socket', async () => {
  dropping = new Set([2]);
  expect((await send('POST', url, {}, '{}')).text).toBe('answer 1');
  // The second request reuses the first one's socket, which the server drops.
  expect((await send('POST', url, {}, '{}')).text).toBe('answer 3');
  expect(arrivals).toBe(3);
});

test('a fresh socket dropped: the error reaches the caller, nothing is sent twice', async () => {
  dropping = new Set([1]);
  await expect(send('POST', url, {}, '{}')).rejects.toThrow(/socket hang up|ECONNRESET/);
  expect(arrivals).toBe(1);
});

test('only one retry: dropped twice, the second error reaches the caller', async () => {
  dropping = new Set([2, 3]);
  await send('GET', url);
  await expect(send('GET', url)).rejects.toThrow(/socket hang up|ECONNRESET/);
  expect(arrivals).toBe(3);
});
