import request from 'supertest';
import type { Response } from 'supertest';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { createApp, createHttpServer, type AppOverrides, type EmulatorApp } from '../../src/app.js';
import type { EmulatorConfig } from '../../src/config.js';
import { ManualClock } from '../../src/runtime/clock.js';
import { createLogger } from '../../src/runtime/logger.js';
import { packagePath } from '../../src/runtime/package-root.js';
import { DEFAULT_QUOTAS } from '../../src/config.js';
import type { DomainContext } from '../../src/domain/context.js';
import { snapshotOf, type StateDocument } from '../../src/domain/schema.js';
import { randomIdGenerator } from '../../src/runtime/ids.js';

export const DEMO_ACCOUNT = {
  uin: '100000000001',
  appId: 1250000001,
  name: 'demo',
  secretId: 'AKIDTESTDEMO',
  secretKey: 'test-demo-secret-key',
};
export const OTHER_ACCOUNT = {
  uin: '100000000009',
  appId: 1250000009,
  name: 'other',
  secretId: 'AKIDTESTOTHER',
  secretKey: 'test-other-secret-key',
};
export const DEMO_ZONE_ID = 'z-testzone0001';

/** Two accounts; the first (the default in permissive mode) has an open zone with SCIM sync disabled. */
export function testFixtures(overrides: StateDocument = {}): StateDocument {
  return {
    accounts: [DEMO_ACCOUNT, OTHER_ACCOUNT],
    zones: [
      {
        zoneId: DEMO_ZONE_ID,
        ownerUin: DEMO_ACCOUNT.uin,
        zoneName: 'test-zone',
        scimSyncStatus: 'Disabled',
        createTime: '2026-01-01T00:00:00.000Z',
        updateTime: '2026-01-01T00:00:00.000Z',
      },
    ],
    ...overrides,
  };
}

export interface TestEmulator extends EmulatorApp {
  clock: ManualClock;
  /** The HTTP server supertest drives (not listening until a request is made). */
  server: Server;
  /** POSTs an API 3.0 JSON request (unsigned: `Authorization: SKIP`, permissive mode). */
  call(action: string, params?: object, headers?: Record<string, string>): Promise<Response>;
  /** Back to `doc` (the test fixtures by default) in one durable transaction. */
  reset(doc?: StateDocument): Promise<void>;
}

export async function testEmulator(
  config: Partial<EmulatorConfig> = {},
  overrides: AppOverrides = {},
): Promise<TestEmulator> {
  const clock = new ManualClock('2026-03-01T00:00:00Z');
  const emulator = await createApp(
    { dataFile: null, logLevel: 'silent', ...config },
    { clock, logger: createLogger('silent'), fixtures: testFixtures(), ...overrides },
  );
  const server = createHttpServer(emulator);
  const call = (action: string, params: object = {}, headers: Record<string, string> = {}) =>
    request(server)
      .post('/')
      .set('Content-Type', 'application/json')
      .set('X-TC-Action', action)
      .set('X-TC-Version', '2021-03-31')
      .set('Authorization', 'SKIP')
      .set(headers)
      .send(JSON.stringify(params));
  const reset = (doc: StateDocument = testFixtures()) => emulator.store.replace(snapshotOf(doc));
  return { ...emulator, clock, server, call, reset };
}

/** The `Response` object of an envelope, asserting it is a success. */
export function ok(res: Response): Record<string, unknown> & { RequestId: string } {
  const body = res.body as { Response: Record<string, unknown> & { RequestId: string; Error?: unknown } };
  if (body.Response.Error) throw new Error(`expected success, got ${JSON.stringify(body.Response.Error)}`);
  return body.Response;
}

/** The error code of an envelope (fails the test if the call succeeded). */
export function errorCode(res: Response): string {
  const body = res.body as { Response: { Error?: { Code: string } } };
  if (!body.Response?.Error) throw new Error(`expected an error, got ${JSON.stringify(res.body)}`);
  return body.Response.Error.Code;
}

/** Headers that make a permissive-mode request act as OTHER_ACCOUNT (which has no zone). */
export function asOther(secretId = OTHER_ACCOUNT.secretId): Record<string, string> {
  return {
    Authorization: `TC3-HMAC-SHA256 Credential=${secretId}/2026-03-01/organization/tc3_request, SignedHeaders=content-type;host, Signature=${'0'.repeat(64)}`,
  };
}

const responseValidators = new Map<string, ValidateFunction>();

/**
 * Where a successful `Response` object departs from the action's generated
 * response schema (missing or extra members, wrong types); [] when it conforms.
 */
export function responseSchemaErrors(action: string, response: unknown): ErrorObject[] {
  let validate = responseValidators.get(action);
  if (!validate) {
    const file = packagePath('schemas', 'organization', '2021-03-31', `${action}.json`);
    const schema = (JSON.parse(readFileSync(file, 'utf8')) as { 'x-tc-response': object })['x-tc-response'];
    validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    responseValidators.set(action, validate);
  }
  return validate(response) ? [] : [...(validate.errors ?? [])];
}

/** The response matches the action's generated response schema exactly (no missing, no extra members). */
export function conforms(action: string, res: Response): void {
  expect(responseSchemaErrors(action, ok(res))).toEqual([]);
}

/** A domain context for tests that call the domain directly: the emulator's clock, random ids, default quotas. */
export function domainCtx(emu: Pick<TestEmulator, 'clock'>): DomainContext {
  return { now: emu.clock.now(), ids: randomIdGenerator, quotas: { ...DEFAULT_QUOTAS } };
}

/**
 * An unsigned API 3.0 call (`Authorization: SKIP`) to a listening emulator at
 * `baseUrl`, over fetch; returns the `Response` object and throws on an error
 * envelope. For tests that drive a real server (a browser, a child process).
 */
export function fetchApi(baseUrl: string): (action: string, params: object) => Promise<Record<string, unknown>> {
  return async (action, params) => {
    const res = await fetch(`${baseUrl}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-TC-Action': action, 'X-TC-Version': '2021-03-31', Authorization: 'SKIP' },
      body: JSON.stringify(params),
    });
    const body = (await res.json()) as { Response: Record<string, unknown> & { Error?: unknown } };
    if (body.Response.Error) throw new Error(`${action}: ${JSON.stringify(body.Response.Error)}`);
    return body.Response;
  };
}
