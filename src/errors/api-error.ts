import { MESSAGES, type MessageKey } from './messages.js';

export type Language = 'en-US' | 'zh-CN';
export type MessageParams = Record<string, string | number>;

/**
 * The one error type of the emulator's domain and Tencent Cloud API surface.
 * It carries the Tencent Cloud error code and a message key; the text is
 * rendered in the caller's language only when the envelope is written.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly key: MessageKey;
  readonly params: MessageParams;
  /** The caller's language, when the request told it before this error stopped parsing (a v1 `Language` parameter). */
  language?: Language;

  constructor(key: MessageKey, params: MessageParams = {}) {
    const entry = MESSAGES[key];
    super(render(entry.en, params));
    this.name = 'ApiError';
    this.key = key;
    this.code = entry.code;
    this.params = params;
  }

  localizedMessage(language: Language): string {
    const entry = MESSAGES[this.key];
    return render(language === 'zh-CN' ? entry.zh : entry.en, this.params);
  }
}

function render(template: string, params: MessageParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
