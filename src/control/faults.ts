import { ScimError } from '../scim/engine/errors.js';
import type { ScimCallInfo } from '../scim/interceptor-types.js';
import { badRequest } from './control-error.js';
import { InjectedFaultError } from './injected-error.js';

/** A fault rule as `POST /_emulator/faults` returns and `GET /_emulator/faults` lists it. */
export interface FaultRule {
  id: string;
  /** Exactly one of `action` (an API action) and `scimPath` (below /scim/v2) says which requests match. */
  action: string | null;
  scimPath: string | null;
  /** SCIM rules: only this HTTP method. */
  method: string | null;
  /** Only requests of this account (Uin; SCIM: the owner of the token's zone). */
  account: string | null;
  /** API rules: the error code to answer. */
  code: string | null;
  /** API: the error message; SCIM: the error `detail`. A default says it is injected. */
  message: string | null;
  /** SCIM rules: the HTTP status to answer (400-599), with a SCIM error body. */
  status: number | null;
  /** Added before the answer (alone, the request then proceeds normally). */
  latencyMs: number;
  /** How many times it fires before it is removed; null: until cleared. */
  count: number | null;
  remaining: number | null;
  /** Chance that a matching request is affected; null: every one. */
  probability: number | null;
  /** How many requests it has affected so far. */
  fired: number;
}

