import { ApiError } from '../errors/api-error.js';

/**
 * Requests per second an account may make to each action, as the API
 * reference documents them (the SCIM key actions: 20/s). Actions not listed
 * are not limited.
 */
export const DOCUMENTED_RATE_LIMITS: Readonly<Record<string, number>> = Object.freeze({
  CreateSCIMCredential: 20,
  ListSCIMCredentials: 20,
  UpdateSCIMCredentialStatus: 20,
  DeleteSCIMCredential: 20,
});

const WINDOW_MS = 1000;

/**
 * `--rate-limits`: a sliding one-second window per (account, action) on the
 * emulator's clock. With the clock frozen every request falls in the same
 * instant, so the (limit+1)th call fails until the clock is moved on: a test
 * can hit the limit, and leave it, without waiting.
 */
export class RateLimiter {
  private readonly windows = new Map<string, number[]>();

  constructor(
    private readonly now: () => Date,
    private readonly limits: Readonly<Record<string, number>> = DOCUMENTED_RATE_LIMITS,
  ) {}

  /** Throws RequestLimitExceeded when this call would go over the limit; otherwise counts it. */
  check(action: string, uin: string): void {
    const limit = this.limits[action];
    if (limit === undefined) return;
    const key = `${uin}/${action}`;
    const at = this.now().getTime();
    const recent = (this.windows.get(key) ?? []).filter((t) => t > at - WINDOW_MS && t <= at);
    if (recent.length >= limit) {
      this.windows.set(key, recent);
      throw new ApiError('requestLimitExceeded', { action, limit, uin });
    }
    recent.push(at);
    this.windows.set(key, recent);
  }

  clear(): void {
    this.windows.clear();
  }
}
