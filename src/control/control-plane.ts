import { performance } from 'node:perf_hooks';
import type { ApiInterceptors } from '../api/interceptors.js';
import type { EmulatorConfig } from '../config.js';
import type { IdentityCenterStore } from '../domain/store.js';
import type { ControllableClock, ClockState } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import type { RandomSource } from '../runtime/random.js';
import type { ScimInterceptors } from '../scim/interceptor-types.js';
import type { SnapshotSource } from '../store/persistence.js';
import { notFound } from './control-error.js';
import { FaultRules } from './faults.js';
import { RequestJournal } from './journal.js';
import type { SamlInterceptors } from '../sso/interceptor-types.js';
import { overviewOf, type Overview } from './overview.js';
import { RateLimiter } from './rate-limit.js';
import { FileShelf, MemoryShelf, type SnapshotInfo, type SnapshotShelf } from './snapshots.js';
import { countsOf, exportState, fullStateText, readStateDocument, type Counts } from './state-io.js';
import { scimKeyUsage, type ScimKeyUsage } from './usage.js';

export interface ControlPlaneDeps {
  store: IdentityCenterStore;
  config: EmulatorConfig;
  /** The app's one clock. */
  clock: ControllableClock;
  random: RandomSource;
  /** What a reset goes back to (the state the emulator was seeded from). */
  fixtures: SnapshotSource;
  logger: Logger;
  version: string;
  /** Whether a name is an action of an emulated API (fault rules are checked against it). */
  isAction(name: string): boolean;
}

export interface ResetOptions {
  /** No state at all (no accounts either, unless keepAccounts). */
  empty?: boolean;
  /** With `empty`: keep the accounts (and their keys), so strict-mode clients can still sign. */
  keepAccounts?: boolean;
}

export interface ResetResult {
  state: 'fixtures' | 'empty';
  counts: Counts;
  clock: ClockState;
}

export interface Health {
  status: 'ok';
  version: string;
  uptimeSeconds: number;
  /** The data file, or "in memory". */
  store: string;
  snapshots: string;
  auth: EmulatorConfig['auth'];
  counts: Counts;
  clock: ClockState;
  /** The seed of deterministic mode, or null. */
  seed: number | null;
  rateLimits: boolean;
  /** Whether a control token is configured (never the token). */
  controlToken: boolean;
  memory: { rss: number; heapUsed: number };
}

/**
 * The emulator's own API (served under /_emulator by createControlRouter,
 * called in-process by startEmulator) and the hooks it puts on the API and
 * SCIM surfaces. No Express here: the hooks are needed at start-up, the
 * router only when a control request arrives.
 */
export interface ControlPlane {
  /** For createApiPipeline: rate limits, faults, journal. */
  api: ApiInterceptors;
  /** For createScimRouter: faults, journal. */
  scim: ScimInterceptors;
  /** For the SAML endpoints: every sign-in attempt goes into the journal. */
  saml: SamlInterceptors;
  clock: ControllableClock;
  faults: FaultRules;
  journal: RequestJournal;
  health(): Health;
  /**
   * Back to the fixtures (or empty), as if freshly started: the request
   * journal, fault rules and rate-limit windows are cleared, the clock goes
   * back to how it started (frozen at --clock, or the machine's time) and a
   * seeded emulator starts its sequences over.
   */
  reset(options?: ResetOptions): Promise<ResetResult>;
  /** The state without secrets (GET /_emulator/state). */
  state(): Record<string, unknown>;
  /** Loads a state document (POST /_emulator/state); throws a 400 ControlError and changes nothing when it is refused. */
  loadState(text: string): Promise<Counts>;
  usage(credentialId: string): ScimKeyUsage | null;
  overview(): Overview;
  snapshots: {
    save(name: string): Promise<SnapshotInfo>;
    restore(name: string): Promise<Counts>;
    list(): Promise<SnapshotInfo[]>;
    remove(name: string): Promise<boolean>;
  };
}

