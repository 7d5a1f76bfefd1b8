import type { ServerResponse } from 'node:http';
import type { TextPieces } from './text-pieces.js';

/** From this many UTF-16 code units a body is encoded into a pooled buffer (see sendText). */
export const LARGE_BODY_CHARS = 8192;

/**
 * Buffers that large bodies are encoded into, each reused once the socket has
 * sent the answer it held. A few are kept; one that is in use (a slow client)
 * is simply not given back until it is done, and others are made meanwhile.
 */
export class SlabPool {
  private readonly free: Buffer[] = [];

  constructor(
    readonly slabBytes = 256 * 1024,
    readonly keep = 4,
  ) {}

  /** A buffer of at least `bytes`: a pooled slab, or a one-off for a body larger than a slab. */
  take(bytes: number): Buffer {
    if (bytes > this.slabBytes) return Buffer.allocUnsafeSlow(bytes);
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.slabBytes);
  }

  /** Only once nothing reads `slab` any more: the socket has sent it. */
  give(slab: Buffer): void {
    if (slab.length === this.slabBytes && this.free.length < this.keep) this.free.push(slab);
  }

  get idle(): number {
    return this.free.length;
  }
}

export const bodySlabs = new SlabPool();

/**
 * Ends responses together, after the I/O callbacks of the event loop's turn
 * that produced them (setImmediate: the check phase, which follows poll).
 *
 * A server answering each request the moment it is ready writes to one
 * socket after another while its client sleeps in epoll; on a VM each
 * write then pays for waking the client, and each of the client's next
 * requests arrives on its own, to be read in a turn of its own. Ending the
 * turn's answers one after another lets a client wake once for many and send
 * its next requests together, which the server then reads in one turn. With
 * 16 connections, SCIM look-ups went from ~16,500 to ~22,000 requests/s and
 * from ~60 to ~43 us of CPU each; `ListSCIMCredentials` alike. An answer
 * waits at most for the other requests of the same turn. Small answers
 * only: see sendText.
 *
 * The head is stored at once (`writeHead`), so `headersSent` is true from the
 * moment an answer is queued and nothing can answer the request twice.
 */
export class EndBatch {
  private responses: ServerResponse[] = [];
  private bodies: string[] = [];
  private scheduled = false;

  end(res: ServerResponse, body: string): void {
    this.responses.push(res);
    this.bodies.push(body);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  /** Answers queued and not yet ended. */
  get queued(): number {
    return this.responses.length;
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const { responses, bodies } = this;
    this.responses = [];
    this.bodies = [];
    for (let i = 0; i < responses.length; i++) {
      const res = responses[i]!;
      try {
        res.end(bodies[i], 'utf8');
      } catch {
        // The others still go out; this connection cannot be trusted with another answer.
        res.destroy();
      }
    }
  };
}

export const responseEnds = new EndBatch();

/**
 * Writes a whole response: the head (`headers` is taken over, and gets the
 * Content-Length) and a text body, as UTF-8.
 *
 * A small body goes to Node as a string, joined with the head into one
 * write, and is ended with the other answers of the same turn (EndBatch).
 * A large one (a page of 100 users is ~32 kB) is encoded once, straight from
 * its pieces, into a pooled buffer that the socket sends as is. As a string,
 * V8 would copy the pieces flat, count its bytes for Content-Length, and Node
 * would encode it again into memory of its own. In A/B runs a ListUsers page
 * went from ~114 to ~105 µs of CPU, its garbage collection from ~15 to ~9 µs.
 * A fresh Buffer a request would avoid the copies but not the garbage: 32 kB
 * of external memory a request made V8 collect so often that pages got twice
 * as slow.
 */
export function sendText(res: ServerResponse, status: number, headers: Record<string, string>, body: string | TextPieces): void {
  if (body.length < LARGE_BODY_CHARS) {
    const text = typeof body === 'string' ? body : body.toString();
    headers['Content-Length'] = String(Buffer.byteLength(text, 'utf8'));
    res.writeHead(status, headers);
    responseEnds.end(res, text);
    return;
  }
  // UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 for 2).
  const slab = bodySlabs.take(body.length * 3);
  const size = typeof body === 'string' ? slab.write(body, 0, 'utf8') : body.encodeInto(slab);
  headers['Content-Length'] = String(size);
  res.writeHead(status, headers);
  // 'finish': the last byte has gone to the socket, so the slab may be written again.
  // At once, not batched: a turn's worth of 32 kB pages at once overran the sockets' buffers (more system time, fewer pages).
  res.end(slab.subarray(0, size), () => bodySlabs.give(slab));
}
