import request from 'supertest';
import type { Response, Test } from 'supertest';
import { createServer, type Server } from 'node:http';
import { createExpressApp } from '../../src/express-app.js';
import { DEMO_ZONE_ID, ok, testEmulator, type TestEmulator } from './api.js';

/** Where the SCIM 2.0 surface is mounted. */
export const SCIM_BASE = '/scim/v2';
export const SCIM_CONTENT_TYPE = 'application/scim+json';

export const URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  searchRequest: 'urn:ietf:params:scim:api:messages:2.0:SearchRequest',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

export type ScimMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One SCIM request: `path` is relative to /scim/v2 (it may carry a query string,
 * or chain `.query({...})` on the result). A string body is sent as is (for
 * malformed-JSON tests); anything else is JSON-encoded.
 */
export type ScimCall = (method: ScimMethod, path: string, body?: unknown, headers?: Record<string, string>) => Test;

/** A SCIM caller for `server` that authenticates with `token` (null: no Authorization header). */
export function scimClient(server: Server, token: string | null): ScimCall {
  return (method, path, body, headers = {}) => {
    const agent = request(server);
    const url = `${SCIM_BASE}${path}`;
    const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    let req = agent[verb](url).set('Accept', SCIM_CONTENT_TYPE);
    if (token !== null) req = req.set('Authorization', `Bearer ${token}`);
    if (body !== undefined) req = req.set('Content-Type', SCIM_CONTENT_TYPE);
    req = req.set(headers);
    if (body !== undefined) req = req.send(typeof body === 'string' ? body : JSON.stringify(body));
    return req;
  };
}

export async function enableScimSync(emu: TestEmulator, zoneId = DEMO_ZONE_ID): Promise<void> {
  ok(await emu.call('UpdateSCIMSynchronizationStatus', { ZoneId: zoneId, SCIMSynchronizationStatus: 'Enabled' }));
}

export interface ScimKey {
  token: string;
  credentialId: string;
}

export async function createScimKey(emu: TestEmulator, params: { ZoneId?: string; ExpireDuration?: number } = {}): Promise<ScimKey> {
  const res = ok(await emu.call('CreateSCIMCredential', { ZoneId: DEMO_ZONE_ID, ...params }));
  return { token: res.CredentialSecret as string, credentialId: res.CredentialId as string };
}

export interface ScimEmulator {
  emu: TestEmulator;
  /** The bearer secret of the key created for the test. */
  token: string;
  credentialId: string;
  /** Requests authenticated with `token`. */
  scim: ScimCall;
  /** Requests with another token (null: none). */
  as(token: string | null): ScimCall;
  close(): Promise<void>;
}

/**
 * The demo zone with SCIM synchronisation enabled and one SCIM key. The server
 * listens on one port for the whole test (supertest would otherwise bind a new
 * port per request, and meta.location, which carries the Host, would differ
 * between requests).
 */
export async function scimEmulator(): Promise<ScimEmulator> {
  const emu = await testEmulator();
  await new Promise<void>((resolve) => emu.server.listen(0, '127.0.0.1', resolve));
  await enableScimSync(emu);
  const { token, credentialId } = await createScimKey(emu);
  return {
    emu,
    token,
    credentialId,
    scim: scimClient(emu.server, token),
    as: (other) => scimClient(emu.server, other),
    close: async () => {
      emu.server.closeAllConnections();
      await new Promise<void>((resolve) => emu.server.close(() => resolve()));
      await emu.close();
    },
  };
}

/**
 * Key usage is recorded when the response finishes; give that bookkeeping a
 * turn of the event loop before reading the store.
 */
export async function settle(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
}

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A PatchOp request body. */
export function patchOp(...operations: Json[]): Json {
  return { schemas: [URN.patchOp], Operations: operations };
}

/** A minimal valid User body; `extra` is merged over it. */
export function userBody(userName: string, extra: Json = {}): Json {
  return { schemas: [URN.user], userName, ...extra };
}

