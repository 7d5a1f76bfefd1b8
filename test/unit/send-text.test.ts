import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { EndBatch, LARGE_BODY_CHARS, SlabPool, bodySlabs, responseEnds, sendText } from '../../src/http/send-text.js';
import { TextPieces } from '../../src/http/text-pieces.js';

function piecesOf(...texts: string[]): TextPieces {
  const out = new TextPieces();
  for (const text of texts) out.add(text);
  return out;
}

describe('TextPieces', () => {
  test('counts UTF-16 code units and joins to the same text', () => {
    const out = piecesOf('{', '"a":', '"Zoë 😀"', ',', '"b":1', '}');
    expect(out.toString()).toBe('{"a":"Zoë 😀","b":1}');
    expect(out.length).toBe('{"a":"Zoë 😀","b":1}'.length);
  });

  test('truncate drops what was added since the mark, length included', () => {
    const out = piecesOf('[', '1');
    const mark = out.mark;
    out.add(',');
    out.add('"dropped"');
    out.truncate(mark);
    out.add(']');
    expect(out.toString()).toBe('[1]');
    expect(out.length).toBe(3);
  });

  test.each([
    ['ASCII', ['{', '"x":', '"plain"', '}']],
    ['Latin-1 and BMP text', ['"é"', ',', '"中文"', 'ü']],
    ['a surrogate pair', ['"😀"', '😀']],
    ['one-character pieces that are not ASCII', ['é', '中', '€']],
    ['lone surrogates, which UTF-8 writes as U+FFFD', ['\ud800', 'x\udc00']],
  ])('encodes %s byte for byte as Buffer.from does, within 3 bytes a code unit', (_name, texts) => {
    const out = piecesOf(...texts);
    const target = Buffer.alloc(out.length * 3 + 8, 0xee);
    const size = out.encodeInto(target, 4);
    expect(target.subarray(4, 4 + size)).toEqual(Buffer.from(out.toString(), 'utf8'));
    expect(target[4 + size]).toBe(0xee); // nothing written past the end
  });
});

describe('SlabPool', () => {
  test('gives a slab back out only after it was given back, and keeps at most `keep`', () => {
    const pool = new SlabPool(1024, 2);
    const a = pool.take(100);
    const b = pool.take(1024);
    expect(a).not.toBe(b);
    expect(a.length).toBe(1024);
    pool.give(a);
    expect(pool.take(10)).toBe(a);
    const c = pool.take(10);
    pool.give(a);
    pool.give(b);
    pool.give(c);
    expect(pool.idle).toBe(2);
  });

  test('a body larger than a slab gets a buffer of its own, never pooled', () => {
    const pool = new SlabPool(1024, 2);
    const big = pool.take(5000);
    expect(big.length).toBe(5000);
    pool.give(big);
    expect(pool.idle).toBe(0);
  });
});

/** The part of ServerResponse that sendText uses, recording what it was given. */
class RecordingResponse extends EventEmitter {
  status = 0;
  headers: Record<string, string> = {};
  body: string | Buffer | undefined;
  private onFinish: (() => void) | undefined;

  writeHead(status: number, headers: Record<string, string>): this {
    this.status = status;
    this.headers = headers;
    return this;
  }

  end(body: string | Buffer, encodingOrDone?: string | (() => void)): this {
    this.body = body;
    if (typeof encodingOrDone === 'function') this.onFinish = encodingOrDone;
    return this;
  }

  /** What the socket does once the last byte has gone out. */
  finish(): void {
    this.onFinish?.();
  }
}

