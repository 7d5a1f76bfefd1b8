// A real emulator listening on a free loopback port, driven by the official
// Tencent Cloud Node SDKs (or plain fetch) exactly as a user's program would.
import { Agent } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The service entry point only: the full SDK index loads every product (hundreds of modules).
import { v20210331 as organization } from 'tencentcloud-sdk-nodejs/tencentcloud/services/organization/v20210331/index.js';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { start, type RunningEmulator } from '../../src/app.js';
import type { AuthMode } from '../../src/config.js';
import type { Clock } from '../../src/runtime/clock.js';
import type { IdGenerator } from '../../src/runtime/ids.js';
import { createLogger, type Logger } from '../../src/runtime/logger.js';
import type { StateDocument } from '../../src/domain/schema.js';
import { DEMO_ACCOUNT, testFixtures } from './api.js';

export const API_VERSION = '2021-03-31';

export type SignMethod = 'TC3-HMAC-SHA256' | 'HmacSHA256' | 'HmacSHA1';
export type ReqMethod = 'POST' | 'GET';

export type OrganizationClient = InstanceType<typeof organization.Client>;

export interface ClientOptions {
  /** Defaults to the demo test account's key. */
  secretId?: string;
  secretKey?: string;
  signMethod?: SignMethod;
  reqMethod?: ReqMethod;
  language?: 'zh-CN' | 'en-US';
  /** Extra headers the SDK sends with every request (e.g. X-TC-TraceId). */
  headers?: Record<string, string>;
}

export interface LiveEmulatorOptions {
  auth?: AuthMode;
  /**
   * null (default): in memory. 'temp': a data file in a fresh temp directory,
   * removed on close(). A path: that file, left in place on close().
   */
  dataFile?: string | null | 'temp';
  clock?: Clock;
  ids?: IdGenerator;
  /** Seed state; defaults to testFixtures() (demo account with DEMO_ZONE_ID, other account without a zone). */
  fixtures?: StateDocument;
  utcOffsetMinutes?: number;
  /** Defaults to a silent logger. */
  logger?: Logger;
}

export interface LiveEmulator {
  emulator: RunningEmulator;
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** `127.0.0.1:<port>`: what the SDKs take as httpProfile.endpoint. */
  endpoint: string;
  /** The data file in use, or null when in memory. */
  dataFile: string | null;
  /** organization.v20210331.Client pointed at this emulator. */
  orgClient(options?: ClientOptions): OrganizationClient;
  /** tencentcloud-sdk-nodejs-common CommonClient for organization 2021-03-31, pointed at this emulator. */
  commonClient(options?: ClientOptions): CommonClient;
  /** Stops the server, flushes the store, removes a 'temp' data directory. Safe to call twice. */
  close(): Promise<void>;
}

/** SDK request timeout, in seconds: a hung emulator fails a test fast instead of after 60 s. */
const REQ_TIMEOUT_SECONDS = 5;

/** A temp directory for data files; `remove()` deletes it and everything in it. */
export interface TempDir {
  dir: string;
  file(name?: string): string;
  remove(): Promise<void>;
}

export async function makeTempDir(prefix = 'tce-contract-'): Promise<TempDir> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return {
    dir,
    file: (name = 'emulator.json') => join(dir, name),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function startLiveEmulator(options: LiveEmulatorOptions = {}): Promise<LiveEmulator> {
  const temp = options.dataFile === 'temp' ? await makeTempDir() : null;
  const dataFile = temp ? temp.file() : (options.dataFile ?? null);
  let emulator: RunningEmulator;
  try {
    emulator = await start(
      {
        port: 0,
        host: '127.0.0.1',
        dataFile,
        logLevel: 'silent',
        auth: options.auth ?? 'permissive',
        ...(options.utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes: options.utcOffsetMinutes }),
      },
      {
        logger: options.logger ?? createLogger('silent'),
        fixtures: options.fixtures ?? testFixtures(),
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.ids ? { ids: options.ids } : {}),
      },
    );
  } catch (error) {
    await temp?.remove();
    throw error;
  }

  // One agent for every SDK client of this emulator: no keep-alive (nothing lingers
  // after close()), and an explicit agent also stops the SDK from routing loopback
  // calls through an http_proxy it finds in the environment.
  const agent = new Agent({ keepAlive: false });
  const endpoint = `127.0.0.1:${emulator.port}`;

  const config = (o: ClientOptions) => ({
    credential: { secretId: o.secretId ?? DEMO_ACCOUNT.secretId, secretKey: o.secretKey ?? DEMO_ACCOUNT.secretKey },
    profile: {
      signMethod: o.signMethod ?? 'TC3-HMAC-SHA256',
      ...(o.language ? { language: o.language } : {}),
      httpProfile: {
        endpoint,
        protocol: 'http://',
        reqMethod: o.reqMethod ?? 'POST',
        reqTimeout: REQ_TIMEOUT_SECONDS,
        agent,
        ...(o.headers ? { headers: o.headers } : {}),
      },
    },
  });

  let closed = false;
  return {
    emulator,
    url: emulator.url,
    port: emulator.port,
    endpoint,
    dataFile,
    orgClient: (o = {}) => new organization.Client(config(o)),
    commonClient: (o = {}) => new CommonClient(endpoint, API_VERSION, config(o)),
    close: async () => {
      if (closed) return;
      closed = true;
      agent.destroy();
      await emulator.close();
      await temp?.remove();
    },
  };
}

/** What the SDKs throw for an error envelope (TencentCloudSDKHttpException). */
export interface SdkError extends Error {
  code?: string;
  requestId: string;
  traceId: string;
  httpCode?: number;
}

/** Awaits a call that must fail and returns the SDK's exception. */
export async function sdkError(call: Promise<unknown>): Promise<SdkError> {
  let result: unknown;
  try {
    result = await call;
  } catch (error) {
    if (!(error instanceof Error) || !('requestId' in error)) throw error;
    return error as SdkError;
  }
  throw new Error(`expected the SDK call to fail, it returned ${JSON.stringify(result)}`);
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
/** `YYYY-MM-DD HH:MM:SS`, the Tencent Cloud API's time format. */
export const TC_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Milliseconds since the epoch of a `YYYY-MM-DD HH:MM:SS` time read as UTC (for differences). */
export function tcTimeMs(text: string): number {
  if (!TC_TIME.test(text)) throw new Error(`not a Tencent Cloud time: ${JSON.stringify(text)}`);
  return Date.parse(`${text.replace(' ', 'T')}Z`);
}
