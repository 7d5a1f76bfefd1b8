import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ScimDeps } from './context.js';
import { serveDirect } from './direct-request.js';
import type { JsonObject } from './engine/index.js';
import { requireJsonObject, unsupportedMediaType } from './json-body.js';
import { readJsonBody } from './read-json-body.js';
import { answerCreateUser } from './users-routes.js';

/**
 * `POST /scim/v2/Users[?query]` without Express (app.ts routes here what
 * route-request.ts's isScimUsersCreate accepts): the durable write an identity
 * provider sends for every new user, where Express's routing and body-parser
 * cost about as much as the write. The router's steps, in its order: the
 * control-plane hooks, authentication and key usage (direct-request.ts), the
 * Content-Type check, the body (read as body-parser reads it), the JSON-object
 * check (json-body.ts) and the router's own POST /Users (answerCreateUser).
 */
export function createScimUsersCreateHandler(deps: ScimDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) =>
    void serveDirect(deps, 'POST', req, res, async ({ ctx, setBody }) => {
      const unsupported = unsupportedMediaType(req.headers['content-type']);
      if (unsupported) throw unsupported;
      const body = await readJsonBody(req);
      setBody(body);
      requireJsonObject(body);
      await answerCreateUser(deps.store, ctx, body as JsonObject, res);
    });
}
