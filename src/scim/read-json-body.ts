import type { IncomingMessage } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { charsetVerdict } from './content-type.js';
import { MAX_SCIM_BODY_BYTES } from './discovery.js';
import { bodyReadError } from './json-body.js';

/**
 * Reads a SCIM write's JSON body as the router's
 * `express.json({ type: () => true, limit: MAX_SCIM_BODY_BYTES, strict: false })`
 * does (body-parser 2 over raw-body 3 and iconv-lite), step for step, so the
 * direct write path answers every body as the router does. Only for requests
 * route-request.ts hands it: no Content-Encoding (body-parser would inflate)
 * and a charset charsetVerdict can judge (utf-8 or refused); the rest stays
 * on Express. Resolves to the parsed body, or undefined where body-parser
 * leaves req.body unset; rejects with the SCIM error the router would send.
 */
export function readJsonBody(req: IncomingMessage): Promise<unknown> {
  // body-parser: a request already over (its socket gone) has no body to read.
  if (isFinished(req)) return Promise.resolve(undefined);
  // type-is's hasBody: neither Transfer-Encoding nor a numeric Content-Length.
  const declared = req.headers['content-length'];
  const numericLength = !Number.isNaN(Number(declared)); // false for an absent header too
  if (req.headers['transfer-encoding'] === undefined && !numericLength) return Promise.resolve(undefined);
  // A charset body-parser refuses (415 charset.unsupported there; the router's mapping makes it a 400), before any reading.
  if (charsetVerdict(req.headers['content-type']) === 'refused') return Promise.reject(bodyReadError({ type: 'charset.unsupported' }));
  return readUtf8(req, numericLength ? parseInt(declared!, 10) : null).then(parseBody);
}

/** body-parser's non-strict JSON parse: an empty body is `{}`; the message is JSON.parse's, as there. */
function parseBody(text: string): unknown {
  if (text.length === 0) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw bodyReadError({ type: 'entity.parse.failed', message: (error as Error).message });
  }
}

type ReadFailure = { type: string };

/**
 * raw-body's readStream with an iconv-lite utf-8 decoder: Node's StringDecoder
 * chunk by chunk (so invalid or split sequences decode the same), one leading
 * byte-order mark dropped from the first text it yields, the limit checked as
 * bytes arrive (nothing past it is kept). On a failure the rest of the request
 * is read off and discarded before the answer, as body-parser does.
 */
function readUtf8(req: IncomingMessage, length: number | null): Promise<string> {
  return new Promise((resolve, reject) => {
    const fail = (failure: ReadFailure) => {
      req.pause();
      // body-parser reads off the entire request (discarding it), then answers.
      dump(req, () => reject(bodyReadError(failure)));
    };
    if (length !== null && length > MAX_SCIM_BODY_BYTES) {
      // raw-body answers a too-large declared length on the next tick, before reading.
      process.nextTick(() => fail({ type: 'entity.too.large' }));
      return;
    }
    if (!req.readable) {
      process.nextTick(() => fail({ type: 'stream.not.readable' }));
      return;
    }
    const decoder = new StringDecoder('utf8');
    let text = '';
    let bomChecked = false;
    let received = 0;
    let complete = false;
    const finish = (outcome: () => void) => {
      complete = true;
      cleanup();
      outcome();
    };
    const onData = (chunk: Buffer) => {
      if (complete) return;
      received += chunk.length;
      if (received > MAX_SCIM_BODY_BYTES) return finish(() => fail({ type: 'entity.too.large' }));
      let part = decoder.write(chunk);
      // iconv-lite's StripBOM: looks at the first non-empty text only.
      if (!bomChecked && part !== '') {
        bomChecked = true;
        if (part.charCodeAt(0) === 0xfeff) part = part.slice(1);
      }
      text += part;
    };
    const onEnd = (error?: unknown) => {
      if (complete) return;
      if (error) return finish(() => fail({ type: 'request.error' }));
      if (length !== null && received !== length) return finish(() => fail({ type: 'request.size.invalid' }));
      finish(() => resolve(text + decoder.end()));
    };
    const onAborted = () => {
      if (!complete) finish(() => fail({ type: 'request.aborted' }));
    };
    // raw-body stops listening when the request closes, without answering (an abort answers through 'aborted').
    const cleanup = () => {
      req.off('aborted', onAborted);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onEnd);
      req.off('close', cleanup);
    };
    req.on('aborted', onAborted);
    req.on('close', cleanup);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onEnd);
  });
}

/** on-finished's isFinished for a request. */
function isFinished(req: IncomingMessage): boolean {
  const socket = req.socket as IncomingMessage['socket'] | null;
  return Boolean((req as { upgrade?: boolean }).upgrade || !socket || !socket.readable || (req.complete && !req.readable));
}

/** body-parser's dump: read off the rest of the request, then call back (on-finished's events). */
function dump(req: IncomingMessage, callback: () => void): void {
  if (isFinished(req)) return callback();
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    req.off('end', once);
    req.socket.off('close', once);
    req.socket.off('error', once);
    callback();
  };
  req.on('end', once);
  req.socket.on('close', once);
  req.socket.on('error', once);
  req.resume();
}
