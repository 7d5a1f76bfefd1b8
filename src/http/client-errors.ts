import { STATUS_CODES, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** Why a request was refused before any surface's handler saw it. */
export type EarlyProblem = 'headers-too-large' | 'head-timeout' | 'body-timeout' | 'malformed' | 'host-missing' | 'expectation-failed';

export interface EarlyError {
  problem: EarlyProblem;
  language: 'en-US' | 'zh-CN';
  /** For a timeout: the limit that ran out, in seconds (0.4 under a short test limit). */
  seconds?: number;
}

export interface EarlyAnswer {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string;
}

/**
 * Renders an early error in the shape of the surface that `target` (a request
 * target: path and query, or absolute form) belongs to. `undefined` when Node
 * gave nothing to tell the surface by: the answer must then suit every surface.
 */
export type EarlyErrorRenderer = (error: EarlyError, target: string | undefined) => EarlyAnswer;

export interface EarlyErrorOptions {
  render: EarlyErrorRenderer;
  /** Request target plus header names and values (what Node's maxHeaderSize counts); more is refused as too large. */
  maxHeaderBytes: number;
  /** Header fields a request may have; Node keeps one more, so that more can be told apart and refused. */
  maxHeaderFields: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

/** The latest request a connection handed over, through its response (`res.req` is the request). */
const LATEST = Symbol('latest response on this connection');
/** Set once a connection's refusal is handled: a parser in error reports every later chunk again. */
const REFUSED = Symbol('refusal handled');
type Connection = Duplex & { [LATEST]?: ServerResponse; [REFUSED]?: true };

/**
 * Serves `app` on `server` and answers, in its surface's shape, the requests
 * Node would refuse or answer itself with an empty body: headers over the
 * limit, no Host on HTTP/1.1, an Expect other than 100-continue (each seen as
 * a parsed request, so its path is known), and what Node's parser rejects
 * (`clientError`). For the last, the path is known only when Node parsed the
 * head (a broken or stalled body) or the bytes Node was reading hold the
 * request line (see refusedHead); otherwise the renderer is given no target.
 *
 * Only public events are used, and nothing reads the socket: request heads
 * stay on Node's native parser.
 */
export function answerEarlyErrors(server: Server, app: RequestListener, options: EarlyErrorOptions): void {
  server.maxHeadersCount = options.maxHeaderFields + 1;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    (req.socket as Connection)[LATEST] = res;
    const refused = refusalOf(req, options);
    if (refused === undefined) app(req, res);
    else answer(res, options.render({ problem: refused, language: languageOf(req) }, req.url));
  });
  // Without a listener Node answers 417 with an empty body.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) =>
    answer(res, options.render({ problem: 'expectation-failed', language: languageOf(req) }, req.url)),
  );
  server.on('clientError', (error: RefusedError, socket: Duplex) => onClientError(error, socket, options));
}

function refusalOf(req: IncomingMessage, options: EarlyErrorOptions): EarlyProblem | undefined {
  const raw = req.rawHeaders;
  if (raw.length > 2 * options.maxHeaderFields) return 'headers-too-large';
  let bytes = req.url?.length ?? 0;
  for (let i = 0; i < raw.length; i++) bytes += raw[i]!.length;
  if (bytes > options.maxHeaderBytes) return 'headers-too-large';
  // RFC 9112 section 3.2: a server must answer 400 to an HTTP/1.1 request without Host.
  if (req.httpVersionMinor === 1 && req.httpVersionMajor === 1 && req.headers.host === undefined) return 'host-missing';
  return undefined;
}

function languageOf(req: IncomingMessage): EarlyError['language'] {
  const asked = req.headers['x-tc-language'];
  return typeof asked === 'string' && /^[ \t]*zh-CN/i.test(asked) ? 'zh-CN' : 'en-US';
}

/** Answers a request whose head was parsed and closes its connection: its body, if any, is not read. */
function answer(res: ServerResponse, early: EarlyAnswer): void {
  res.writeHead(early.status, { ...early.headers, 'Content-Length': String(Buffer.byteLength(early.body)), Connection: 'close' });
  res.end(early.body);
}

/** Node's `clientError` error: `rawPacket` and `bytesParsed` are documented with the event. */
type RefusedError = NodeJS.ErrnoException & { rawPacket?: Buffer; bytesParsed?: number };

