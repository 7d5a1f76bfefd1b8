import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLoopbackAddress, isLoopbackHost } from './access.js';

/**
 * `GET /_emulator/health` from a loopback client, answered without Express:
 * readiness probes (CI scripts, the container's HEALTHCHECK) hit it right
 * after start-up, and importing Express for them would double the time to
 * the first answer. Anything else under /_emulator, and any other client,
 * goes through the control router and its access rules as before; the body
 * and headers are the ones the router writes.
 */
export function answersHealthFast(req: IncomingMessage): boolean {
  return (
    req.method === 'GET' &&
    req.url === '/_emulator/health' &&
    isLoopbackAddress(req.socket.remoteAddress) &&
    isLoopbackHost(req.headers.host) &&
    req.headers.origin === undefined
  );
}

export function writeHealth(res: ServerResponse, health: unknown): void {
  const body = JSON.stringify(health);
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
