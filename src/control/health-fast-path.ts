import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLoopbackAddress, isLoopbackHost } from './access.js';

/**
 * Control endpoints answered without Express, for a loopback client:
 * - `GET /_emulator/health`: readiness probes (CI scripts, the container's
 *   HEALTHCHECK) hit it right after start-up, and importing Express for them
 *   would double the time to the first answer;
 * - `GET /_emulator/metrics` and a bodiless `POST /_emulator/metrics/reset`:
 *   whoever watches memory (the benchmark) must not load Express and the
 *   control router into the process it measures (~35 MB resident).
 * Anything else under /_emulator, and any other client, goes through the
 * control router and its access rules as before; bodies, statuses and headers
 * are the ones the router writes.
 */
export type FastControlRoute = 'health' | 'metrics' | 'metrics-reset';

export function fastControlRoute(req: IncomingMessage): FastControlRoute | null {
  const { method, url } = req;
  let route: FastControlRoute;
  if (method === 'GET' && url === '/_emulator/health') route = 'health';
  else if (method === 'GET' && url === '/_emulator/metrics') route = 'metrics';
  // With a body, the router's body parser has its say (size, charset): leave it to the router.
  else if (method === 'POST' && url === '/_emulator/metrics/reset' && hasNoBody(req)) route = 'metrics-reset';
  else return null;
  const local = isLoopbackAddress(req.socket.remoteAddress) && isLoopbackHost(req.headers.host) && req.headers.origin === undefined;
  return local ? route : null;
}

function hasNoBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
}

/** What the fast routes read. */
export interface FastControlDeps {
  health(): unknown;
  metrics: { snapshot(): unknown; reset(): void };
}

export function answerFastControl(route: FastControlRoute, res: ServerResponse, deps: FastControlDeps): void {
  if (route === 'metrics-reset') {
    deps.metrics.reset();
    res.writeHead(204);
    res.end();
    return;
  }
  writeJsonLikeExpress(res, route === 'health' ? deps.health() : deps.metrics.snapshot());
}

/** As Express's `res.json` writes it (etag disabled). */
function writeJsonLikeExpress(res: ServerResponse, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
