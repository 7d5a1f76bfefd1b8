import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ActionCatalog } from './api/catalog.js';
import { createApiPipeline } from './api/pipeline.js';
import { ActionValidator } from './api/validate.js';
import { defaultConfig, type EmulatorConfig } from './config.js';
import { createControlPlane, type ControlPlane } from './control/control-plane.js';
import { answerFastControl, fastControlRoute } from './control/health-fast-path.js';
import { startRuntimeMetrics, type RuntimeMetrics } from './control/runtime-metrics.js';
import { isScimUsersCreate, isScimUsersList, needsExpress } from './route-request.js';
import { controllableClock, type Clock, type ControllableClock } from './runtime/clock.js';
import type { IdGenerator } from './runtime/ids.js';
import { randomSource } from './runtime/random.js';
import { createLogger, type Logger } from './runtime/logger.js';
import { packagePath } from './runtime/package-root.js';
import { answerClientError, rememberRequestHeads } from './http/client-errors.js';
import { organizationService } from './services/organization/index.js';
import { ScimRequestBuffer } from './domain/scim-request-buffer.js';
import { IDENTITY_CENTER_STATE, snapshotOf, type StateDocument } from './domain/schema.js';
import type { IdentityCenterStore } from './domain/store.js';
import { loadFixtures, openStore } from './store/open-store.js';

/** Replaceable parts, for tests and embedding: time, identifiers, logging, seed state. */
export interface AppOverrides {
  clock?: Clock;
  ids?: IdGenerator;
  logger?: Logger;
  /** Seed state instead of reading config.fixturesFile. */
  fixtures?: StateDocument;
  /** Journal size that triggers a compaction (tests use a small one). */
  compactMinBytes?: number;
  /** HTTP timeouts and connection bound (tests use short timeouts). */
  httpLimits?: Partial<HttpLimits>;
}

export interface EmulatorApp {
  /**
   * The request handler of every surface, as Node's own RequestListener (so the
   * published types need nothing from Express): API 3.0 requests go straight to
   * the API pipeline, /scim/v2 and /_emulator to Express. Hand it to
   * `http.createServer`, or use `createHttpServer`.
   */
  app: RequestListener;
  store: IdentityCenterStore;
  /** SCIM requests not yet in the store's request log; the store takes them in whenever the log is read or saved. */
  scimRequests: ScimRequestBuffer;
  config: EmulatorConfig;
  /** The one clock every surface reads; /_emulator/clock moves it. */
  clock: ControllableClock;
  logger: Logger;
  /** Set when a damaged data file was moved aside at start-up (`--reset-damaged-data`). */
  quarantinedTo: string | null;
  /** Memory and event-loop delay, served at /_emulator/metrics. */
  metrics: RuntimeMetrics;
  /** The identifier source (RequestIds of answers written outside the pipeline too). */
  ids: IdGenerator;
  /** /_emulator: reset, state, snapshots, clock, faults, request journal (also for the test helper). */
  control: ControlPlane;
  /**
   * Where identity providers and browsers reach this emulator: `--public-url`,
   * else the address it listens on (0.0.0.0 and :: as loopback).
   */
  publicUrl(): string;
  /** `start()` calls this once listening; an embedder serving `app` on its own server calls it with that server's URL. */
  listeningAt(url: string): void;
  close(): Promise<void>;
}

export const PACKAGE_VERSION = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;

const SERVICES = [organizationService];

