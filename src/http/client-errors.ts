import type { Duplex } from 'node:stream';
import { errorBody } from '../api/envelope.js';
import { ApiError, type Language } from '../errors/api-error.js';
import { ScimError } from '../scim/engine/errors.js';

/** What Node tells us about a request it refused before any handler saw it. */
interface ClientErrorFacts {
  /** The request target, when the request line was received. */
  path: string | undefined;
  language: Language;
  kind: 'headers-too-large' | 'timeout' | 'malformed';
}

const HEAD = Symbol('request head');
const AWAITING_HEAD = Symbol('next chunk starts a request');
const ANSWERING = Symbol('response in progress');
type WithHead = Duplex & {
  [HEAD]?: Buffer;
  [AWAITING_HEAD]?: boolean;
  [ANSWERING]?: { req: { complete: boolean }; res: { headersSent: boolean; writableFinished: boolean } };
};

/**
 * Keeps the first bytes of each request a connection sends, so a request Node
 * rejects can still be answered for its surface (API or SCIM) and language:
 * Node's `rawPacket` holds only the chunk it choked on. Nothing is kept
 * beyond 4 KB.
 *
 * One listener per connection, placed before Node's own parser: it takes a
 * chunk when the previous request has been handed over (or none came yet),
 * then the parser reads the same chunk. Adding and removing a `once`
 * listener for every request cost more than the rest of this bookkeeping.
 *
 * The price, paid knowingly: any `data` listener makes Node hand every chunk
 * through the JS stream instead of its parser reading the socket natively,
 * ~8 us a request (13% of a ListSCIMCredentials). Without the head, a
 * request refused mid-head (256 KB of headers arriving in several chunks, a
 * stalled head) could not be told to be SCIM, and its client would get an
 * API envelope with HTTP 200 instead of a SCIM 431/408.
 */
export function rememberRequestHeads(server: {
  on(event: 'connection', fn: (socket: Duplex) => void): unknown;
  on(event: 'request', fn: (req: { socket: Duplex; complete: boolean }, res: { headersSent: boolean; writableFinished: boolean }) => void): unknown;
}): void {
  server.on('connection', (socket: WithHead) => {
    socket[AWAITING_HEAD] = true;
    socket.prependListener('data', (chunk: Buffer) => {
      if (!socket[AWAITING_HEAD]) return;
      socket[AWAITING_HEAD] = false;
      socket[HEAD] = chunk.subarray(0, 4096);
    });
  });
  server.on('request', (req, res) => {
    const socket = req.socket as WithHead;
    socket[ANSWERING] = { req, res };
    // Keep-alive: the next request on this connection starts with the next chunk.
    socket[AWAITING_HEAD] = true;
  });
}

/** Reads what it can from the bytes received (the remembered head, else `rawPacket`); they may be partial or garbage. */
export function clientErrorFacts(error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket?: Duplex): ClientErrorFacts {
  const bytes = (socket as WithHead | undefined)?.[HEAD] ?? error.rawPacket;
  const head = bytes ? bytes.subarray(0, 64 * 1024).toString('latin1') : '';
  const requestLine = /^[A-Z]+ (\S+) HTTP\/\d/.exec(head);
  const language = /\r\nx-tc-language:[ \t]*zh-CN/i.test(head) ? 'zh-CN' : 'en-US';
  const kind =
    error.code === 'HPE_HEADER_OVERFLOW' ? 'headers-too-large' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'timeout' : 'malformed';
  return { path: requestLine?.[1], language, kind };
}

function isScimPath(path: string | undefined): boolean {
  return path !== undefined && /^\/scim\/v2(?:[/?#]|$)/i.test(path);
}

export interface ClientErrorAnswerOptions {
  requestId: () => string;
  timeoutSeconds: number;
}

/**
 * The answer to a request Node rejected before routing: a Tencent Cloud
 * envelope (HTTP 200, as SDKs expect) through the one envelope writer, in the
 * caller's language, for the API; a SCIM error with a 4xx status under
 * /scim/v2, since an identity provider would read a 200 as success.
 */
export function clientErrorResponse(facts: ClientErrorFacts, options: ClientErrorAnswerOptions): string {
  if (isScimPath(facts.path)) {
    const [status, detail] =
      facts.kind === 'headers-too-large'
        ? [431, 'The request headers are larger than the emulator accepts.']
        : facts.kind === 'timeout'
          ? [408, `The request was not received within ${options.timeoutSeconds} s.`]
          : [400, 'The HTTP request is malformed.'];
    const body = JSON.stringify(new ScimError(status, undefined, detail).toScimErrorBody());
    return httpResponse(status, 'application/scim+json', body);
  }
  const error =
    facts.kind === 'headers-too-large'
      ? new ApiError('headersTooLarge')
      : facts.kind === 'timeout'
        ? new ApiError('requestTimedOut', { seconds: options.timeoutSeconds })
        : new ApiError('malformedHttp');
  return httpResponse(200, 'application/json', JSON.stringify(errorBody(error, facts.language, options.requestId())));
}

const REASONS: Record<number, string> = { 200: 'OK', 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

function httpResponse(status: number, contentType: string, body: string): string {
  return `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, options: ClientErrorAnswerOptions): void {
  // A handler already answered the request whose framing broke (or is still answering one): a second answer would corrupt the stream.
  const current = (socket as WithHead)[ANSWERING];
  const answered = current !== undefined && current.res.headersSent && (!current.req.complete || !current.res.writableFinished);
  if (!socket.writable || answered) {
    socket.destroy();
    return;
  }
  socket.end(clientErrorResponse(clientErrorFacts(error, socket), options));
}
