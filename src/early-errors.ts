import { errorBody } from './api/envelope.js';
import { ApiError } from './errors/api-error.js';
import type { MessageKey } from './errors/messages.js';
import type { EarlyAnswer, EarlyError, EarlyErrorRenderer, EarlyProblem } from './http/client-errors.js';
import { ScimError } from './scim/engine/errors.js';
import { refusalPage } from './sso/pages.js';

// The answers to requests refused before routing (http/client-errors.ts), one
// renderer per surface. It lives beside app.ts because it sees every surface.

/** The HTTP status naming each problem, and its message (the one text every surface uses). */
const PROBLEMS: Readonly<Record<EarlyProblem, { status: number; message: MessageKey }>> = {
  'headers-too-large': { status: 431, message: 'headersTooLarge' },
  'head-timeout': { status: 408, message: 'headTimedOut' },
  'body-timeout': { status: 408, message: 'requestTimedOut' },
  malformed: { status: 400, message: 'malformedHttp' },
  'host-missing': { status: 400, message: 'hostMissing' },
  'expectation-failed': { status: 417, message: 'expectationFailed' },
};

/** HTTP itself sets these statuses (RFC 9112 section 3.2, RFC 9110 section 10.1.1), so even the API answers with them. */
const HTTP_MANDATED: ReadonlySet<EarlyProblem> = new Set(['host-missing', 'expectation-failed']);

const apiErrorOf = (error: EarlyError): ApiError =>
  new ApiError(PROBLEMS[error.problem].message, error.seconds === undefined ? {} : { seconds: error.seconds });

/** The API answers its errors with HTTP 200 and an envelope, as the SDKs expect. */
function apiAnswer(error: EarlyError, requestId: string): EarlyAnswer {
  const status = HTTP_MANDATED.has(error.problem) ? PROBLEMS[error.problem].status : 200;
  return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(errorBody(apiErrorOf(error), error.language, requestId)) };
}

function scimAnswer(error: EarlyError): EarlyAnswer {
  const { status } = PROBLEMS[error.problem];
  const body = new ScimError(status, undefined, apiErrorOf(error).localizedMessage('en-US')).toScimErrorBody();
  return { status, headers: { 'Content-Type': 'application/scim+json' }, body: JSON.stringify(body) };
}

function controlAnswer(error: EarlyError): EarlyAnswer {
  const { status } = PROBLEMS[error.problem];
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify({ error: apiErrorOf(error).localizedMessage('en-US') }) };
}

function samlAnswer(error: EarlyError): EarlyAnswer {
  const { status } = PROBLEMS[error.problem];
  return {
    status,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'X-TCE-SAML-Check': error.problem },
    body: refusalPage(error.problem, apiErrorOf(error).localizedMessage('en-US'), null),
  };
}

/**
 * When the surface cannot be known: the problem's 4xx (a 200 would read as
 * success to an identity provider), and one JSON body holding the error as
 * each surface's clients read it: the API's `Response.Error`, SCIM's
 * `schemas`/`status`/`detail`, the control plane's `error`.
 */
function anySurfaceAnswer(error: EarlyError, requestId: string): EarlyAnswer {
  const { status } = PROBLEMS[error.problem];
  const apiError = apiErrorOf(error);
  const message = apiError.localizedMessage('en-US');
  const body = { ...errorBody(apiError, 'en-US', requestId), ...new ScimError(status, undefined, message).toScimErrorBody(), error: message };
  return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

/** Surfaces by path prefix, matched as Express matches its mounts (case-insensitive, whole segments); the rest is the API. */
const SURFACES: ReadonlyArray<readonly [RegExp, (error: EarlyError) => EarlyAnswer]> = [
  [/^\/scim\/v2(?:[/?#]|$)/i, scimAnswer],
  [/^\/_emulator(?:[/?#]|$)/i, controlAnswer],
  [/^\/saml\/sp(?:[/?#]|$)/i, samlAnswer],
];

/** An absolute-form target (`http://host/scim/v2/Users`) routes by its path. */
const ABSOLUTE_FORM = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/;

export function earlyErrorRenderer(requestId: () => string): EarlyErrorRenderer {
  return (error, target) => {
    if (target === undefined) return anySurfaceAnswer(error, requestId());
    const path = target.replace(ABSOLUTE_FORM, '') || '/';
    for (const [prefix, render] of SURFACES) if (prefix.test(path)) return render(error);
    return apiAnswer(error, requestId());
  };
}