/** Sends `body` and waits for the turn's answers to be ended. */
async function send(body: string | TextPieces): Promise<RecordingResponse> {
  const res = new RecordingResponse();
  sendText(res as unknown as ServerResponse, 201, { 'Content-Type': 'application/json' }, body);
  await nextTurn();
  return res;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('sendText', () => {
  const large = () => `"${'Zoë 😀 '.repeat(LARGE_BODY_CHARS / 4)}"`;

  test('a small body goes out as text, with its length in bytes', async () => {
    const res = await send(piecesOf('{"a":', '"é"', '}'));
    expect(res.status).toBe(201);
    expect(res.body).toBe('{"a":"é"}');
    expect(res.headers).toEqual({ 'Content-Type': 'application/json', 'Content-Length': '10' });
  });

  test.each([
    ['a string', () => large()],
    ['pieces', () => piecesOf('[', large(), ',', large(), ']')],
  ])('a large body from %s goes out as its UTF-8 bytes, with their exact length', async (_name, make) => {
    const body = make();
    const res = await send(body);
    expect(Buffer.isBuffer(res.body)).toBe(true);
    expect(res.body).toEqual(Buffer.from(body.toString(), 'utf8'));
    expect(res.headers['Content-Length']).toBe(String(Buffer.byteLength(body.toString(), 'utf8')));
    res.finish();
  });

  test('the buffer a large answer is in is not reused until that answer has been sent', async () => {
    const first = await send(large());
    const firstBytes = Buffer.from(first.body as Buffer);
    // Another large answer while the first is still on its way: its own memory.
    const second = await send(`"${'other '.repeat(LARGE_BODY_CHARS / 4)}"`);
    expect((second.body as Buffer).buffer).not.toBe((first.body as Buffer).buffer);
    expect(first.body).toEqual(firstBytes);
    second.finish();
    first.finish();
    // Sent: now its memory may carry the next answer.
    const third = await send(large());
    expect([(first.body as Buffer).buffer, (second.body as Buffer).buffer]).toContain((third.body as Buffer).buffer);
    third.finish();
    expect(bodySlabs.idle).toBeGreaterThan(0);
  });
});

describe('EndBatch', () => {
  /** Ends what it is given, in order; `fail` makes end throw. */
  class EndingResponse extends EventEmitter {
    destroyed = false;
    constructor(
      private readonly log: string[],
      readonly name: string,
      private readonly fail = false,
    ) {
      super();
    }
    end(body: string): this {
      if (this.fail) throw new Error('socket gone');
      this.log.push(`${this.name}:${body}`);
      return this;
    }
    destroy(): this {
      this.destroyed = true;
      return this;
    }
  }
  const asResponse = (r: EndingResponse) => r as unknown as ServerResponse;

  test('answers queued in one turn are ended together after it, in the order they were queued', async () => {
    const log: string[] = [];
    const batch = new EndBatch();
    batch.end(asResponse(new EndingResponse(log, 'a')), '1');
    // Queued from a later callback of the same turn: ends with the first.
    await Promise.resolve();
    batch.end(asResponse(new EndingResponse(log, 'b')), '2');
    expect(log).toEqual([]);
    expect(batch.queued).toBe(2);
    await nextTurn();
    expect(log).toEqual(['a:1', 'b:2']);
    expect(batch.queued).toBe(0);
    batch.end(asResponse(new EndingResponse(log, 'c')), '3');
    await nextTurn();
    expect(log).toEqual(['a:1', 'b:2', 'c:3']);
  });

  test('an answer whose end throws is destroyed, and the others of its turn still go out', async () => {
    const log: string[] = [];
    const batch = new EndBatch();
    const broken = new EndingResponse(log, 'broken', true);
    batch.end(asResponse(broken), 'x');
    batch.end(asResponse(new EndingResponse(log, 'fine')), 'y');
    await nextTurn();
    expect(broken.destroyed).toBe(true);
    expect(log).toEqual(['fine:y']);
  });

  test('sendText stores the head at once, so nothing can answer the request twice, and ends it after the turn', async () => {
    const res = new RecordingResponse();
    sendText(res as unknown as ServerResponse, 200, {}, '{"a":1}');
    expect(res.status).toBe(200);
    expect(res.body).toBeUndefined();
    expect(responseEnds.queued).toBeGreaterThan(0);
    await nextTurn();
    expect(res.body).toBe('{"a":1}');
  });
});