/** Builds the whole emulator (store, surfaces) without listening; `start` listens. */
export async function createApp(config: Partial<EmulatorConfig> = {}, overrides: AppOverrides = {}): Promise<EmulatorApp> {
  const full: EmulatorConfig = { ...defaultConfig(), ...config };
  const clock = controllableClock(overrides.clock, full.clock);
  const random = randomSource(full.seed);
  const ids = overrides.ids ?? random.ids;
  const logger = overrides.logger ?? createLogger(full.logLevel);
  const fixtures = overrides.fixtures ? snapshotOf(overrides.fixtures) : await loadFixtures(full.fixturesFile, IDENTITY_CENTER_STATE, clock.now());
  const { store, quarantinedTo, damage, replayed, droppedTornBytes, tookOverLockFrom } = await openStore({
    definition: IDENTITY_CENTER_STATE,
    dataFile: full.dataFile,
    fixtures,
    now: clock.now(),
    resetDamagedData: full.resetDamagedData,
    ...(overrides.compactMinBytes !== undefined ? { compactMinBytes: overrides.compactMinBytes } : {}),
    onBackgroundError: (error, what) => logger.error({ err: error, dataFile: full.dataFile }, `store ${what} failed; the journal still holds every change`),
  });
  if (tookOverLockFrom) {
    logger.warn({ dataFile: full.dataFile, previousOwner: tookOverLockFrom }, 'took over the lock of a process that is gone');
  }
  if (droppedTornBytes > 0) {
    // Never acknowledged if a crash cut it; but a file cut short by other means loses acknowledged lines the same way.
    logger.warn({ dataFile: full.dataFile, replayed, droppedBytes: droppedTornBytes }, `dropped an incomplete last journal line (${droppedTornBytes} bytes)`);
  } else if (replayed > 0) {
    logger.info({ dataFile: full.dataFile, replayed }, 'replayed the journal after an unclean stop');
  }
  if (quarantinedTo) logger.warn({ dataFile: full.dataFile, movedTo: quarantinedTo, damage }, `--reset-damaged-data: moved the damaged data file aside to ${quarantinedTo} and started from the fixtures`);

  // SCIM requests wait in columns for the request log; the store takes them in when the log is read or saved.
  const scimRequests = new ScimRequestBuffer();
  store.feedLog('scimRequestLog', scimRequests);

  let listening: string | null = null;
  const publicUrl = () => full.publicUrl ?? listening ?? reachableUrl(full.host, full.port);
  const metrics = startRuntimeMetrics(() => clock.now());
  const catalog = new ActionCatalog(SERVICES);
  const validators = new Map(SERVICES.map((s) => [s.version, new ActionValidator(s.schemaDir)]));

  const control = createControlPlane({
    store,
    config: full,
    clock,
    random,
    fixtures,
    logger,
    version: PACKAGE_VERSION,
    isAction: (name) => SERVICES.some((s) => s.actions.includes(name)),
  });
  const pipeline = createApiPipeline({
    catalog,
    validators,
    store,
    clock,
    ids,
    logger,
    authMode: full.auth,
    quotas: full.quotas,
    utcOffsetMinutes: full.utcOffsetMinutes,
    interceptors: control.api,
    publicUrl,
  });
  // The Tencent Cloud API surface always answers with an envelope, whatever the path.
  const api = (req: IncomingMessage, res: ServerResponse) => void pipeline(req, res);
  const now = () => clock.now();
  const viaExpress = lazyListener(
    () =>
      import('./express-app.js').then(({ createExpressApp }) =>
        createExpressApp({
          store,
          scimRequests,
          now,
          ids,
          logger,
          quotas: full.quotas,
          metrics,
          control,
          controlToken: full.controlToken,
          publicUrl,
          utcOffsetMinutes: full.utcOffsetMinutes,
          fallback: api,
        }),
      ),
    'the SCIM and control endpoints',
    logger,
  );
  const scimUsersList = lazyListener(
    () =>
      import('./scim/read-fast-path.js').then(({ createScimUsersListHandler }) =>
        createScimUsersListHandler({ store, requests: scimRequests, now, ids, logger, quotas: full.quotas, interceptors: control.scim }),
      ),
    'the SCIM read path',
    logger,
  );
  const scimUsersCreate = lazyListener(
    () =>
      import('./scim/write-fast-path.js').then(({ createScimUsersCreateHandler }) =>
        createScimUsersCreateHandler({ store, requests: scimRequests, now, ids, logger, quotas: full.quotas, interceptors: control.scim }),
      ),
    'the SCIM write path',
    logger,
  );
  const fastControl = { health: () => control.health(), metrics };
  const app: RequestListener = (req, res) => {
    const fast = fastControlRoute(req);
    if (fast) answerFastControl(fast, res, fastControl);
    else if (isScimUsersList(req.method, req.url ?? '/')) scimUsersList(req, res);
    else if (isScimUsersCreate(req.method, req.url ?? '/', req.headers)) scimUsersCreate(req, res);
    else if (needsExpress(req.url ?? '/')) viaExpress(req, res);
    else api(req, res);
  };

  return {
    app,
    store,
    scimRequests,
    config: full,
    clock,
    logger,
    quarantinedTo,
    metrics,
    ids,
    control,
    publicUrl,
    listeningAt: (url) => {
      listening = url;
    },
    close: async () => {
      metrics.stop();
      await store.close();
    },
  };
}

/** A URL a client on this machine can open: the wildcard addresses are not addresses one can connect to. */
export function reachableUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/**
 * Express (and the SCIM engine) is imported on the first request that needs
 * it, not at start-up; requests arriving meanwhile wait (their bodies stay
 * buffered in the socket).
 */
