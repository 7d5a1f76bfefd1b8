import type { ServerResponse } from 'node:http';
import type { Router } from 'express';
import { zoneKey } from '../domain/schema.js';
import { createUser, deleteUser, findUser, requireUser, updateUser } from '../domain/users.js';
import type { User } from '../domain/entities.js';
import { USER_RESOURCE, applyPatch, projectAttributes, type JsonObject } from './engine/index.js';
import { scimContext, type ScimDeps, type ScimRequestContext } from './context.js';
import { checkIfMatch, notModified, readListQuery, runListQuery, singleResourceQuery, type ListSource } from './list-query.js';
import { normalizeResource } from './normalize-resource.js';
import { sendScim } from './respond.js';
import { etagOf, scimToUserFields, userToScim } from './user-mapping.js';

/** userName: case-insensitive in SCIM and in its index; id: exact in both. */
const USER_EXACT_LOOKUPS: ReadonlySet<string> = new Set(['username', 'id']);

/**
 * GET /Users and POST /Users/.search: the zone's users as a SCIM ListResponse.
 * Shared with the direct read path (read-fast-path.ts).
 */
export function listUsersBody(store: ScimDeps['store'], ctx: ScimRequestContext, source: Record<string, unknown>): JsonObject {
  const query = readListQuery(source);
  const db = store.view;
  const zoneId = ctx.zone.zoneId;
  const records: ListSource<User> = {
    size: db.users.count('zone', zoneId),
    records: () => db.users.iterate('zone', zoneId),
    lookup: (attribute, value) => {
      if (attribute === 'username') return db.users.find('userName', zoneKey(zoneId, value));
      if (attribute === 'externalid') return db.users.find('externalId', zoneKey(zoneId, value));
      if (attribute === 'id') return [findUser(db, zoneId, value)].filter((u): u is User => u !== undefined);
      return undefined;
    },
    exactLookups: USER_EXACT_LOOKUPS,
    render: (u) => userToScim(db, u, ctx.baseUrl),
  };
  return runListQuery(records, query, USER_RESOURCE);
}

/** The resource's answer, with its version as the ETag. */
function respondWith(res: ServerResponse, status: number, resource: JsonObject, headers: Record<string, string> = {}): void {
  const meta = resource.meta as JsonObject;
  sendScim(res, status, resource, { ETag: String(meta.version), ...headers });
}

/**
 * POST /Users: creates the user and answers 201 with it. Shared with the
 * direct write path (write-fast-path.ts); the body is a JSON object (checked before).
 */
export async function answerCreateUser(store: ScimDeps['store'], ctx: ScimRequestContext, body: JsonObject, res: ServerResponse): Promise<void> {
  const fields = scimToUserFields(normalizeResource(body, USER_RESOURCE));
  const user = await store.transact((s) => createUser(s, ctx.zone, fields, ctx.domain, 'scim'));
  const resource = store.read((s) => userToScim(s, s.users.get(user.userId) ?? user, ctx.baseUrl));
  respondWith(res, 201, resource, { Location: `${ctx.baseUrl}/Users/${user.userId}` });
}

/** /Users: SCIM users are the zone's Identity Center users; the SCIM id is the UserId. */
export function mountUserRoutes(router: Router, deps: ScimDeps): void {
  const { store } = deps;

  const list = (source: Record<string, unknown>) => (res: Parameters<typeof scimContext>[0]) =>
    sendScim(res, 200, listUsersBody(store, scimContext(res), source));
  router.get('/Users', (req, res) => list(req.query as Record<string, unknown>)(res));
  router.post('/Users/.search', (req, res) => list(req.body as Record<string, unknown>)(res));

  router.post('/Users', (req, res) => answerCreateUser(store, scimContext(res), req.body as JsonObject, res));

  router.get('/Users/:id', (req, res) => {
    const ctx = scimContext(res);
    const resource = store.read((s) => userToScim(s, requireUser(s, ctx.zone.zoneId, req.params.id), ctx.baseUrl));
    if (notModified(req, res, String((resource.meta as JsonObject).version))) return;
    respondWith(res, 200, projectAttributes(resource, singleResourceQuery(req), USER_RESOURCE));
  });

  router.put('/Users/:id', async (req, res) => {
    const ctx = scimContext(res);
    const fields = scimToUserFields(normalizeResource(req.body as JsonObject, USER_RESOURCE));
    const user = await store.transact((s) => {
      checkIfMatch(req, etagOf(requireUser(s, ctx.zone.zoneId, req.params.id).version));
      return updateUser(s, ctx.zone, req.params.id, fields, ctx.domain, 'scim');
    });
    respondWith(res, 200, store.read((s) => userToScim(s, s.users.get(user.userId) ?? user, ctx.baseUrl)));
  });

  router.patch('/Users/:id', async (req, res) => {
    const ctx = scimContext(res);
    const user = await store.transact((s) => {
      const current = requireUser(s, ctx.zone.zoneId, req.params.id);
      checkIfMatch(req, etagOf(current.version));
      const patched = applyPatch(userToScim(s, current, ctx.baseUrl), req.body, USER_RESOURCE);
      if (!patched.changed) return current;
      const fields = scimToUserFields(normalizeResource(patched.resource, USER_RESOURCE));
      return updateUser(s, ctx.zone, current.userId, fields, ctx.domain, 'scim');
    });
    respondWith(res, 200, store.read((s) => userToScim(s, s.users.get(user.userId) ?? user, ctx.baseUrl)));
  });

  router.delete('/Users/:id', async (req, res) => {
    const ctx = scimContext(res);
    await store.transact((s) => {
      checkIfMatch(req, etagOf(requireUser(s, ctx.zone.zoneId, req.params.id).version));
      deleteUser(s, ctx.zone, req.params.id, 'scim', { ctx: ctx.domain });
    });
    sendScim(res, 204, null);
  });
}
