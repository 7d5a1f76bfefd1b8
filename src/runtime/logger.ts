import { pino, type Logger } from 'pino';

export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';
export const LOG_LEVELS: readonly LogLevel[] = ['silent', 'error', 'warn', 'info', 'debug'];

export type { Logger };

/**
 * One JSON line per event on stderr (stdout stays for the start-up banner).
 * Secrets are never passed to the logger; the redaction is a second line of defence.
 */
export function createLogger(level: LogLevel, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ['authorization', 'secret', 'secretKey', 'token', '*.authorization', '*.secret', '*.secretKey', '*.token'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
