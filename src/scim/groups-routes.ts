import type { Response, Router } from 'express';
import { createGroup, deleteGroup, findGroup, requireGroup, updateGroup } from '../domain/groups.js';
import { zoneKey, type Db, type DbView } from '../domain/schema.js';
import { setMembers } from '../domain/memberships.js';
import { findUser } from '../domain/users.js';
import type { Group } from '../domain/entities.js';
import { GROUP_RESOURCE, ScimError, applyPatch, projectAttributes, type JsonObject } from './engine/index.js';
import { scimContext, type ScimDeps, type ScimRequestContext } from './context.js';
import { groupToScim, scimToGroupWrite, type GroupWrite } from './group-mapping.js';
import { checkIfMatch, excludes, notModified, readListQuery, runListQuery, singleResourceQuery, type ListSource } from './list-query.js';
import { normalizeResource } from './normalize-resource.js';
import { sendScim } from './respond.js';
import { etagOf } from './user-mapping.js';

/** displayName: case-insensitive in SCIM and in its index; id: exact in both. */
const GROUP_EXACT_LOOKUPS: ReadonlySet<string> = new Set(['displayname', 'id']);

/** Checked before anything changes, so a bad member leaves the group as it was. */
function assertMembersExist(s: DbView, ctx: ScimRequestContext, memberIds: readonly string[]): void {
  for (const userId of memberIds) {
    if (!findUser(s, ctx.zone.zoneId, userId)) {
      throw new ScimError(400, 'invalidValue', `Member ${userId} is not a user of this zone.`);
    }
  }
}

/** Writes a group's name, externalId and members in one synchronous step. */
function writeGroup(s: Db, ctx: ScimRequestContext, groupId: string, write: GroupWrite): Group {
  assertMembersExist(s, ctx, write.memberIds);
  const scim = write.externalId ? { externalId: write.externalId } : {};
  const group = updateGroup(s, ctx.zone, groupId, { groupName: write.groupName, scim }, ctx.domain, 'scim');
  setMembers(s, ctx.zone, groupId, write.memberIds, ctx.domain, 'scim');
  return group;
}

/** /Groups: SCIM groups are the zone's Identity Center user groups; the SCIM id is the GroupId. */
export function mountGroupRoutes(router: Router, deps: ScimDeps): void {
  const { store } = deps;

  const respondWith = (res: Response, status: number, resource: JsonObject, headers: Record<string, string> = {}) => {
    sendScim(res, status, resource, { ETag: String((resource.meta as JsonObject).version), ...headers });
  };

  const list = (source: Record<string, unknown>, res: Response) => {
    const ctx = scimContext(res);
    const query = readListQuery(source);
    // Members are the expensive part; IdPs list groups with excludedAttributes=members.
    const withMembers = !excludes(query, 'members') || (query.filter ?? '').toLowerCase().includes('members');
    const db = store.view;
    const zoneId = ctx.zone.zoneId;
    const records: ListSource<Group> = {
      size: db.groups.count('zone', zoneId),
      records: () => db.groups.iterate('zone', zoneId),
      lookup: (attribute, value) => {
        if (attribute === 'displayname') return db.groups.find('groupName', zoneKey(zoneId, value));
        if (attribute === 'externalid') return db.groups.find('externalId', zoneKey(zoneId, value));
        if (attribute === 'id') return [findGroup(db, zoneId, value)].filter((g): g is Group => g !== undefined);
        return undefined;
      },
      exactLookups: GROUP_EXACT_LOOKUPS,
      render: (g) => groupToScim(db, g, ctx.baseUrl, withMembers),
    };
    const body = runListQuery(records, query, GROUP_RESOURCE);
    sendScim(res, 200, body);
  };
  router.get('/Groups', (req, res) => list(req.query as Record<string, unknown>, res));
  router.post('/Groups/.search', (req, res) => list(req.body as Record<string, unknown>, res));

  router.post('/Groups', async (req, res) => {
    const ctx = scimContext(res);
    const write = scimToGroupWrite(normalizeResource(req.body as JsonObject, GROUP_RESOURCE));
    const group = await store.transact((s) => {
      assertMembersExist(s, ctx, write.memberIds);
      const created = createGroup(
        s,
        ctx.zone,
        { groupName: write.groupName, ...(write.externalId ? { scim: { externalId: write.externalId } } : {}) },
        ctx.domain,
        'scim',
      );
      setMembers(s, ctx.zone, created.groupId, write.memberIds, ctx.domain, 'scim');
      return created;
    });
    const resource = store.read((s) => groupToScim(s, s.groups.get(group.groupId) ?? group, ctx.baseUrl));
    respondWith(res, 201, resource, { Location: `${ctx.baseUrl}/Groups/${group.groupId}` });
  });

  router.get('/Groups/:id', (req, res) => {
    const ctx = scimContext(res);
    const query = singleResourceQuery(req);
    const resource = store.read((s) =>
      groupToScim(s, requireGroup(s, ctx.zone.zoneId, req.params.id), ctx.baseUrl, !excludes(query, 'members')),
    );
    if (notModified(req, res, String((resource.meta as JsonObject).version))) return;
    respondWith(res, 200, projectAttributes(resource, query, GROUP_RESOURCE));
  });

  router.put('/Groups/:id', async (req, res) => {
    const ctx = scimContext(res);
    const write = scimToGroupWrite(normalizeResource(req.body as JsonObject, GROUP_RESOURCE));
    const group = await store.transact((s) => {
      checkIfMatch(req, etagOf(requireGroup(s, ctx.zone.zoneId, req.params.id).version));
      return writeGroup(s, ctx, req.params.id, write);
    });
    respondWith(res, 200, store.read((s) => groupToScim(s, s.groups.get(group.groupId) ?? group, ctx.baseUrl)));
  });

  router.patch('/Groups/:id', async (req, res) => {
    const ctx = scimContext(res);
    const group = await store.transact((s) => {
      const current = requireGroup(s, ctx.zone.zoneId, req.params.id);
      checkIfMatch(req, etagOf(current.version));
      const patched = applyPatch(groupToScim(s, current, ctx.baseUrl), req.body, GROUP_RESOURCE);
      if (!patched.changed) return current;
      return writeGroup(s, ctx, current.groupId, scimToGroupWrite(normalizeResource(patched.resource, GROUP_RESOURCE)));
    });
    respondWith(res, 200, store.read((s) => groupToScim(s, s.groups.get(group.groupId) ?? group, ctx.baseUrl)));
  });

  router.delete('/Groups/:id', async (req, res) => {
    const ctx = scimContext(res);
    await store.transact((s) => {
      checkIfMatch(req, etagOf(requireGroup(s, ctx.zone.zoneId, req.params.id).version));
      deleteGroup(s, ctx.zone, req.params.id, 'scim');
    });
    sendScim(res, 204, null);
  });
}
