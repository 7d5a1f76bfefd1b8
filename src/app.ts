import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { ActionCatalog } from './api/catalog.js';
import { createApiPipeline } from './api/pipeline.js';
import { ActionValidator } from './api/validate.js';
import { defaultConfig, type EmulatorConfig } from './config.js';
import { createControlRouter } from './control/router.js';
import { startRuntimeMetrics, type RuntimeMetrics } from './control/runtime-metrics.js';
import { createScimRouter } from './scim/router.js';
import { systemClock, type Clock } from './runtime/clock.js';
import { randomIdGenerator, type IdGenerator } from './runtime/ids.js';
import { createLogger, type Logger } from './runtime/logger.js';
import { packagePath } from './runtime/package-root.js';
import { organizationService } from './services/organization/index.js';
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
}

export interface EmulatorApp {
  /**
   * The request handler of every surface (API 3.0, SCIM, /_emulator): hand it to
   * `http.createServer` or use `createHttpServer`. Typed as Node's own
   * RequestListener so the published types need nothing from Express.
   */
  app: RequestListener;
  store: IdentityCenterStore;
  config: EmulatorConfig;
  clock: Clock;
  logger: Logger;
  /** Set when an unreadable data file was moved aside at start-up. */
  quarantinedTo: string | null;
  /** Memory and event-loop delay, served at /_emulator/metrics. */
  metrics: RuntimeMetrics;
  close(): Promise<void>;
}

export const PACKAGE_VERSION = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;

const SERVICES = [organizationService];

/** Builds the whole emulator (store, surfaces) without listening; `start` listens. */
export async function createApp(config: Partial<EmulatorConfig> = {}, overrides: AppOverrides = {}): Promise<EmulatorApp> {
  const full: EmulatorConfig = { ...defaultConfig(), ...config };
  const clock = overrides.clock ?? systemClock;
  const ids = overrides.ids ?? randomIdGenerator;
  const logger = overrides.logger ?? createLogger(full.logLevel);
  const fixtures = overrides.fixtures ? snapshotOf(overrides.fixtures) : await loadFixtures(full.fixturesFile, IDENTITY_CENTER_STATE);
  const { store, quarantinedTo, replayed, droppedTornLine, tookOverLockFrom } = await openStore({
    definition: IDENTITY_CENTER_STATE,
    dataFile: full.dataFile,
    fixtures,
    now: clock.now(),
    ...(overrides.compactMinBytes !== undefined ? { compactMinBytes: overrides.compactMinBytes } : {}),
    onBackgroundError: (error, what) => logger.error({ err: error, dataFile: full.dataFile }, `store ${what} failed; the journal still holds every change`),
  });
  if (tookOverLockFrom) {
    logger.warn({ dataFile: full.dataFile, previousOwner: tookOverLockFrom }, 'took over the lock of a process that is gone');
  }
  if (replayed > 0 || droppedTornLine) {
    logger.info({ dataFile: full.dataFile, replayed, droppedTornLine }, 'replayed the journal after an unclean stop');
  }
  if (quarantinedTo) logger.warn({ dataFile: full.dataFile, movedTo: quarantinedTo }, 'data file unreadable; moved aside and started from fixtures');

  const metrics = startRuntimeMetrics(() => clock.now());
  const catalog = new ActionCatalog(SERVICES);
  const validators = new Map(SERVICES.map((s) => [s.version, new ActionValidator(s.schemaDir)]));

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use('/_emulator', createControlRouter(store, PACKAGE_VERSION, metrics));
  app.use('/scim/v2', createScimRouter({ store, now: () => clock.now(), ids, logger, quotas: full.quotas }));
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
  });
  // Everything else is the Tencent Cloud API surface: it always answers with an envelope.
  app.use((req, res) => void pipeline(req, res));

  return {
    app,
    store,
    config: full,
    clock,
    logger,
    quarantinedTo,
    metrics,
    close: async () => {
      metrics.stop();
      await store.close();
    },
  };
}

/** Room for a 32 KB GET URL plus headers; the pipeline enforces the real limit with a proper error. */
const MAX_HEADER_BYTES = 256 * 1024;

/**
 * The HTTP server for an emulator app. Requests Node itself rejects before
 * Express sees them (headers past MAX_HEADER_BYTES, broken HTTP) still get a
 * Tencent Cloud error envelope rather than a bare 4xx.
 */
export function createHttpServer(emulator: Pick<EmulatorApp, 'app'>): Server {
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, emulator.app);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify({
      Response: {
        Error: tooLarge
          ? { Code: 'RequestSizeLimitExceeded', Message: 'The request line and headers are larger than the emulator accepts.' }
          : { Code: 'InvalidParameter', Message: 'The HTTP request is malformed.' },
        RequestId: randomUUID(),
      },
    });
    socket.end(
      `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}

export interface RunningEmulator extends EmulatorApp {
  server: Server;
  /** e.g. http://127.0.0.1:9000 */
  url: string;
  port: number;
}

/** Builds the emulator and listens; `close()` stops listening, then flushes the store. */
export async function start(config: Partial<EmulatorConfig> = {}, overrides: AppOverrides = {}): Promise<RunningEmulator> {
  const emulator = await createApp(config, overrides);
  const { host, port } = emulator.config;
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = createHttpServer(emulator);
    listening.once('listening', () => resolve(listening));
    listening.listen(port, host);
    listening.once('error', reject);
  });
  // Idle keep-alive sockets would hold close() open.
  server.keepAliveTimeout = 5000;
  const actualPort = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    ...emulator,
    server,
    port: actualPort,
    url: `http://${urlHost}:${actualPort}`,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await emulator.close();
    },
  };
}