function onClientError(error: RefusedError, socket: Connection, options: EarlyErrorOptions): void {
  if (socket[REFUSED]) return;
  socket[REFUSED] = true;
  const res = socket[LATEST];
  const req = res?.req;
  const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  if (res !== undefined && req !== undefined && !req.complete) {
    // The request being received broke (bad framing, a connection closed or stalled mid-body).
    if (res.headersSent) {
      // Already answered: a second answer would corrupt the stream.
      socket.destroy();
      return;
    }
    const problem = timedOut ? 'body-timeout' : error.code === 'HPE_HEADER_OVERFLOW' ? 'headers-too-large' : 'malformed';
    const seconds = timedOut ? { seconds: options.requestTimeoutMs / 1000 } : {};
    writeAndClose(socket, options.render({ problem, language: languageOf(req), ...seconds }, req.url));
    return;
  }
  if (res !== undefined && !res.writableFinished) {
    // A whole request is still being answered and what follows it is not a request (Node's own client sends
    // an OPTIONS or DELETE body without Content-Length): that answer goes out, then the connection closes.
    if (!res.headersSent) res.setHeader('Connection', 'close');
    res.once('finish', () => socket.end());
    return;
  }
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  if (timedOut) {
    // Node gives no bytes with a timeout, and no request was handed over: the head stalled.
    writeAndClose(socket, options.render({ problem: 'head-timeout', language: 'en-US', seconds: options.headersTimeoutMs / 1000 }, undefined));
    return;
  }
  const refused = refusedHead(error);
  const problem = error.code === 'HPE_HEADER_OVERFLOW' ? 'headers-too-large' : 'malformed';
  if (problem === 'malformed' && refused.target === undefined && (res !== undefined || refused.afterHead)) {
    // Bytes after a whole request that do not start one: its unframed body, not a request to answer.
    socket.end();
    return;
  }
  writeAndClose(socket, options.render({ problem, language: refused.language }, refused.target));
}

/** What the bytes Node refused tell about the request they belong to. */
export interface RefusedHead {
  /** Its request target (possibly cut short: enough to tell its surface), when its request line is in the bytes. */
  target: string | undefined;
  language: EarlyError['language'];
  /** A head ended earlier in these bytes: what was refused came after a whole request's head. */
  afterHead: boolean;
}

const REQUEST_LINE = /^[A-Z][A-Z-]{0,31} (\/[^\s]*|[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s]*)/;
/** Enough of a head to find its target's surface and its X-TC-Language. */
const HEAD_READ_BYTES = 64 * 1024;

/**
 * `rawPacket` is the chunk Node was reading, and `bytesParsed` where in it
 * Node stopped (both public). The refused message starts after the last head
 * that ended before that point, else at the chunk's start; only if a request
 * line is there is it known.
 */
export function refusedHead(error: { rawPacket?: Buffer; bytesParsed?: number }): RefusedHead {
  const packet = error.rawPacket;
  if (packet === undefined) return { target: undefined, language: 'en-US', afterHead: false };
  const stop = Math.min(error.bytesParsed ?? packet.length, packet.length);
  const parsed = packet.subarray(0, Math.min(stop, HEAD_READ_BYTES)).toString('latin1');
  const lastHeadEnd = parsed.lastIndexOf('\r\n\r\n');
  const start = lastHeadEnd < 0 ? 0 : lastHeadEnd + 4;
  const head = packet.subarray(start, start + HEAD_READ_BYTES).toString('latin1');
  const target = REQUEST_LINE.exec(head)?.[1];
  const end = head.indexOf('\r\n\r\n');
  const zh = target !== undefined && /\r\nx-tc-language:[ \t]*zh-CN/i.test(end < 0 ? head : head.slice(0, end));
  return { target, language: zh ? 'zh-CN' : 'en-US', afterHead: lastHeadEnd >= 0 };
}

function writeAndClose(socket: Duplex, early: EarlyAnswer): void {
  const headers = Object.entries({ ...early.headers, 'Content-Length': String(Buffer.byteLength(early.body)), Connection: 'close' })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${early.status} ${STATUS_CODES[early.status] ?? 'Error'}\r\n${headers}\r\n${early.body}`);
}
