import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { LOG_LEVELS, type LogLevel } from './runtime/logger.js';
import { packagePath, packageVersion } from './runtime/package-root.js';
import { parseUtcOffset } from './runtime/time-format.js';
import { parseIsoInstant } from './runtime/clock.js';

/** Whether API requests must carry a valid signature (strict) or may be unsigned (permissive). */
export type AuthMode = 'permissive' | 'strict';

/** Everything the emulator can be told. This module is the only reader of flags and environment variables. */
export interface EmulatorConfig {
  host: string;
  /** 0 picks any free port. */
  port: number;
  /** JSON data file; null keeps the state in memory only. */
  dataFile: string | null;
  /** State a new data file (or an in-memory start) is seeded from. */
  fixturesFile: string;
  auth: AuthMode;
  logLevel: LogLevel;
  /** Offset from UTC, in minutes, of the times the Tencent Cloud API returns (UTC+8 like the real service). */
  utcOffsetMinutes: number;
  /** Per-zone limits; the defaults are the emulator's, raised for load tests and large imports. */
  quotas: Quotas;
  /** Deterministic mode: IDs, secrets and RequestIds from a PRNG seeded with this; null draws them from the OS. */
  seed: number | null;
  /** Start with the clock frozen at this ISO-8601 instant; null follows the machine's time. */
  clock: string | null;
  /** Emulate the documented per-action request rate limits (RequestLimitExceeded). */
  rateLimits: boolean;
  /** With a token, the control plane (/_emulator) also answers non-loopback clients that send `Authorization: Bearer <token>`. */
  controlToken: string | null;
  /**
   * The address identity providers and browsers reach the emulator at (SAML
   * Entity ID, ACS URL, login redirects). Null: the address it listens on
   * (0.0.0.0 and :: read as 127.0.0.1 and [::1]).
   */
  publicUrl: string | null;
  /** A data file or journal that cannot be loaded is moved aside and the state starts from the fixtures, instead of refusing to start. */
  resetDamagedData: boolean;
}

export interface Quotas {
  usersPerZone: number;
  groupsPerZone: number;
  membersPerGroup: number;
}

/**
 * The emulator's default limits: the UserQuota and GroupQuota the
 * GetZoneStatistics reference example reports; a group can hold every user of
 * its zone. (At most 2 SCIM keys per zone is the real service's rule and is not
 * a setting.)
 */
export const DEFAULT_QUOTAS: Readonly<Quotas> = Object.freeze({ usersPerZone: 1000, groupsPerZone: 500, membersPerGroup: 1000 });

export const DEFAULT_PORT = 9000;

export function defaultConfig(cwd: string = process.cwd()): EmulatorConfig {
  return {
    host: '127.0.0.1',
    port: DEFAULT_PORT,
    dataFile: resolve(cwd, 'data', 'emulator.json'),
    fixturesFile: packagePath('fixtures', 'default.json'),
    auth: 'permissive',
    logLevel: 'info',
    utcOffsetMinutes: 8 * 60,
    quotas: { ...DEFAULT_QUOTAS },
    seed: null,
    clock: null,
    rateLimits: false,
    controlToken: null,
    publicUrl: null,
    resetDamagedData: false,
  };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535.');
  return port;
}

function parseOffset(value: string): number {
  const minutes = parseUtcOffset(value);
  if (minutes === null) throw new InvalidArgumentError('expected an offset such as +08:00, -05:30 or 0.');
  return minutes;
}

/** Quotas: a positive whole number, at most 10 million (beyond that the emulator is not the right tool). */
function parseQuota(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 10_000_000) throw new InvalidArgumentError('expected a whole number from 1 to 10000000.');
  return n;
}

/** An IP address or a host name; something shaped like an IPv4 address must be one. */
function parseHost(value: string): string {
  const looksNumeric = /^[\d.]+$/.test(value);
  const hostName = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
  if (isIP(value) !== 0 || (!looksNumeric && hostName.test(value))) return value;
  throw new InvalidArgumentError('expected an IP address (e.g. 127.0.0.1, 0.0.0.0, ::1) or a host name.');
}

