import { Agent, request } from 'node:http';
import { signedApiHeaders } from './tc3.js';

/**
 * node:http with keep-alive for set-up, seeding and probes: fetch (undici)
 * costs the client more CPU per request than the emulator spends on a small one.
 */
export const agent = new Agent({ keepAlive: true, maxSockets: 128 });

export interface HttpAnswer {
  status: number;
  text: string;
}

export async function send(
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body?: string,
  timeoutMs = 60_000,
): Promise<HttpAnswer> {
  try {
    return await sendOnce(method, url, headers, body, timeoutMs);
  } catch (error) {
    // A kept-alive socket the server closed as the request went out (its idle timeout): the server never
    // read the request, so sending it again on a new socket is safe; Node documents this very retry.
    if ((error as NodeJS.ErrnoException & { reusedSocket?: boolean }).reusedSocket !== true) throw error;
    return sendOnce(method, url, headers, body, timeoutMs);
  }
}

function sendOnce(method: string, url: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const allHeaders = body === undefined ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) };
    let answered = false;
    const req = request(url, { method, agent, headers: allHeaders, timeout: timeoutMs }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      // Only a reset before any answer on a reused socket is the keep-alive race; say so to `send`.
      if (req.reusedSocket && error.code === 'ECONNRESET' && !answered) Object.assign(error, { reusedSocket: true });
      reject(error);
    });
    req.end(body);
  });
}

export class ApiCallError extends Error {
  constructor(
    readonly action: string,
    readonly code: string,
    message: string,
  ) {
    super(`${action}: ${code}: ${message}`);
  }
}

type Envelope = { Response: Record<string, unknown> & { Error?: { Code: string; Message: string } } };

/** A TC3-signed API 3.0 call as the demo account; throws ApiCallError on an error envelope. */
export async function callApi(base: string, action: string, params: object, timeoutMs?: number): Promise<Record<string, unknown>> {
  const body = JSON.stringify(params);
  const answer = await send('POST', `${base}/`, signedApiHeaders(action, body, new URL(base).host), body, timeoutMs);
  const envelope = JSON.parse(answer.text) as Envelope;
  const error = envelope.Response.Error;
  if (error) throw new ApiCallError(action, error.Code, error.Message);
  return envelope.Response;
}

export async function callScim(base: string, token: string, method: string, path: string, resource?: object, timeoutMs?: number): Promise<unknown> {
  const answer = await send(
    method,
    `${base}/scim/v2${path}`,
    { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' },
    resource === undefined ? undefined : JSON.stringify(resource),
    timeoutMs,
  );
  if (answer.status >= 400) throw new Error(`SCIM ${method} ${path}: ${answer.status} ${answer.text.slice(0, 300)}`);
  return answer.status === 204 ? null : (JSON.parse(answer.text) as unknown);
}

/** What GET /_emulator/metrics answers (src/control/runtime-metrics.ts). */
export interface EmulatorMetrics {
  memory: { rss: number; heapUsed: number };
  eventLoopDelayMs: { max: number; p99: number; mean: number };
}

export async function readMetrics(base: string): Promise<EmulatorMetrics> {
  const answer = await send('GET', `${base}/_emulator/metrics`);
  if (answer.status !== 200) throw new Error(`GET /_emulator/metrics: ${answer.status}`);
  return JSON.parse(answer.text) as EmulatorMetrics;
}

export async function resetMetrics(base: string): Promise<void> {
  const answer = await send('POST', `${base}/_emulator/metrics/reset`);
  if (answer.status !== 204) throw new Error(`POST /_emulator/metrics/reset: ${answer.status}`);
}