const FIELDS = new Set(['action', 'scimPath', 'method', 'account', 'code', 'message', 'status', 'latencyMs', 'count', 'probability']);
const CODE = /^[A-Z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*$/;
const SCIM_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
export const MAX_FAULT_LATENCY_MS = 60_000;

type Draw = () => number;
type Sleep = (ms: number) => Promise<void>;

const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The fault rules and their evaluation. Rules are tried in the order they
 * were added; each matching rule fires (subject to its probability, drawn
 * from the emulator's random source so seeded runs repeat) and adds its
 * latency; the first that fires with an error decides the answer.
 */
export class FaultRules {
  private rules: FaultRule[] = [];
  private nextId = 1;

  constructor(
    private readonly isAction: (name: string) => boolean,
    private readonly draw: Draw,
    private readonly sleep: Sleep = realSleep,
  ) {}

  add(body: unknown): FaultRule {
    const rule = this.validate(body);
    this.rules.push(rule);
    return { ...rule };
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  /** Counting starts over too (a reset): rule ids stay stable run after run. */
  restart(): void {
    this.rules = [];
    this.nextId = 1;
  }

  /** API hook: undefined (no await) when nothing applies, the fast path. */
  forApi(action: string, uin: string): Promise<void> | void {
    if (this.rules.length === 0) return undefined;
    const outcome = this.fire((r) => r.action === action && (r.account === null || r.account === uin));
    if (!outcome) return undefined;
    const error = outcome.rule?.code ? new InjectedFaultError(outcome.rule.code, outcome.rule.message) : null;
    return this.settle(outcome.latencyMs, error);
  }

  /** SCIM hook. */
  forScim(info: ScimCallInfo): Promise<void> | void {
    if (this.rules.length === 0) return undefined;
    const path = info.path.toLowerCase();
    // Paths compare case-insensitively, as the SCIM router routes them.
    const under = (prefix: string) => prefix === '/' || path === prefix || path.startsWith(`${prefix}/`);
    const outcome = this.fire(
      (r) =>
        r.scimPath !== null &&
        under(r.scimPath.toLowerCase()) &&
        (r.method === null || r.method === info.method.toUpperCase()) &&
        (r.account === null || r.account === info.uin()),
    );
    if (!outcome) return undefined;
    const rule = outcome.rule;
    const error = rule?.status ? new ScimError(rule.status, undefined, rule.message ?? `The emulator was told to answer ${rule.status} (an injected fault).`) : null;
    return this.settle(outcome.latencyMs, error);
  }

  private fire(matches: (rule: FaultRule) => boolean): { latencyMs: number; rule: FaultRule | null } | null {
    let latencyMs = 0;
    let fired = false;
    for (const rule of [...this.rules]) {
      if (!matches(rule)) continue;
      if (rule.probability !== null && this.draw() >= rule.probability) continue;
      fired = true;
      rule.fired += 1;
      if (rule.remaining !== null) {
        rule.remaining -= 1;
        if (rule.remaining === 0) this.remove(rule.id);
      }
      latencyMs += rule.latencyMs;
      if (rule.code !== null || rule.status !== null) return { latencyMs, rule };
    }
    return fired ? { latencyMs, rule: null } : null;
  }

  private async settle(latencyMs: number, error: Error | null): Promise<void> {
    if (latencyMs > 0) await this.sleep(latencyMs);
    if (error) throw error;
  }

  private validate(body: unknown): FaultRule {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('a fault rule is a JSON object');
    const b = body as Record<string, unknown>;
    const unknown = Object.keys(b).filter((k) => !FIELDS.has(k));
    if (unknown.length > 0) throw badRequest(`unknown field ${JSON.stringify(unknown[0])}; a rule takes ${[...FIELDS].join(', ')}`);
    const text = (name: string, max: number): string | null => {
      const v = b[name];
      if (v === undefined || v === null) return null;
      if (typeof v !== 'string' || v === '' || v.length > max) throw badRequest(`${name} must be a non-empty string of at most ${max} characters`);
      return v;
    };
    const whole = (name: string, min: number, max: number): number | null => {
      const v = b[name];
      if (v === undefined || v === null) return null;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw badRequest(`${name} must be a whole number from ${min} to ${max}`);
      return v;
    };
    const action = text('action', 128);
    let scimPath = text('scimPath', 512);
    if ((action === null) === (scimPath === null)) throw badRequest('give exactly one of action (an API action) and scimPath (e.g. "/Users")');
    if (action !== null && !this.isAction(action)) throw badRequest(`${JSON.stringify(action)} is not an action of the emulated API`);
    if (scimPath !== null) {
      if (!scimPath.startsWith('/')) throw badRequest('scimPath starts with "/", e.g. "/Users" (below /scim/v2)');
      scimPath = scimPath.replace(/^\/scim\/v2(?=\/|$)/i, '').replace(/\/+$/, '') || '/';
    }
    const method = text('method', 16)?.toUpperCase() ?? null;
    if (method !== null && (scimPath === null || !SCIM_METHODS.includes(method))) throw badRequest(`method is for scimPath rules: one of ${SCIM_METHODS.join(', ')}`);
    const account = text('account', 32);
    if (account !== null && !/^\d+$/.test(account)) throw badRequest('account is a Uin (digits)');
    const code = text('code', 128);
    if (code !== null) {
      if (scimPath !== null) throw badRequest('SCIM faults take an HTTP status (and an optional message), not a code');
      if (!CODE.test(code)) throw badRequest(`code ${JSON.stringify(code)} is not shaped like a Tencent Cloud error code (e.g. "InternalError", "FailedOperation.DBOperationError")`);
    }
    const status = whole('status', 400, 599);
    if (status !== null && action !== null) {
      throw badRequest('API faults take a code: the real API answers errors with HTTP 200 and an error envelope; status is for scimPath rules');
    }
    const message = text('message', 1000);
    if (message !== null && code === null && status === null) throw badRequest('message goes with a code (API) or a status (SCIM)');
    const latencyMs = whole('latencyMs', 0, MAX_FAULT_LATENCY_MS) ?? 0;
    if (code === null && status === null && latencyMs === 0) throw badRequest('a rule must do something: give a code (API), a status (SCIM) or latencyMs');
    const count = whole('count', 1, 1_000_000);
    const p = b.probability;
    let probability: number | null = null;
    if (p !== undefined && p !== null) {
      if (typeof p !== 'number' || !(p > 0 && p <= 1)) throw badRequest('probability must be a number above 0 and at most 1');
      probability = p;
    }
    return {
      id: `fault-${this.nextId++}`,
      action,
      scimPath,
      method,
      account,
      code,
      message,
      status,
      latencyMs,
      count,
      remaining: count,
      probability,
      fired: 0,
    };
  }
}