/** A seed: a whole number up to 2^53 - 1. */
export function parseSeed(value: string): number {
  const n = Number(value);
  if (!/^\d{1,16}$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number from 0 to 9007199254740991.');
  return n;
}

/** `--clock`: an ISO-8601 instant with a zone, kept as the canonical ISO string. */
function parseClock(value: string): string {
  const at = parseIsoInstant(value);
  if (!at) throw new InvalidArgumentError('expected an ISO-8601 instant such as 2026-01-01T00:00:00Z.');
  return at.toISOString();
}

/** A control-plane token: something worth guessing (16+ characters), and nothing a header cannot carry. */
function parseControlToken(value: string): string {
  if (!/^[\x21-\x7e]{16,}$/.test(value)) throw new InvalidArgumentError('expected at least 16 visible ASCII characters (no spaces).');
  return value;
}

/** `--public-url`: an http(s) origin, optionally with a path prefix (a reverse proxy's), no query; kept without a trailing slash. */
export function parsePublicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected an http:// or https:// URL such as http://localhost:9000.');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new InvalidArgumentError('expected an http:// or https:// URL without query, fragment or credentials.');
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** Boolean flags and variables: exactly these words, so a typo never flips a mode silently. */
export function parseBool(value: string | undefined): boolean {
  if (value === undefined) return true; // the bare flag
  if (/^(1|true|yes)$/i.test(value)) return true;
  if (/^(0|false|no)$/i.test(value)) return false;
  throw new InvalidArgumentError(`expected true/false, 1/0 or yes/no, got ${JSON.stringify(value)}.`);
}

export function buildCommand(): Command {
  const defaults = defaultConfig();
  return new Command('tencentcloud-emulator')
    .description('Local emulator of the Tencent Cloud API 3.0 (Organization / Identity Center) with a SCIM 2.0 endpoint.')
    .addOption(new Option('--port <n>', 'port to listen on (0: any free port)').env('TCE_PORT').argParser(parsePort).default(defaults.port))
    .addOption(new Option('--host <addr>', 'address to listen on').env('TCE_HOST').argParser(parseHost).default(defaults.host))
    .addOption(new Option('--data <file>', 'JSON data file (created on first start)').env('TCE_DATA').default('./data/emulator.json'))
    .addOption(new Option('--in-memory [bool]', 'keep the state in memory only (nothing written to disk)').env('TCE_IN_MEMORY').argParser(parseBool))
    .addOption(
      new Option('--reset-damaged-data [bool]', 'when the data file or its journal cannot be loaded, move them aside and start from the fixtures (default: refuse to start)')
        .env('TCE_RESET_DAMAGED_DATA')
        .argParser(parseBool),
    )
    .addOption(new Option('--fixtures <file>', 'state a new data file is seeded from').env('TCE_FIXTURES').default(defaults.fixturesFile, 'fixtures/default.json'))
    .addOption(new Option('--auth <mode>', 'signature checking').env('TCE_AUTH').choices(['permissive', 'strict']).default(defaults.auth))
    .addOption(new Option('--log-level <level>', 'log verbosity').env('TCE_LOG_LEVEL').choices([...LOG_LEVELS]).default(defaults.logLevel))
    .addOption(new Option('--utc-offset <offset>', 'time zone of returned times, e.g. +08:00').env('TCE_UTC_OFFSET').argParser(parseOffset).default(defaults.utcOffsetMinutes, '+08:00'))
    .addOption(new Option('--max-users-per-zone <n>', 'users a zone may hold').env('TCE_MAX_USERS_PER_ZONE').argParser(parseQuota).default(DEFAULT_QUOTAS.usersPerZone))
    .addOption(new Option('--max-groups-per-zone <n>', 'user groups a zone may hold').env('TCE_MAX_GROUPS_PER_ZONE').argParser(parseQuota).default(DEFAULT_QUOTAS.groupsPerZone))
    .addOption(new Option('--max-members-per-group <n>', 'users a group may hold').env('TCE_MAX_MEMBERS_PER_GROUP').argParser(parseQuota).default(DEFAULT_QUOTAS.membersPerGroup))
    .addOption(new Option('--seed <n>', 'deterministic IDs, secrets and RequestIds from this seed').env('TCE_SEED').argParser(parseSeed))
    .addOption(new Option('--clock <iso>', 'start with the clock frozen at this instant, e.g. 2026-01-01T00:00:00Z').env('TCE_CLOCK').argParser(parseClock))
    .addOption(new Option('--rate-limits [bool]', 'emulate per-action rate limits (RequestLimitExceeded)').env('TCE_RATE_LIMITS').argParser(parseBool))
    .addOption(new Option('--public-url <url>', 'address IdPs and browsers reach the emulator at (SAML Entity ID and ACS URL); default: the listening address').env('TCE_PUBLIC_URL').argParser(parsePublicUrl))
    .addOption(new Option('--control-token <token>', 'let non-loopback clients use /_emulator with Authorization: Bearer <token>').env('TCE_CONTROL_TOKEN').argParser(parseControlToken))
    .version(packageVersion(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .showHelpAfterError()
    .allowExcessArguments(false);
}

interface ParsedOptions {
  port: number;
  host: string;
  data: string;
  inMemory?: boolean;
  resetDamagedData?: boolean;
  fixtures: string;
  auth: AuthMode;
  logLevel: LogLevel;
  utcOffset: number;
  maxUsersPerZone: number;
  maxGroupsPerZone: number;
  maxMembersPerGroup: number;
  seed?: number;
  clock?: string;
  rateLimits?: boolean;
  controlToken?: string;
  publicUrl?: string;
}

/** Flags win over environment variables, which win over defaults. Exits with usage on bad input. */
export function configFromArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): EmulatorConfig {
  const command = buildCommand();
  // commander reads process.env itself; point it at the env we were given.
  const saved = process.env;
  process.env = env;
  try {
    command.parse([...argv], { from: 'user' });
  } finally {
    process.env = saved;
  }
  const o = command.opts<ParsedOptions>();
  return {
    host: o.host,
    port: o.port,
    dataFile: o.inMemory ? null : resolve(cwd, o.data),
    fixturesFile: resolve(cwd, o.fixtures),
    auth: o.auth,
    logLevel: o.logLevel,
    utcOffsetMinutes: o.utcOffset,
    quotas: { usersPerZone: o.maxUsersPerZone, groupsPerZone: o.maxGroupsPerZone, membersPerGroup: o.maxMembersPerGroup },
    seed: o.seed ?? null,
    clock: o.clock ?? null,
    rateLimits: o.rateLimits ?? false,
    controlToken: o.controlToken ?? null,
    publicUrl: o.publicUrl ?? null,
    resetDamagedData: o.resetDamagedData ?? false,
  };
}
