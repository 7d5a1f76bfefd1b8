import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, type Language } from '../errors/api-error.js';
import type { Clock } from '../runtime/clock.js';
import type { IdGenerator } from '../runtime/ids.js';
import type { Logger } from '../runtime/logger.js';
import { formatTcTime } from '../runtime/time-format.js';
import type { Quotas } from '../config.js';
import type { StateStore } from '../domain/store.js';
import { StoreWriteError } from '../store/errors.js';
import { authenticate, type AccountDirectory } from './authenticate.js';
import type { AuthMode } from '../config.js';
import type { ActionCatalog, HandlerContext } from './catalog.js';
import { errorBody, successText, writeJsonText } from './envelope.js';
import type { TextPieces } from '../http/text-pieces.js';
import type { ApiInterceptors } from './interceptors.js';
import { isTc3Style, languageOf, parseRequest, type ParsedRequest, type RawRequest } from './parse-request.js';
import { BodyTooLargeError, LIMITS, checkUrlSize, readBody } from './read-body.js';
import type { ActionValidator } from './validate.js';

export interface PipelineDeps {
  catalog: ActionCatalog;
  validators: ReadonlyMap<string, ActionValidator>;
  store: StateStore;
  quotas: Quotas;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  authMode: AuthMode;
  utcOffsetMinutes: number;
  /** Control-plane hooks (faults, rate limits, request journal); see interceptors.ts. */
  interceptors?: ApiInterceptors;
  /** Where identity providers and browsers reach this emulator (SAML URLs). */
  publicUrl(): string;
}

/** What a request has told us so far; the error step and the log line read it. */
interface RequestContext {
  requestId: string;
  language: Language;
  traceId: string | undefined;
  action: string | undefined;
  /** performance.now() at arrival: a float, where hrtime.bigint() allocated a BigInt per request. */
  started: number;
  /** For the interceptors' journal: what parsing and authentication found. */
  params?: Record<string, unknown>;
  uin?: string;
}

/**
 * The Tencent Cloud API 3.0 request path, in order:
 * context -> read -> parse -> resolve action -> authenticate -> validate -> handle -> envelope.
 * The catch at the end is the only place that writes an error envelope.
 */
export function createApiPipeline(deps: PipelineDeps) {
  // The same for every request, so made once rather than per request.
  const now = () => deps.clock.now();
  const formatTime = (iso: string) => formatTcTime(iso, deps.utcOffsetMinutes);
  const accounts = accountDirectory(deps.store);
  return async function handleApiRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ctx: RequestContext = {
      requestId: deps.ids.requestId(),
      // From the header already, so errors raised before parsing (bad JSON, size) are localised too.
      language: languageOf(header(req, 'x-tc-language')),
      traceId: header(req, 'x-tc-traceid'),
      action: header(req, 'x-tc-action'),
      started: performance.now(),
    };
    let closeAfter = false;
    try {
      const raw = requestHead(req);
      if (raw.method === 'POST') raw.body = await readPostBody(req, raw);
      const parsed = parseRequest(raw);
      ctx.language = parsed.language;
      ctx.action = parsed.action;
      ctx.params = parsed.params;
      const { action, version } = requireActionAndVersion(parsed, deps.catalog);
      const resolved = deps.catalog.resolve(action, version);
      if (resolved.kind === 'no-such-action') throw new ApiError('invalidAction', { action });
      if (resolved.kind === 'no-such-version') {
        throw new ApiError('noSuchVersion', { action, version, supported: resolved.versions.join(', ') });
      }
      const account = authenticate({
        mode: deps.authMode,
        raw,
        parsed,
        accounts,
        now: deps.clock.now(),
      });
      ctx.uin = account.uin;
      // Control-plane hook: injected faults and rate limits answer through the catch below, like real errors.
      const intercepted = deps.interceptors?.beforeHandle({ action, uin: account.uin, requestId: ctx.requestId });
      if (intercepted) await intercepted; // no extra turn of the event loop when no rule applies
      const validating = deps.validators.get(resolved.service.version)?.validate(action, parsed.params, parsed.paramsAreStrings);
      if (validating) await validating;
      if (!resolved.handler) throw new ApiError('notImplemented', { action });
      const handlerContext: HandlerContext = {
        account,
        store: deps.store,
        quotas: deps.quotas,
        ids: deps.ids,
        now,
        formatTime,
        requestId: ctx.requestId,
        publicUrl: deps.publicUrl,
      };
      const result = await resolved.handler(parsed.params as never, handlerContext);
      respond(res, ctx, successText(result, ctx.requestId));
      logLine(deps.logger, ctx, 'Success');
      afterResponse(deps, req, ctx, 'Success');
    } catch (caught) {
      if (clientWentAway(req, caught)) {
        deps.logger.info({ surface: 'api', action: ctx.action ?? null, requestId: ctx.requestId }, 'client closed the connection before the request was read');
        return;
      }
      const error = asApiError(caught, ctx, deps.logger);
      if (error.language) ctx.language = error.language;
      closeAfter = error instanceof BodyTooLargeError;
      respond(res, ctx, JSON.stringify(errorBody(error, ctx.language, ctx.requestId)), closeAfter);
      logLine(deps.logger, ctx, error.code);
      afterResponse(deps, req, ctx, error.code);
    }
  };
}

