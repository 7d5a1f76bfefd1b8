import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { createControlRouter } from './control/router.js';
import type { IdGenerator } from './runtime/ids.js';
import type { Logger } from './runtime/logger.js';
import { createScimRouter } from './scim/router.js';
import type { Quotas } from './config.js';
import type { ControlPlane } from './control/control-plane.js';
import type { RuntimeMetrics } from './control/runtime-metrics.js';
import type { ScimRequestBuffer } from './domain/scim-request-buffer.js';
import type { IdentityCenterStore } from './domain/store.js';

export interface ExpressSurfaceDeps {
  store: IdentityCenterStore;
  /** The store's SCIM request buffer (EmulatorApp.scimRequests). */
  scimRequests: ScimRequestBuffer;
  quotas: Quotas;
  metrics: RuntimeMetrics;
  control: ControlPlane;
  /** Lets non-loopback clients use /_emulator (Authorization: Bearer). */
  controlToken: string | null;
  now(): Date;
  ids: IdGenerator;
  logger: Logger;
  /** Where identity providers and browsers reach the emulator (SAML URLs). */
  publicUrl(): string;
  utcOffsetMinutes: number;
  /** Whatever the routers leave unanswered (e.g. GET /_emulator/nothing) is an API 3.0 request, as it always was. */
  fallback(req: IncomingMessage, res: ServerResponse): void;
}

/**
 * /scim/v2, /_emulator and /saml/sp. Loaded on the first request for either (see app.ts):
 * Express costs about 100 ms to import, which an API-only user never needs to pay.
 */
export function createExpressApp(deps: ExpressSurfaceDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use('/_emulator', createControlRouter(deps.control, { metrics: deps.metrics, token: deps.controlToken, logger: deps.logger }));
  app.use(
    '/scim/v2',
    createScimRouter({ store: deps.store, requests: deps.scimRequests, now: deps.now, ids: deps.ids, logger: deps.logger, quotas: deps.quotas, interceptors: deps.control.scim }),
  );
  // The SAML library (xml-crypto, xmldom) loads with the first /saml/sp request, not with the SCIM or control endpoints.
  let sso: Promise<express.Router> | undefined;
  const loadSso = () =>
    import('./sso/router.js').then(({ createSsoRouter }) =>
      createSsoRouter({
        store: deps.store,
        now: deps.now,
        ids: deps.ids,
        quotas: deps.quotas,
        logger: deps.logger,
        publicUrl: deps.publicUrl,
        utcOffsetMinutes: deps.utcOffsetMinutes,
        interceptors: deps.control.saml,
      }),
    );
  app.use('/saml/sp', (req, res, next) => {
    (sso ??= loadSso()).then(
      (router) => router(req, res, next),
      (error: unknown) => {
        // A broken installation, as app.ts's lazy listeners treat it: logged, and the next request tries again.
        sso = undefined;
        deps.logger.error({ err: error }, 'could not load the SAML endpoints');
        res.destroy();
      },
    );
  });
  app.use((req, res) => deps.fallback(req, res));
  return app;
}
