import type { IdGenerator } from '../runtime/ids.js';
import type { Quotas } from '../config.js';
import type { Account } from '../domain/entities.js';
import type { StateStore } from '../domain/store.js';

/** What a handler gets besides its parameters. Handlers never see req/res. */
export interface HandlerContext {
  account: Account;
  store: StateStore;
  ids: IdGenerator;
  quotas: Quotas;
  now(): Date;
  /** ISO instant -> `YYYY-MM-DD HH:MM:SS` in the configured time zone. */
  formatTime(iso: string): string;
  requestId: string;
  /** e.g. http://127.0.0.1:9000: the base of the SAML Entity ID and ACS URL this emulator hands out. */
  publicUrl(): string;
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
  /** Action name -> the services offering it; a lookup per request instead of scanning every action list. */
  private readonly offering = new Map<string, ServiceVersion[]>();
  readonly versions: readonly string[];

  constructor(readonly services: readonly ServiceVersion[]) {
    for (const service of services) {
      for (const action of service.actions) {
        const list = this.offering.get(action);
        if (list) list.push(service);
        else this.offering.set(action, [service]);
      }
    }
    this.versions = [...new Set(services.map((s) => s.version))];
  }

  resolve(action: string, version: string): Resolution {
    const offering = this.offering.get(action);
    if (offering === undefined) return { kind: 'no-such-action' };
    const match = offering.find((s) => s.version === version);
    if (!match) return { kind: 'no-such-version', versions: offering.map((s) => s.version) };
    return { kind: 'found', service: match, action, handler: match.handlers[action] };
  }
}