function lazyListener(load: () => Promise<RequestListener>, what: string, logger: Logger): RequestListener {
  let loaded: RequestListener | undefined;
  let loading: Promise<RequestListener> | undefined;
  return (req, res) => {
    if (loaded) return loaded(req, res);
    loading ??= load().then((listener) => (loaded = listener));
    loading.then(
      (listener) => listener(req, res),
      (error: unknown) => {
        // A broken installation; the next request tries again.
        loading = undefined;
        logger.error({ err: error }, `could not load ${what}`);
        res.destroy();
      },
    );
  };
}

/** Room for a 32 KB GET URL plus headers; the pipeline enforces the real limit with a proper error. */
const MAX_HEADER_BYTES = 256 * 1024;

/** Bounds that keep a slow or hostile client from holding the emulator (documented in the README). */
export const HTTP_LIMITS = {
  /** The request line and headers must arrive within this. */
  headersTimeoutMs: 20_000,
  /** The whole request, body included, must arrive within this. */
  requestTimeoutMs: 60_000,
  /** Open connections at once; more are refused by the kernel backlog until one closes. */
  maxConnections: 1024,
};

export type HttpLimits = typeof HTTP_LIMITS;

/**
 * The HTTP server for an emulator app. Requests Node itself rejects before
 * any handler sees them (headers past MAX_HEADER_BYTES, broken HTTP, a
 * request stalled past its timeout) still get a proper answer: a Tencent
 * Cloud envelope for the API, a SCIM error under /scim/v2.
 */
export function createHttpServer(emulator: Pick<EmulatorApp, 'app' | 'ids'>, limits: Partial<HttpLimits> = {}): Server {
  const bounds = { ...HTTP_LIMITS, ...limits };
  const server = createServer(
    {
      maxHeaderSize: MAX_HEADER_BYTES,
      headersTimeout: bounds.headersTimeoutMs,
      requestTimeout: bounds.requestTimeoutMs,
      // Node checks the timeouts on this period (30 s by default, longer than a short timeout).
      connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(bounds.headersTimeoutMs / 4))),
    },
    emulator.app,
  );
  server.maxConnections = bounds.maxConnections;
  rememberRequestHeads(server);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) =>
    answerClientError(error, socket, { requestId: () => emulator.ids.requestId(), timeoutSeconds: Math.round(bounds.requestTimeoutMs / 1000) }),
  );
  return server;
}

export interface RunningEmulator extends Omit<EmulatorApp, 'close'> {
  server: Server;
  /** e.g. http://127.0.0.1:9000 */
  url: string;
  port: number;
  /**
   * Graceful stop: no new connections; requests in flight are answered
   * (waiting at most `graceMs`, default 10 s); then the store is flushed and
   * compacted and its data-file lock released.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** Builds the emulator and listens; `close()` stops listening, then flushes the store. */
export async function start(config: Partial<EmulatorConfig> = {}, overrides: AppOverrides = {}): Promise<RunningEmulator> {
  const emulator = await createApp(config, overrides);
  const { host, port } = emulator.config;
  const server = createHttpServer(emulator, overrides.httpLimits);
  const inFlight = new InFlight(server);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', () => resolve());
      server.once('error', reject);
      server.listen(port, host);
    });
  } catch (error) {
    // Nothing was served: give the data file back before reporting why.
    await emulator.close();
    throw error;
  }
  // Idle keep-alive sockets would hold close() open.
  server.keepAliveTimeout = 5000;
  const actualPort = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  emulator.listeningAt(reachableUrl(host, actualPort));
  let closing: Promise<void> | null = null;
  return {
    ...emulator,
    server,
    port: actualPort,
    url: `http://${urlHost}:${actualPort}`,
    close: (options = {}) =>
      (closing ??= (async () => {
        const graceMs = options.graceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await inFlight.drain(graceMs);
        server.closeAllConnections();
        await stopped;
        await emulator.close();
      })()),
  };
}

/**
 * Counts requests between arrival and the end of their response, so a
 * shutdown can answer every request it accepted (a write that reached the
 * disk must get its answer) before it closes the sockets.
 */
class InFlight {
  private count = 0;
  private draining = false;
  private idle: (() => void) | null = null;

  constructor(server: Server) {
    server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
      this.count += 1;
      // A keep-alive client sending more during a shutdown gets its answer and is told to reconnect elsewhere.
      if (this.draining) res.setHeader('Connection', 'close');
      res.once('close', () => {
        this.count -= 1;
        if (this.count === 0) this.idle?.();
      });
    });
  }

  /** Resolves when no request is in flight, or after `graceMs`, whichever comes first. */
  drain(graceMs: number): Promise<void> {
    this.draining = true;
    if (this.count === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, graceMs);
      timer.unref();
      this.idle = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