/** A client that hangs up mid-body is not an emulator failure, and there is no one left to answer. */
function clientWentAway(req: IncomingMessage, caught: unknown): boolean {
  if (caught instanceof ApiError) return false;
  const code = (caught as NodeJS.ErrnoException | undefined)?.code;
  // Not req.destroyed: Node sets it as soon as a body has been read in full.
  return !req.complete && (code === 'ECONNRESET' || code === 'ECONNABORTED' || (caught as Error | undefined)?.message === 'aborted');
}

/** The one read of the store the pipeline itself makes: the live view's secretId index, no copy per request. */
function accountDirectory(store: StateStore): AccountDirectory {
  const accounts = store.view.accounts;
  return {
    first: () => accounts.scan().next().value,
    bySecretId: (secretId) => accounts.findOne('secretId', secretId),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Shared by every bodiless request: a zero-length Buffer has nothing to mutate. */
const EMPTY_BODY = Buffer.alloc(0);

/** Everything but the body, which `readBody` adds for POST. */
function requestHead(req: IncomingMessage): RawRequest {
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const rawQuery = queryAt === -1 ? '' : url.slice(queryAt + 1);
  const headers = singleValued(req.headers);
  const method = (req.method ?? 'GET').toUpperCase();
  if (path !== '/') throw new ApiError('wrongPath', { path });
  if (method !== 'GET' && method !== 'POST') throw new ApiError('unsupportedMethod', { method });
  if (method === 'GET') checkUrlSize(url);
  return { method, path, rawQuery, headers, body: EMPTY_BODY };
}

function readPostBody(req: IncomingMessage, raw: RawRequest): Promise<Buffer> {
  const tc3 = isTc3Style(raw.headers);
  return readBody(req, tc3 ? LIMITS.tc3BodyBytes : LIMITS.v1BodyBytes, tc3 ? 'API 3.0 POST' : 'v1 POST');
}

/**
 * Node already joins repeated headers into one string, except Set-Cookie,
 * which it keeps as an array; only then is a copy needed.
 */
function singleValued(headers: IncomingHttpHeaders): RawRequest['headers'] {
  if (headers['set-cookie'] === undefined) return headers as RawRequest['headers'];
  const copy: RawRequest['headers'] = {};
  for (const [name, value] of Object.entries(headers)) copy[name] = Array.isArray(value) ? value.join(', ') : value;
  return copy;
}

function requireActionAndVersion(parsed: ParsedRequest, catalog: ActionCatalog): { action: string; version: string } {
  if (!parsed.action) throw new ApiError('missingAction');
  if (!parsed.version) throw new ApiError('missingVersion', { expected: catalog.versions.join(', ') });
  return { action: parsed.action, version: parsed.version };
}

function asApiError(caught: unknown, ctx: RequestContext, logger: Logger): ApiError {
  if (caught instanceof ApiError) return caught;
  if (caught instanceof StoreWriteError) {
    logger.error({ requestId: ctx.requestId, action: ctx.action, err: caught }, 'store write failed');
    return new ApiError('storeWriteFailed');
  }
  // Unexpected: log the stack for the operator, give the client only the RequestId.
  logger.error({ requestId: ctx.requestId, action: ctx.action, err: caught }, 'unhandled error');
  return new ApiError('internalError', { requestId: ctx.requestId });
}

/** Echoed only when it is a sane header value: a 100 KB or control-character trace id would break the client's own HTTP parser. */
const ECHOABLE_TRACE_ID = /^[\x21-\x7e]{1,256}$/;

function respond(res: ServerResponse, ctx: RequestContext, payload: string | TextPieces, close = false): void {
  if (res.headersSent) return;
  const headers: Record<string, string> = {};
  if (ctx.traceId && ECHOABLE_TRACE_ID.test(ctx.traceId)) headers['X-TC-TraceId'] = ctx.traceId;
  if (close) headers.Connection = 'close';
  writeJsonText(res, payload, headers);
}

function logLine(logger: Logger, ctx: RequestContext, code: string): void {
  if (!logger.isLevelEnabled('info')) return;
  const latencyMs = performance.now() - ctx.started;
  logger.info(
    { surface: 'api', action: ctx.action ?? null, code, latencyMs: Math.round(latencyMs * 100) / 100, requestId: ctx.requestId },
    'request',
  );
}

/** Control-plane hook: the request journal. */
function afterResponse(deps: PipelineDeps, req: IncomingMessage, ctx: RequestContext, code: string): void {
  deps.interceptors?.afterResponse({
    requestId: ctx.requestId,
    action: ctx.action ?? null,
    method: (req.method ?? 'GET').toUpperCase(),
    uin: ctx.uin ?? null,
    params: ctx.params ?? null,
    code,
    latencyMs: performance.now() - ctx.started,
  });
}
