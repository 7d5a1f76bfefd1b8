import { PassThrough } from 'node:stream';
import { createLogger, formatLine, serializeError } from '../../src/runtime/logger.js';

function capture(level: Parameters<typeof createLogger>[0]) {
  const sink = new PassThrough();
  let text = '';
  sink.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const logger = createLogger(level, sink);
  const lines = async () => {
    await new Promise((resolve) => setTimeout(resolve, 60));
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  };
  return { logger, lines };
}

describe('logger', () => {
  test("writes pino's line format: level number, epoch-ms time, the fields, then msg", () => {
    const line = formatLine(30, { surface: 'api', code: 'Success', latencyMs: 1.5, skipped: undefined }, 'request');
    expect(line.endsWith('\n')).toBe(true);
    expect(Object.keys(JSON.parse(line) as object)).toEqual(['level', 'time', 'surface', 'code', 'latencyMs', 'msg']);
    expect(JSON.parse(line)).toMatchObject({ level: 30, surface: 'api', code: 'Success', latencyMs: 1.5, msg: 'request' });
  });

  test('censors secret-looking keys at the top level and one level down', () => {
    const parsed = JSON.parse(formatLine(30, { token: 't', nested: { secretKey: 'k', keep: 1 } }, 'm')) as Record<string, unknown>;
    expect(parsed.token).toBe('[redacted]');
    expect(parsed.nested).toEqual({ secretKey: '[redacted]', keep: 1 });
  });

  test('errors keep type, message, stack, causes and their own fields', () => {
    const error = Object.assign(new TypeError('outer', { cause: new Error('inner') }), { code: 'E_X' });
    const out = serializeError(error);
    expect(out).toMatchObject({ type: 'TypeError', message: 'outer: inner', code: 'E_X' });
    expect(String(out.stack)).toContain('caused by: Error: inner');
  });

  test('honours the level and writes batched lines', async () => {
    const { logger, lines } = capture('warn');
    logger.info({ n: 1 }, 'dropped');
    logger.warn({ n: 2 }, 'kept');
    logger.error({ n: 3 }, 'kept too');
    expect(logger.isLevelEnabled('info')).toBe(false);
    expect(logger.isLevelEnabled('error')).toBe(true);
    expect((await lines()).map((l) => [l.level, l.n])).toEqual([
      [40, 2],
      [50, 3],
    ]);
  });

  test('silent writes nothing', async () => {
    const { logger, lines } = capture('silent');
    logger.error({}, 'nothing');
    expect(await lines()).toEqual([]);
  });
});
