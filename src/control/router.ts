import express, { type NextFunction, type Request, type Response } from 'express';
import { parseIsoInstant } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import { controlAccess } from './access.js';
import type { ControlPlane } from './control-plane.js';
import { ControlError, badRequest, notFound } from './control-error.js';
import { JOURNAL_CAPACITY, type JournalFilter } from './journal.js';
import type { RuntimeMetrics } from './runtime-metrics.js';
import { serveDashboard } from './dashboard.js';

/** A whole state may be large (100,000 users is about 40 MB). */
const MAX_BODY = '256mb';
const DEFAULT_JOURNAL_LIMIT = 100;
/** ±10,000 years is far enough for any expiry test and keeps Date valid. */
const MAX_ADVANCE_SECONDS = 10_000 * 366 * 86400;

/** Every path the control plane answers, with its methods, so a wrong method gets 405 and an unknown path 404. */
const ROUTES: readonly [RegExp, string[]][] = [
  [/^\/health$/, ['GET']],
  [/^\/metrics$/, ['GET']],
  [/^\/metrics\/reset$/, ['POST']],
  [/^\/reset$/, ['POST']],
  [/^\/clock$/, ['GET', 'POST']],
  [/^\/state$/, ['GET', 'POST']],
  [/^\/overview$/, ['GET']],
  [/^\/snapshots$/, ['GET']],
  [/^\/snapshots\/[^/]+$/, ['POST', 'DELETE']],
  [/^\/snapshots\/[^/]+\/restore$/, ['POST']],
  [/^\/scim-credentials\/[^/]+\/usage$/, ['GET']],
  [/^\/requests$/, ['GET']],
  [/^\/faults$/, ['GET', 'POST', 'DELETE']],
  [/^\/faults\/[^/]+$/, ['DELETE']],
];

