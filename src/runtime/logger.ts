export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';
export const LOG_LEVELS: readonly LogLevel[] = ['silent', 'error', 'warn', 'info', 'debug'];

/**
 * What the emulator needs of a logger. A pino logger fits as well, for
 * embedders who want their own.
 */
export interface Logger {
  isLevelEnabled(level: LogLevel): boolean;
  error(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
  info(fields: object, msg: string): void;
  debug(fields: object, msg: string): void;
}

/** pino's numbers, so the lines read the same as they did when pino wrote them. */
const LEVEL_VALUES: Readonly<Record<LogLevel, number>> = { silent: Infinity, error: 50, warn: 40, info: 30, debug: 20 };

/** Secrets are never passed to the logger; censoring these keys (and one level down) is a second line of defence. */
const REDACTED_KEYS = new Set(['authorization', 'secret', 'secretKey', 'token']);
const CENSOR = '"[redacted]"';

/**
 * One JSON line per event on stderr (stdout stays for the start-up banner), in
 * pino's format: `{"level":30,"time":<epoch ms>,...fields,"msg":"..."}`.
 *
 * Written by hand rather than with pino: one line per API request is on the hot
 * path, and pino took about 35 ms of start-up to import. Lines are written in
 * batches (see BatchedSink), and whatever is pending when the process exits is
 * written synchronously then.
 */
export function createLogger(level: LogLevel, destination: NodeJS.WritableStream = process.stderr): Logger {
  const threshold = LEVEL_VALUES[level];
  const sink = new BatchedSink(destination);
  const at =
    (value: number) =>
    (fields: object, msg: string): void => {
      if (value >= threshold) sink.push(formatLine(value, fields, msg));
    };
  return {
    isLevelEnabled: (asked) => LEVEL_VALUES[asked] >= threshold,
    error: at(LEVEL_VALUES.error),
    warn: at(LEVEL_VALUES.warn),
    info: at(LEVEL_VALUES.info),
    debug: at(LEVEL_VALUES.debug),
  };
}

export function formatLine(level: number, fields: object, msg: string): string {
  let line = `{"level":${level},"time":${Date.now()}`;
  const record = fields as Record<string, unknown>;
  // for-in rather than Object.entries: no array per field on the per-request path.
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const value = record[key];
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    line += `,${JSON.stringify(key)}:${REDACTED_KEYS.has(key) ? CENSOR : serialize(value)}`;
  }
  return `${line},"msg":${JSON.stringify(msg)}}\n`;
}

function serialize(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean' || value === null) return String(value);
  if (value instanceof Error) return safeStringify(serializeError(value));
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).some((k) => REDACTED_KEYS.has(k))) {
    const censored: Record<string, unknown> = { ...value };
    for (const k of Object.keys(censored)) if (REDACTED_KEYS.has(k)) censored[k] = '[redacted]';
    return safeStringify(censored);
  }
  return safeStringify(value);
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null';
  } catch {
    // A circular structure: not worth losing the whole line over.
    return '"[unserializable]"';
  }
}

/** Like pino's `err` serializer: type, message and stack (with their causes), then the error's own fields (code, ...). */
export function serializeError(error: Error): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: error.constructor?.name ?? error.name,
    message: error.message,
    stack: error.stack,
  };
  let cause: unknown = error.cause;
  for (let depth = 0; cause instanceof Error && depth < 10; depth += 1, cause = cause.cause) {
    out.message = `${String(out.message)}: ${cause.message}`;
    out.stack = `${String(out.stack)}\ncaused by: ${cause.stack ?? cause.message}`;
  }
  for (const [k, v] of Object.entries(error)) {
    if (k !== 'cause' && out[k] === undefined && !(v instanceof Error)) out[k] = REDACTED_KEYS.has(k) ? '[redacted]' : v;
  }
  return out;
}

/** Every sink with unwritten lines, for the exit hook. */
const unflushed = new Set<BatchedSink>();
let exitHookInstalled = false;

/** How long a line may wait for company before it is written. */
const FLUSH_AFTER_MS = 20;
/** Written at once past this size, whatever the timer says. */
const FLUSH_AT_CHARS = 64 * 1024;

/**
 * Collects lines and hands them to the destination in one write every
 * FLUSH_AFTER_MS: a write per API request cost as much as building its line.
 */
class BatchedSink {
  private pending = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly destination: NodeJS.WritableStream) {}

  push(line: string): void {
    this.pending += line;
    if (this.pending.length >= FLUSH_AT_CHARS) {
      this.flush();
      return;
    }
    if (this.timer === undefined) {
      unflushed.add(this);
      installExitHook();
      // Unref'd: pending lines never keep the process alive; the exit hook writes them.
      this.timer = setTimeout(() => this.flush(), FLUSH_AFTER_MS).unref();
    }
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    unflushed.delete(this);
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    this.destination.write(text);
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // stderr to a file or pipe is written synchronously, so this lands before the process ends.
  process.on('exit', () => {
    for (const sink of unflushed) sink.flush();
  });
}
