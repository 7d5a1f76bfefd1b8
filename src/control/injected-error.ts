import { ApiError } from '../errors/api-error.js';

/**
 * The error a fault rule makes the API answer: an ApiError like any other, so
 * the pipeline writes it through its one error path (same envelope, HTTP
 * status and headers as a real error), with the rule's code instead of a
 * message key's.
 */
export class InjectedFaultError extends ApiError {
  override readonly code: string;

  constructor(code: string, message: string | null) {
    super(message === null ? 'injectedFaultDefault' : 'injectedFault', message === null ? { code } : { message });
    this.code = code;
  }
}