/** The body of a POST as a JSON object; an empty body is `{}`. Parsed here so curl's default form content type works too. */
function jsonObject(req: Request): Record<string, unknown> {
  const text = typeof req.body === 'string' ? req.body.trim() : '';
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest(`the body is not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('the body must be a JSON object');
  return value as Record<string, unknown>;
}

function onlyFields(body: Record<string, unknown>, allowed: readonly string[]): void {
  const extra = Object.keys(body).find((k) => !allowed.includes(k));
  if (extra !== undefined) throw badRequest(`unknown field ${JSON.stringify(extra)}; expected ${allowed.join(', ')}`);
}

function journalFilter(query: Request['query']): JournalFilter {
  const allowed = ['action', 'code', 'surface', 'credentialId', 'account', 'limit'];
  const filter: JournalFilter = { limit: DEFAULT_JOURNAL_LIMIT };
  for (const [name, value] of Object.entries(query)) {
    if (!allowed.includes(name)) throw badRequest(`unknown query parameter ${JSON.stringify(name)}; expected ${allowed.join(', ')}`);
    if (typeof value !== 'string') throw badRequest(`give ${name} once`);
    if (value === '') continue; // `?action=&code=` as a form would send it: no filter
    if (name === 'limit') {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < 1 || n > JOURNAL_CAPACITY) throw badRequest(`limit must be a whole number from 1 to ${JOURNAL_CAPACITY}`);
      filter.limit = n;
    } else if (name === 'surface') {
      if (value !== 'api' && value !== 'scim' && value !== 'saml') throw badRequest('surface is api, scim or saml');
      filter.surface = value;
    } else {
      filter[name as 'action' | 'code' | 'credentialId' | 'account'] = value;
    }
  }
  return filter;
}

function clockCommand(plane: ControlPlane, body: Record<string, unknown>): void {
  const keys = Object.keys(body);
  if (keys.length !== 1 || !['advanceSeconds', 'set', 'freeze'].includes(keys[0]!)) {
    throw badRequest('send exactly one of {"advanceSeconds": n}, {"set": "<ISO-8601>"}, {"freeze": true|false}');
  }
  const { advanceSeconds, set, freeze } = body;
  if (keys[0] === 'advanceSeconds') {
    if (typeof advanceSeconds !== 'number' || !Number.isFinite(advanceSeconds) || Math.abs(advanceSeconds) > MAX_ADVANCE_SECONDS) {
      throw badRequest('advanceSeconds must be a number of seconds (negative goes back)');
    }
    plane.clock.advance(advanceSeconds);
  } else if (keys[0] === 'set') {
    const at = typeof set === 'string' ? parseIsoInstant(set) : null;
    if (!at) throw badRequest('set must be an ISO-8601 instant with a zone, e.g. "2026-01-01T00:00:00Z"');
    plane.clock.set(at);
  } else {
    if (typeof freeze !== 'boolean') throw badRequest('freeze must be true or false');
    if (freeze) plane.clock.freeze();
    else plane.clock.unfreeze();
  }
}

/** /_emulator: the emulator's own endpoints, never part of the emulated APIs. Errors are `{"error": "..."}` with a 4xx. */
export interface ControlRouterDeps {
  metrics: RuntimeMetrics;
  /** Lets non-loopback clients in (see access.ts). */
  token: string | null;
  logger: Logger;
}

export function createControlRouter(plane: ControlPlane, { metrics, token, logger }: ControlRouterDeps): express.Router {
  const router = express.Router({ caseSensitive: true, strict: false });
  // The dashboard's files hold no data, so anyone may load them; the data behind them is guarded below.
  router.use('/ui', serveDashboard());
  router.use(controlAccess(token));
  router.use(express.text({ type: () => true, limit: MAX_BODY }));

  router.get('/health', (_req, res) => {
    res.json(plane.health());
  });
  // Memory and event-loop delay, for `npm run bench` and anyone watching a long run.
  router.get('/metrics', (_req, res) => {
    res.json(metrics.snapshot());
  });
  router.post('/metrics/reset', (_req, res) => {
    metrics.reset();
    res.status(204).end();
  });

  router.post('/reset', async (req, res) => {
    const body = jsonObject(req);
    onlyFields(body, ['empty', 'keepAccounts']);
    if (body.empty !== undefined && typeof body.empty !== 'boolean') throw badRequest('empty must be true or false');
    if (body.keepAccounts !== undefined && (typeof body.keepAccounts !== 'boolean' || body.empty !== true)) {
      throw badRequest('keepAccounts (true or false) goes with "empty": true');
    }
    res.json(await plane.reset({ empty: body.empty === true, keepAccounts: body.keepAccounts === true }));
  });

  router.get('/clock', (_req, res) => {
    res.json(plane.clock.state());
  });
  router.post('/clock', (req, res) => {
    clockCommand(plane, jsonObject(req));
    res.json(plane.clock.state());
  });

  router.get('/state', (_req, res) => {
    res.json(plane.state());
  });
  router.post('/state', async (req, res) => {
    const text = typeof req.body === 'string' ? req.body : '';
    if (text.trim() === '') throw badRequest('send a state document (as GET /_emulator/state returns) as the body');
    res.json({ loaded: await plane.loadState(text) });
  });

  router.get('/overview', (_req, res) => {
    res.json(plane.overview());
  });

  router.get('/snapshots', async (_req, res) => {
    res.json({ snapshots: await plane.snapshots.list() });
  });
  router.post('/snapshots/:name', async (req, res) => {
    res.status(201).json(await plane.snapshots.save(String(req.params.name)));
  });
  router.post('/snapshots/:name/restore', async (req, res) => {
    const name = String(req.params.name);
    res.json({ restored: name, counts: await plane.snapshots.restore(name) });
  });
  router.delete('/snapshots/:name', async (req, res) => {
    const name = String(req.params.name);
    if (!(await plane.snapshots.remove(name))) throw notFound(`no snapshot ${JSON.stringify(name)}`);
    res.json({ deleted: name });
  });

  router.get('/scim-credentials/:credentialId/usage', (req, res) => {
    const id = String(req.params.credentialId);
    const usage = plane.usage(id);
    if (!usage) throw notFound(`no SCIM key ${JSON.stringify(id)}`);
    res.json(usage);
  });

  router.get('/requests', (req, res) => {
    res.json({ requests: plane.journal.list(journalFilter(req.query)) });
  });

  router.get('/faults', (_req, res) => {
    res.json({ faults: plane.faults.list() });
  });
  router.post('/faults', (req, res) => {
    res.status(201).json(plane.faults.add(jsonObject(req)));
  });
  router.delete('/faults', (_req, res) => {
    const cleared = plane.faults.list().length;
    plane.faults.clear();
    res.json({ cleared });
  });
  router.delete('/faults/:id', (req, res) => {
    const id = String(req.params.id);
    if (!plane.faults.remove(id)) throw notFound(`no fault rule ${JSON.stringify(id)}`);
    res.json({ deleted: id });
  });

  // Anything else under /_emulator: JSON, never the API's envelope.
  router.use((req, _res, next) => {
    const route = ROUTES.find(([pattern]) => pattern.test(req.path.replace(/\/+$/, '') || '/'));
    if (route) return next(new ControlError(405, `${req.method} is not allowed here; use ${route[1].join(' or ')}`, { Allow: route[1].join(', ') }));
    next(notFound(`no control endpoint ${req.method} /_emulator${req.path}`));
  });

  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof ControlError) {
      res.status(error.status).set(error.headers).json({ error: error.message });
      return;
    }
    // body-parser's own (413 too large, 400 unreadable, 415 bad charset).
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: (error as Error).message });
      return;
    }
    logger.error({ err: error }, 'control plane request failed');
    res.status(500).json({ error: 'the emulator failed to handle the request; see its log' });
  });
  return router;
}
