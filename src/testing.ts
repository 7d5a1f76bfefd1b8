/**
 * `import { startEmulator } from 'tencentcloud-emulator/testing'`: an
 * emulator for a test suite, on a free loopback port, in memory, silent.
 * Everything the /_emulator control plane does over HTTP, called in-process.
 */
import { start, type AppOverrides, type RunningEmulator } from './app.js';
import type { AuthMode } from './config.js';
import { DEFAULT_QUOTAS, parsePublicUrl, type EmulatorConfig, type Quotas } from './config.js';
import type { ResetOptions, ResetResult } from './control/control-plane.js';
import type { FaultRule } from './control/faults.js';
import type { JournalEntry, JournalFilter } from './control/journal.js';
import type { ScimKeyUsage } from './control/usage.js';
import type { StateDocument } from './domain/schema.js';
import type { ClockState } from './runtime/clock.js';
import type { LogLevel } from './runtime/logger.js';

export interface StartEmulatorOptions {
  /** Deterministic IDs, secrets and RequestIds (see `--seed`). */
  seed?: number;
  /** Start with the clock frozen at this ISO-8601 instant (see `--clock`). */
  clock?: string;
  /** The state to start from (and reset to): a state document, or the path of a fixtures file. Default: the bundled fixtures. */
  fixtures?: StateDocument | string;
  /** Default `permissive`. */
  auth?: AuthMode;
  /** Emulate the documented per-action rate limits. Default off. */
  rateLimits?: boolean;
  /** A data file to keep the state in; default: in memory. */
  dataFile?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Default `silent`. */
  logLevel?: LogLevel;
  quotas?: Partial<Quotas>;
  utcOffsetMinutes?: number;
  /** The address browsers and IdPs use (SAML Entity ID and ACS URL); default the emulator's own `url`. */
  publicUrl?: string;
}

/** A fault rule as `POST /_emulator/faults` takes it. */
export interface FaultRuleInput {
  action?: string;
  scimPath?: string;
  method?: string;
  account?: string;
  code?: string;
  message?: string;
  status?: number;
  latencyMs?: number;
  count?: number;
  probability?: number;
}

export interface TestEmulator {
  /** `127.0.0.1:<port>`: what the SDKs take as `httpProfile.endpoint` (with `protocol: 'http://'`). */
  endpoint: string;
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** `http://127.0.0.1:<port>/scim/v2`: the SCIM base URL an identity provider is given. */
  scimBase: string;
  /** Back to the fixtures (or `{ empty: true }`), as if freshly started; see POST /_emulator/reset. */
  reset(options?: ResetOptions): Promise<ResetResult>;
  /** The whole state, without secrets (GET /_emulator/state). */
  state(): Record<string, unknown>;
  clock: {
    now(): Date;
    state(): ClockState;
    freeze(): void;
    unfreeze(): void;
    set(at: Date | string): void;
    advance(seconds: number): void;
  };
  faults: {
    /** Registers a rule; returns it with its `id`. Throws on a rule the control plane would refuse. */
    add(rule: FaultRuleInput): FaultRule;
    list(): FaultRule[];
    /** Removes one rule, or all of them without an id. */
    clear(id?: string): void;
  };
  /** The request journal, newest first (GET /_emulator/requests). */
  requests(filter?: Partial<JournalFilter>): JournalEntry[];
  /** A SCIM key's last use and recent requests; null for an unknown key. */
  usage(credentialId: string): ScimKeyUsage | null;
  /** The emulator itself, for anything else. */
  emulator: RunningEmulator;
  /** Stops the server and releases the data file. Safe to call twice. */
  stop(): Promise<void>;
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<TestEmulator> {
  const config: Partial<EmulatorConfig> = {
    host: '127.0.0.1',
    port: options.port ?? 0,
    dataFile: options.dataFile ?? null,
    logLevel: options.logLevel ?? 'silent',
    auth: options.auth ?? 'permissive',
    seed: options.seed ?? null,
    clock: options.clock ?? null,
    rateLimits: options.rateLimits ?? false,
    ...(typeof options.fixtures === 'string' ? { fixturesFile: options.fixtures } : {}),
    ...(options.quotas ? { quotas: { ...DEFAULT_QUOTAS, ...options.quotas } } : {}),
    ...(options.utcOffsetMinutes !== undefined ? { utcOffsetMinutes: options.utcOffsetMinutes } : {}),
    ...(options.publicUrl !== undefined ? { publicUrl: parsePublicUrl(options.publicUrl) } : {}),
  };
  const overrides: AppOverrides = typeof options.fixtures === 'object' ? { fixtures: options.fixtures } : {};
  const emulator = await start(config, overrides);
  const { control } = emulator;
  const endpoint = `127.0.0.1:${emulator.port}`;
  let stopped: Promise<void> | null = null;
  return {
    endpoint,
    url: emulator.url,
    port: emulator.port,
    scimBase: `${emulator.url}/scim/v2`,
    reset: (resetOptions) => control.reset(resetOptions),
    state: () => control.state(),
    clock: {
      now: () => control.clock.now(),
      state: () => control.clock.state(),
      freeze: () => control.clock.freeze(),
      unfreeze: () => control.clock.unfreeze(),
      set: (at) => control.clock.set(at),
      advance: (seconds) => control.clock.advance(seconds),
    },
    faults: {
      add: (rule) => control.faults.add(rule),
      list: () => control.faults.list(),
      clear: (id) => {
        if (id === undefined) control.faults.clear();
        else control.faults.remove(id);
      },
    },
    requests: (filter = {}) => control.journal.list({ limit: 1000, ...filter }),
    usage: (credentialId) => control.usage(credentialId),
    emulator,
    stop: () => (stopped ??= emulator.close({ graceMs: 1000 })),
  };
}

export type { FaultRule, JournalEntry, JournalFilter, ResetOptions, ResetResult, ScimKeyUsage, ClockState };