/** POSTs a user and returns the created resource (fails unless 201). */
export async function createUser(scim: ScimCall, body: Json): Promise<Json> {
  const res = await scim('POST', '/Users', body);
  if (res.status !== 201) throw new Error(`POST /Users ${JSON.stringify(body)} -> ${res.status} ${res.text}`);
  return res.body as Json;
}

/** POSTs a group and returns the created resource (fails unless 201). */
export async function createGroup(scim: ScimCall, body: Json): Promise<Json> {
  const res = await scim('POST', '/Groups', { schemas: [URN.group], ...body });
  if (res.status !== 201) throw new Error(`POST /Groups ${JSON.stringify(body)} -> ${res.status} ${res.text}`);
  return res.body as Json;
}

/** GETs a resource and returns it (fails unless 200). */
export async function getResource(scim: ScimCall, path: string): Promise<Json> {
  const res = await scim('GET', path);
  if (res.status !== 200) throw new Error(`GET ${path} -> ${res.status} ${res.text}`);
  return res.body as Json;
}

/** Asserts a SCIM error response (RFC 7644 3.12) and returns its body. */
export function expectScimError(res: Response, status: number, scimType?: string): Json {
  expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status, body: { status: String(status) } });
  expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
  const body = res.body as Json;
  expect(body.schemas).toEqual([URN.error]);
  expect(typeof body.detail).toBe('string');
  if (scimType !== undefined) expect(body.scimType).toBe(scimType);
  return body;
}

/** Asserts a ListResponse (RFC 7644 3.4.2) and returns it. */
export function expectListResponse(res: Response): { totalResults: number; startIndex: number; itemsPerPage: number; Resources: Json[] } {
  if (res.status !== 200) throw new Error(`expected a ListResponse, got ${res.status} ${res.text}`);
  expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
  const body = res.body as Json;
  expect(body.schemas).toEqual([URN.listResponse]);
  expect(Number.isInteger(body.totalResults)).toBe(true);
  expect(Number.isInteger(body.startIndex)).toBe(true);
  expect(Number.isInteger(body.itemsPerPage)).toBe(true);
  expect(Array.isArray(body.Resources)).toBe(true);
  expect(body.itemsPerPage).toBe((body.Resources as unknown[]).length);
  return body as { totalResults: number; startIndex: number; itemsPerPage: number; Resources: Json[] };
}

/**
 * A successful PATCH: RFC 7644 3.5.2 allows 200 with the resource or 204 with
 * no body (Okta and Entra accept both). Returns the body on 200, else null.
 */
export function expectPatched(res: Response): Json | null {
  if (res.status !== 200 && res.status !== 204) throw new Error(`expected PATCH success, got ${res.status} ${res.text}`);
  if (res.status === 204) {
    expect(res.text ?? '').toBe('');
    return null;
  }
  expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
  return res.body as Json;
}

/** The userNames of a ListResponse's resources, sorted. */
export function userNamesOf(resources: Json[]): string[] {
  return resources.map((r) => r.userName as string).sort();
}

/** The member ids of a Group resource, sorted ([] when absent). */
export function memberIds(group: Json): string[] {
  return ((group.members as Json[] | undefined) ?? []).map((m) => m.value as string).sort();
}

/** A query string as identity providers send it (`filter=userName%20eq%20%22...%22`). */
export function q(params: Record<string, string | number>): string {
  return `?${Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&')}`;
}

/**
 * A server that answers `emu`'s requests through its Express app alone, as
 * every SCIM request was before the direct paths: the twin the direct paths
 * are compared with. What Express leaves unanswered gets a 599.
 */
export function expressOnlyServer(emu: TestEmulator): Server {
  return createServer(
    createExpressApp({
      store: emu.store,
      scimRequests: emu.scimRequests,
      now: () => emu.clock.now(),
      ids: emu.ids,
      logger: emu.logger,
      quotas: emu.config.quotas,
      metrics: emu.metrics,
      control: emu.control,
      publicUrl: emu.publicUrl,
      utcOffsetMinutes: emu.config.utcOffsetMinutes,
      controlToken: null,
      fallback: (_req, res) => {
        res.writeHead(599);
        res.end();
      },
    }),
  );
}
