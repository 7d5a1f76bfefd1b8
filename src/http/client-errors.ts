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
const HEAD_COMPLETED = Symbol('a request head completed in the chunk being read');
const ANSWERING = Symbol('response in progress');
type WithHead = Duplex & {
  [HEAD]?: Buffer;
  [AWAITING_HEAD]?: boolean;
  [HEAD_COMPLETED]?: boolean;
  [ANSWERING]?: { req: RequestSeen; res: { headersSent: boolean; writableFinished: boolean } };
  parser?: NativeParser | null;
};

/** What a request whose head Node parsed tells about it. */
interface RequestSeen {
  complete: boolean;
  url?: string | undefined;
  headers?: Record<string, string | string[] | undefined>;
}

/** The part of Node's HTTP parser object this module relies on (see `afterEachChunk`). */
interface NativeParser {
  _consumed?: boolean;
  getCurrentBuffer?: () => Buffer;
  [slot: number]: unknown;
}

/** Node's parser keeps its callbacks in a handful of numbered slots (kOnMessageBegin … kOnTimeout). */
const PARSER_SLOTS = 16;

/**
 * The slot of Node's parser that Node calls after the parser has read a
 * chunk straight from the socket (`HTTPParser.kOnExecute`, 5 on Node 20):
 * the one holding Node's `onParserExecute`, bound to this connection. Found
 * by that name rather than read from `_http_common`, whose import Node has
 * deprecated (DEP0199); undefined where no slot holds it.
 */
function onExecuteSlot(parser: NativeParser): number | undefined {
  for (let slot = 0; slot < PARSER_SLOTS; slot++) {
    const value = parser[slot];
    if (typeof value === 'function' && value.name === 'bound onParserExecute') return slot;
  }
  return undefined;
}

/**
 * Keeps the first bytes of each request a connection sends, so a request Node
 * rejects can still be answered for its surface (API or SCIM) and language:
 * Node's `rawPacket` holds only the chunk it choked on. Nothing is kept
 * beyond 4 KB.
 *
 * Node's parser reads the socket natively and calls back into JS once per
 * chunk (its `kOnExecute` slot), when `getCurrentBuffer()` can copy the
 * chunk. The hook runs there: a chunk in which a request head completed
 * needs no copy (the common case: one request, one chunk), and only the
 * first chunk of a head still open is kept. Any `data` listener instead
 * would switch every chunk of the connection to the JS stream path, ~8 us
 * a request (13% of a ListSCIMCredentials); it is only the fallback for a
 * Node that does not expose the slot. Without the head, a request refused
 * mid-head (256 KB of headers arriving in several chunks, a stalled head)
 * could not be told to be SCIM, and its client would get an API envelope
 * with HTTP 200 instead of a SCIM 431/408.
 */
export function rememberRequestHeads(server: {
  on(event: 'connection', fn: (socket: Duplex) => void): unknown;
  on(event: 'request', fn: (req: RequestSeen & { socket: Duplex }, res: { headersSent: boolean; writableFinished: boolean }) => void): unknown;
}): void {
  server.on('connection', (socket: WithHead) => {
    socket[AWAITING_HEAD] = true;
    if (!hookParser(socket)) rememberFromDataEvents(socket);
  });
  server.on('request', (req, res) => {
    const socket = req.socket as WithHead;
    socket[ANSWERING] = { req, res };
    socket[HEAD_COMPLETED] = true;
    // Keep-alive: the next request on this connection starts with the next chunk.
    socket[AWAITING_HEAD] = true;
  });
}

/** Wraps the parser's per-chunk callback; false when Node's parser is not the native, consuming one this relies on. */
function hookParser(socket: WithHead): boolean {
  const parser = socket.parser;
  if (!parser || parser._consumed !== true) return false;
  const slot = onExecuteSlot(parser);
  if (slot === undefined) return false;
  const onExecute = parser[slot] as (...args: unknown[]) => unknown;
  const getCurrentBuffer = parser.getCurrentBuffer;
  if (typeof getCurrentBuffer !== 'function') return false;
  // Node calls this after parsing the chunk, so a 'request' event it caused has already run.
  parser[slot] = function afterEachChunk(this: unknown, ...args: unknown[]): unknown {
    if (socket[HEAD_COMPLETED]) {
      // A head completed within this chunk: the next request starts in the next one.
      socket[HEAD_COMPLETED] = false;
    } else if (socket[AWAITING_HEAD]) {
      socket[AWAITING_HEAD] = false;
      const chunk = getCurrentBuffer.call(parser);
      // A view would keep the whole chunk (up to 64 KB) alive with the connection.
      socket[HEAD] = chunk.length > 4096 ? Buffer.from(chunk.subarray(0, 4096)) : chunk;
    }
    return onExecute.apply(this, args);
  };
  return true;
}

function rememberFromDataEvents(socket: WithHead): void {
  socket.prependListener('data', (chunk: Buffer) => {
    if (!socket[AWAITING_HEAD]) return;
    socket[AWAITING_HEAD] = false;
    socket[HEAD] = chunk.subarray(0, 4096);
  });
}

/**
 * Reads what it can about the refused request: from the request itself when
 * its head was parsed and its body broke (bad chunked framing, a connection
 * closed mid-body); else from the bytes received (the remembered head, else
 * `rawPacket`), which may be partial or garbage.
 */
export function clientErrorFacts(error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket?: Duplex): ClientErrorFacts {
  const kind =
    error.code === 'HPE_HEADER_OVERFLOW' ? 'headers-too-large' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'timeout' : 'malformed';
  const current = (socket as WithHead | undefined)?.[ANSWERING];
  if (current !== undefined && !current.req.complete && current.req.url !== undefined) {
    const asked = current.req.headers?.['x-tc-language'];
    return { path: current.req.url, language: typeof asked === 'string' && /^[ \t]*zh-CN/i.test(asked) ? 'zh-CN' : 'en-US', kind };
  }
  const bytes = (socket as WithHead | undefined)?.[HEAD] ?? error.rawPacket;
  const head = bytes ? bytes.subarray(0, 64 * 1024).toString('latin1') : '';
  const requestLine = /^[A-Z]+ (\S+) HTTP\/\d/.exec(head);
  const language = /\r\nx-tc-language:[ \t]*zh-CN/i.test(head) ? 'zh-CN' : 'en-US';
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
