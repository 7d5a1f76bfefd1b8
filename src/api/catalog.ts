import type { IdGenerator } from '../runtime/ids.js';
import type { Quotas } from '../config.js';
import type { Account } from '../domain/entities.js';
import type { IdentityCenterStore } from '../domain/store.js';

/** What a handler gets besides its parameters. Handlers never see req/res. */
export interface HandlerContext {
  account: Account;
  store: IdentityCenterStore;
  ids: IdGenerator;
  quotas: Quotas;
  now(): Date;
  /** ISO instant -> `YYYY-MM-DD HH:MM:SS` in the configured time zone. */
  formatTime(iso: string): string;
  requestId: string;
}

export type ActionHandler<Req, Res> = (params: Req, ctx: HandlerContext) => Promise<Res> | Res;

/** Any handler, whatever its parameter type (parameters are contravariant, hence `never`). */
export type AnyActionHandler = ActionHandler<never, object>;

/** One version of one service: its actions (from the generated catalog) and the handlers implemented so far. */
export interface ServiceVersion {
  service: string;
  version: string;
  actions: readonly string[];
  handlers: Readonly<Record<string, AnyActionHandler | undefined>>;
  /** Folder of the generated per-action JSON schemas. */
  schemaDir: string;
}

export type Resolution =
  | { kind: 'found'; service: ServiceVersion; action: string; handler: AnyActionHandler | undefined }
  | { kind: 'no-such-action' }
  | { kind: 'no-such-version'; versions: string[] };

/**
 * Finds an action across the registered services. The emulator serves every
 * service on one host, so the action name plus version picks the service.
 */
export class ActionCatalog {
  constructor(readonly services: readonly ServiceVersion[]) {}

  resolve(action: string, version: string): Resolution {
    const offering = this.services.filter((s) => s.actions.includes(action));
    if (offering.length === 0) return { kind: 'no-such-action' };
    const match = offering.find((s) => s.version === version);
    if (!match) return { kind: 'no-such-version', versions: offering.map((s) => s.version) };
    return { kind: 'found', service: match, action, handler: match.handlers[action] };
  }

  get versions(): string[] {
    return [...new Set(this.services.map((s) => s.version))];
  }
}