export function createControlPlane(deps: ControlPlaneDeps): ControlPlane {
  const { store, clock, random, config } = deps;
  const started = performance.now();
  const journal = new RequestJournal();
  const faults = new FaultRules(deps.isAction, () => random.draw());
  const limiter = config.rateLimits ? new RateLimiter(() => clock.now()) : null;
  const shelf: SnapshotShelf = config.dataFile === null ? new MemoryShelf() : new FileShelf(`${config.dataFile}.snapshots`);
  const round = (ms: number) => Math.round(ms * 100) / 100;

  // The journal is the emulator's own bookkeeping: a failure there must never fail the request it records.
  const record = (write: () => void) => {
    try {
      write();
    } catch (error) {
      deps.logger.error({ err: error }, 'could not record a request in the journal');
    }
  };

  const api: ApiInterceptors = {
    beforeHandle: ({ action, uin }) => {
      limiter?.check(action, uin);
      return faults.forApi(action, uin);
    },
    afterResponse: (r) =>
      record(() =>
        journal.record(
          {
            surface: 'api',
            action: r.action,
            method: r.method,
            path: null,
            account: r.uin,
            credentialId: null,
            code: r.code,
            status: 200,
            latencyMs: round(r.latencyMs),
            requestId: r.requestId,
          },
          clock.now(),
          r.params,
        ),
      ),
  };

  const scim: ScimInterceptors = {
    beforeHandle: (info) => faults.forScim(info),
    afterResponse: (r) =>
      record(() =>
        journal.record(
          {
            surface: 'scim',
            action: null,
            method: r.method,
            path: r.path,
            account: r.uin,
            credentialId: r.credentialId,
            code: null,
            status: r.status,
            latencyMs: round(r.latencyMs),
            requestId: null,
          },
          clock.now(),
          r.body ?? null,
        ),
      ),
  };

  const saml: SamlInterceptors = {
    afterResponse: (r) =>
      record(() =>
        journal.record(
          {
            surface: 'saml',
            action: null,
            method: r.method,
            path: r.path,
            account: r.uin,
            credentialId: null,
            code: r.outcome,
            status: r.status,
            latencyMs: round(r.latencyMs),
            requestId: null,
          },
          clock.now(),
          r.details,
        ),
      ),
  };

  const replace = async (source: SnapshotSource) => {
    await store.replace(source);
    return countsOf(store);
  };

  return {
    api,
    scim,
    saml,
    clock,
    faults,
    journal,
    health: () => {
      const { rss, heapUsed } = process.memoryUsage();
      return {
        status: 'ok',
        version: deps.version,
        uptimeSeconds: Math.round((performance.now() - started) / 10) / 100,
        store: store.location,
        snapshots: shelf.location,
        auth: config.auth,
        counts: countsOf(store),
        clock: clock.state(),
        seed: random.seed,
        rateLimits: limiter !== null,
        controlToken: config.controlToken !== null,
        memory: { rss, heapUsed },
      };
    },
    reset: async (options = {}) => {
      const empty = options.empty === true;
      const accounts = empty && options.keepAccounts ? Array.from(store.view.accounts.scan()) : [];
      const source: SnapshotSource = empty ? { schemaVersion: deps.fixtures.schemaVersion, journalSeq: 0, collections: [['accounts', accounts]] } : deps.fixtures;
      const counts = await replace(source);
      journal.clear();
      faults.restart();
      limiter?.clear();
      random.reseed();
      clock.restart();
      return { state: empty ? 'empty' : 'fixtures', counts, clock: clock.state() };
    },
    state: () => exportState(store),
    loadState: (text) => replace(readStateDocument(text, store)),
    usage: (credentialId) => scimKeyUsage(store.view, credentialId),
    overview: () => overviewOf(store.view, clock.state()),
    snapshots: {
      save: (name) => shelf.save(name, fullStateText(store), clock.now()),
      restore: async (name) => {
        const text = await shelf.read(name);
        if (text === null) throw notFound(`no snapshot ${JSON.stringify(name)}`);
        return replace(readStateDocument(text, store));
      },
      list: () => shelf.list(),
      remove: (name) => shelf.remove(name),
    },
  };
}
