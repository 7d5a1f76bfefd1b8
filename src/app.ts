import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { ActionCatalog } from './api/catalog.js';
import { createApiPipeline } from './api/pipeline.js';
import { ActionValidator } from './api/validate.js';
import { defaultConfig, type EmulatorConfig } from './config.js';
import { isApiError } from './errors/api-error.js';
import { needsExpress } from './route-request.js';
import { isScimError } from './scim/engine/errors.js';
import { systemClock, type Clock } from './runtime/clock.js';
import { randomIdGenerator, type IdGenerator } from './runtime/ids.js';
import { createLogger, type Logger } from './runtime/logger.js';
import { packagePath } from './runtime/package-root.js';
import { organizationService } from './services/organization/index.js';
import { loadFixtures, openStore } from './store/open-store.js';
import type { State } from './store/state.js';
import type { Store } from './store/store.js';

/** Replaceable parts, for tests and embedding: time, identifiers, logging, seed state. */
export interface AppOverrides {
  clock?: Clock;
  ids?: IdGenerator;
  logger?: Logger;
  /** Seed state instead of reading config.fixturesFile. */
  fixtures?: State;
}

export interface EmulatorApp {
  /**
   * The whole emulator as a node:http request listener (e.g. for
   * `http.createServer` or supertest): API 3.0 requests go straight to the
   * API pipeline, /scim/v2 and /_emulator to Express.
   */
  app: RequestListener;
  store: Store;
  config: EmulatorConfig;
  clock: Clock;
  logger: Logger;
  /** Set when an unreadable data file was moved aside at start-up. */
  quarantinedTo: string | null;
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
  const fixtures = overrides.fixtures ?? (await loadFixtures(full.fixturesFile));
  const { store, quarantinedTo } = await openStore({
    dataFile: full.dataFile,
    fixtures,
    now: clock.now(),
    // Rule violations are raised before any change; anything else triggers a rollback.
    isRuleViolation: (error) => isApiError(error) || isScimError(error),
  });
  if (quarantinedTo) logger.warn({ dataFile: full.dataFile, movedTo: quarantinedTo }, 'data file unreadable; moved aside and started from fixtures');

  const catalog = new ActionCatalog(SERVICES);
  const validators = new Map(SERVICES.map((s) => [s.version, new ActionValidator(s.schemaDir)]));

  const pipeline = createApiPipeline({
    catalog,
    validators,
    store,
    clock,
    ids,
    logger,
    authMode: full.auth,
    utcOffsetMinutes: full.utcOffsetMinutes,
  });
  // The Tencent Cloud API surface always answers with an envelope, whatever the path.
  const api = (req: IncomingMessage, res: ServerResponse) => void pipeline(req, res);
  const viaExpress = lazyExpress(
    () =>
      import('./express-app.js').then(({ createExpressApp }) =>
        createExpressApp({ store, now: () => clock.now(), ids, logger, version: PACKAGE_VERSION, fallback: api }),
      ),
    logger,
  );
  const app: RequestListener = (req, res) => {
    if (needsExpress(req.url ?? '/')) viaExpress(req, res);
    else api(req, res);
  };

  return {
    app,
    store,
    config: full,
    clock,
    logger,
    quarantinedTo,
    close: () => store.close(),
  };
}

/**
 * Express is imported on the first request that needs it, not at start-up;
 * requests arriving meanwhile wait (their bodies stay buffered in the socket).
 */
function lazyExpress(load: () => Promise<RequestListener>, logger: Logger): RequestListener {
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
        logger.error({ err: error }, 'could not load the SCIM and control endpoints');
        res.destroy();
      },
    );
  };
}

/** Room for a 32 KB GET URL plus headers; the pipeline enforces the real limit with a proper error. */
const MAX_HEADER_BYTES = 256 * 1024;

/**
 * The HTTP server for an emulator app. Requests Node itself rejects before
 * the app sees them (headers past MAX_HEADER_BYTES, broken HTTP) still get a
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
