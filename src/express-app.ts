import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { createControlRouter } from './control/router.js';
import type { IdGenerator } from './runtime/ids.js';
import type { Logger } from './runtime/logger.js';
import { createScimRouter } from './scim/router.js';
import type { Quotas } from './config.js';
import type { RuntimeMetrics } from './control/runtime-metrics.js';
import type { IdentityCenterStore } from './domain/store.js';

export interface ExpressSurfaceDeps {
  store: IdentityCenterStore;
  quotas: Quotas;
  metrics: RuntimeMetrics;
  now(): Date;
  ids: IdGenerator;
  logger: Logger;
  version: string;
  /** Whatever the routers leave unanswered (e.g. GET /_emulator/nothing) is an API 3.0 request, as it always was. */
  fallback(req: IncomingMessage, res: ServerResponse): void;
}

/**
 * /scim/v2 and /_emulator. Loaded on the first request for either (see app.ts):
 * Express costs about 100 ms to import, which an API-only user never needs to pay.
 */
export function createExpressApp(deps: ExpressSurfaceDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use('/_emulator', createControlRouter(deps.store, deps.version, deps.metrics));
  app.use('/scim/v2', createScimRouter({ store: deps.store, now: deps.now, ids: deps.ids, logger: deps.logger, quotas: deps.quotas }));
  app.use((req, res) => deps.fallback(req, res));
  return app;
}
